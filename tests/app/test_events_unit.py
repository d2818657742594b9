"""EventStream and ApiClient against a scripted loopback server: the cases a real
server will not produce on demand (malformed frames and replies, resync)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from app.core.domain import ConnectionState
from app.core.problems import ProblemCode
from app.net.api import ApiClient, BadRequest, MalformedReply, NotFound, Unauthorized, Unreachable
from app.net.events import Event, EventStream

pytestmark = pytest.mark.core


def ev(seq: int, kind: str = "chat.read") -> str:
    return json.dumps(
        {
            "type": "event",
            "seq": seq,
            "kind": kind,
            "line_id": 1,
            "chat_id": 2,
            "user_id": 3,
            "at": "2026-01-01T00:00:00Z",
            "data": {"chat_id": 2, "up_to": 1, "by": 1},
        }
    )


class Script:
    def __init__(self) -> None:
        self.afters: list[str | None] = []
        self.connections = 0
        self.resync_first = False
        self.resync_always = False  # a server that never takes the cursor (misbehaving)

    async def events(self, request: web.Request) -> web.WebSocketResponse:
        self.afters.append(request.query.get("after"))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        n = self.connections
        if self.resync_always or (self.resync_first and n == 1):
            # as the real server does: no hello, the span it keeps, closed
            await ws.send_str(json.dumps({"type": "resync", "oldest": 40, "head": 50}))
            await ws.close()
            return ws
        if n == 1:
            await ws.send_str(json.dumps({"type": "hello", "head": 5, "oldest": 1}))
            await ws.send_str(ev(6))
            await ws.send_str("this is not json")
            await ws.send_str(json.dumps({"type": "event", "seq": "x", "kind": "k"}))
            await ws.send_str(json.dumps([1, 2]))
            await ws.send_str(ev(6))  # a duplicate: dropped
            await ws.send_str(ev(7))
            await ws.close()
            return ws
        await ws.send_str(json.dumps({"type": "hello", "head": 8, "oldest": 1}))
        await ws.send_str(ev(8 if not self.resync_first else 51))
        async for msg in ws:
            if msg.type == WSMsgType.CLOSE:
                break
        return ws

    async def users(self, request: web.Request) -> web.Response:
        return web.json_response({"items": [{"id": "not an int"}], "next_cursor": None})

    async def lines(self, request: web.Request) -> web.Response:
        return web.Response(text="<html>proxy error</html>", content_type="text/html")

    async def problem(self, request: web.Request) -> web.Response:
        status = int(request.match_info["status"])
        return web.json_response(
            {"type": "about:blank", "title": "x", "status": status, "detail": f"said {status}"},
            status=status,
            content_type="application/problem+json",
        )


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[Script, str]]:
    script = Script()
    app = web.Application()
    app.router.add_get("/api/v1/events", script.events)
    app.router.add_get("/api/v1/lines/1/users", script.users)
    app.router.add_get("/api/v1/lines", script.lines)
    app.router.add_get("/api/v1/problem/{status}", script.problem)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield script, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


async def wait_for(cond: object, within: float = 5.0) -> None:
    async with asyncio.timeout(within):
        while not cond():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_malformed_frames_skipped_and_reconnect_resumes_from_cursor(
    scripted: tuple[Script, str],
) -> None:
    script, url = scripted
    api = ApiClient(url, "token")
    seen: list[int] = []
    states: list[ConnectionState] = []

    async def on_event(e: Event) -> None:
        seen.append(e.seq)

    stream = EventStream(
        api, on_event, lambda s, d, r: states.append(s), backoff_base=0.01, backoff_max=0.05
    )
    stream.start()
    try:
        await wait_for(lambda: seen == [6, 7, 8])
    finally:
        await stream.stop()
        await api.close()
    assert script.afters == [None, "7"]
    assert stream.skipped == 3
    assert stream.cursor == 8
    assert states.count(ConnectionState.CONNECTED) == 2
    assert ConnectionState.CONNECTING in states


async def test_resync_reloads_then_continues_from_head(scripted: tuple[Script, str]) -> None:
    script, url = scripted
    script.resync_first = True
    api = ApiClient(url, "token")
    seen: list[int] = []
    reloads: list[int | None] = []

    async def on_event(e: Event) -> None:
        seen.append(e.seq)

    stream = EventStream(api, on_event, lambda s, d, r: None, cursor=3, backoff_base=0.01)

    async def on_resync() -> None:
        reloads.append(stream.cursor)

    stream._on_resync = on_resync
    stream.start()
    try:
        await wait_for(lambda: seen == [51])
    finally:
        await stream.stop()
        await api.close()
    assert reloads == [50]
    assert script.afters == ["3", "50"]


def test_backoff_grows_with_jitter() -> None:
    api = ApiClient("http://127.0.0.1:9")
    stream = EventStream(api, None, None, backoff_base=1.0, backoff_max=30.0)  # type: ignore[arg-type]
    for attempt, top in ((0, 1.0), (1, 2.0), (3, 8.0), (10, 30.0)):
        for _ in range(20):
            assert top / 2 <= stream.delay(attempt) <= top


async def test_api_errors_in_the_specialists_words(scripted: tuple[Script, str]) -> None:
    _, url = scripted
    api = ApiClient(url, "token")
    try:
        with pytest.raises(MalformedReply) as e1:
            await api.all_users(1)
        assert e1.value.code == ProblemCode.MALFORMED
        with pytest.raises(MalformedReply):
            await api.lines()
        with pytest.raises(Unauthorized) as e2:
            await api.call("GET", "/problem/401")
        assert e2.value.code == ProblemCode.SESSION_EXPIRED
        with pytest.raises(NotFound) as e3:
            await api.call("GET", "/problem/404")
        assert e3.value.detail == "said 404"
        with pytest.raises(BadRequest) as e4:
            await api.call("GET", "/problem/422")
        assert not e4.value.transient
    finally:
        await api.close()
    dead = ApiClient("http://127.0.0.1:9", timeout=2)
    try:
        with pytest.raises(Unreachable) as e5:
            await dead.lines()
        assert e5.value.code == ProblemCode.UNREACHABLE and e5.value.transient
    finally:
        await dead.close()


async def test_a_stream_to_nowhere_reports_reconnecting_then_offline() -> None:
    api = ApiClient("http://127.0.0.1:9", "t")
    changes: list[tuple[ConnectionState, ProblemCode | None, float | None]] = []

    async def on_event(e: Event) -> None:
        pass

    stream = EventStream(
        api, on_event, lambda s, d, r: changes.append((s, d, r)), backoff_base=0.01, offline_after=2
    )
    stream.start()
    try:
        await wait_for(lambda: any(s == ConnectionState.OFFLINE for s, _, _ in changes))
    finally:
        await stream.stop()
        await api.close()
    assert any(d == ProblemCode.RECONNECTING and r is not None for _, d, r in changes)
    assert any(d == ProblemCode.OFFLINE for _, d, _ in changes)


async def test_a_server_that_always_says_resync_is_not_hammered(
    scripted: tuple[Script, str],
) -> None:
    """The first resync reloads at once; the next ones wait their backoff, like a lost link."""
    script, url = scripted
    script.resync_always = True
    api = ApiClient(url, "token")
    states: list[ConnectionState] = []
    stream = EventStream(api, _ignore, lambda s, d, r: states.append(s), cursor=3, backoff_base=0.2)
    reloads: list[int | None] = []

    async def on_resync() -> None:
        reloads.append(stream.cursor)

    stream._on_resync = on_resync
    stream.start()
    try:
        await asyncio.sleep(1.0)
    finally:
        await stream.stop()
        await api.close()
    assert 2 <= len(reloads) <= 5, reloads  # 0.2, 0.4, 0.8 s apart (with jitter), not thousands
    assert reloads[0] == 50 and script.afters[:2] == ["3", "50"]
    assert ConnectionState.CONNECTED not in states


async def _ignore(_e: Event) -> None:
    return None
