"""The server's remote sessions against the real server process (SQLite)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api, Contract

pytestmark = pytest.mark.remote

USER = "a.troitskiy"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def api(server: ServerProcess, contract: Contract) -> AsyncIterator[Api]:
    async with Api(server.url, contract) as client:
        yield client


async def user_line(api: Api) -> tuple[Api, int, int]:
    """The client user's Api, their id and the line of their first chat."""
    client = await api.as_user(USER)
    me = await client.get("/me")
    chat = (await client.get("/chats"))["items"][0]
    return client, int(me["id"]), int(chat["line"]["id"])


async def create(specialist: Api, line_id: int, user_id: int, **extra: Any) -> dict[str, Any]:
    body = {"line_id": line_id, "user_id": user_id, "mode": "request", **extra}
    reply = await specialist.call("POST", "/remote-sessions", body)
    assert reply.status == 201, reply.body
    return dict(reply.body)


async def next_remote(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    while True:
        message = await ws.receive(timeout=10)
        data = json.loads(message.data)
        if data.get("kind") == "remote.updated":
            return dict(data["data"])


async def test_by_request_the_user_accepts_then_the_viewer_reports(api: Api) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    async with client.events() as ws_user, demo.events() as ws_demo:
        await ws_user.receive(timeout=10)  # hello
        await ws_demo.receive(timeout=10)
        made = await create(demo, line_id, user_id)
        assert made["state"] == "requested" and made["ticket_id"] >= 1
        assert (await next_remote(ws_user))["state"] == "requested"  # the user side is told
        sid = made["id"]
        reach = {"via": "direct", "host": "127.0.0.1", "port": 5900}
        reply = await client.call(
            "POST", f"/remote-sessions/{sid}/answer", {"accept": True, "reach": reach}
        )
        assert reply.status == 200 and reply.body["state"] == "accepted"
        assert reply.body["reach"] == {**reach, "repeater_id": None}
        for state in ("requested", "accepted"):
            assert (await next_remote(ws_demo))["state"] == state
        for state in ("connected", "ended"):
            reply = await demo.call("POST", f"/remote-sessions/{sid}/report", {"state": state})
            assert reply.status == 200, reply.body
            assert (await next_remote(ws_demo))["state"] == state
    assert reply.body["duration"] is not None and reply.body["ended_at"] is not None
    reply = await demo.call(
        "PUT", f"/remote-sessions/{sid}/comment", {"comment": "  поставили драйвер  "}
    )
    assert reply.status == 200 and reply.body["comment"] == "поставили драйвер"
    stats = await demo.get("/remote-stats", line_id=str(line_id))
    mine = [s for s in stats["items"] if s["sessions"]]
    assert mine and mine[0]["connected"] == 1


async def test_declined_and_no_second_answer(api: Api) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    sid = (await create(demo, line_id, user_id))["id"]
    reply = await client.call("POST", f"/remote-sessions/{sid}/answer", {"accept": False})
    assert reply.body["state"] == "declined"
    again = await client.call("POST", f"/remote-sessions/{sid}/answer", {"accept": False})
    assert again.status == 409
    stats = await demo.get("/remote-stats", line_id=str(line_id))
    assert sum(s["declined"] for s in stats["items"]) == 1


async def test_by_password_is_accepted_at_once_and_the_viewer_may_time_out(api: Api) -> None:
    demo = await api.as_user("demo")
    _client, user_id, line_id = await user_line(api)
    reach = {"via": "reverse"}
    made = await create(demo, line_id, user_id, mode="password", reach=reach)
    assert made["state"] == "accepted" and made["reach"]["via"] == "reverse"
    sid = made["id"]
    reply = await demo.call(
        "POST", f"/remote-sessions/{sid}/report", {"state": "timed_out", "reason": "no dial"}
    )
    assert reply.body["state"] == "timed_out" and reply.body["reason"] == "no dial"
    late = await demo.call("POST", f"/remote-sessions/{sid}/report", {"state": "connected"})
    assert late.status == 409


async def test_an_injected_host_is_refused_by_the_contract(api: Api) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    sid = (await create(demo, line_id, user_id))["id"]
    for host in ("-via evil", "/p:x", "a b", "x\ny"):
        reach = {"via": "direct", "host": host, "port": 5900}
        reply = await client.call(
            "POST", f"/remote-sessions/{sid}/answer", {"accept": True, "reach": reach}
        )
        assert reply.status == 400, host
    no_port = {"via": "direct", "host": "10.0.0.5"}
    reply = await client.call(
        "POST", f"/remote-sessions/{sid}/answer", {"accept": True, "reach": no_port}
    )
    assert reply.status == 400


async def test_only_the_line_and_the_user_see_a_session(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    _client, user_id, line_id = await user_line(api)
    morozov_lines = {line["id"] for line in (await morozov.get("/lines"))["items"]}
    assert line_id not in morozov_lines
    sid = (await create(demo, line_id, user_id))["id"]
    new = {"line_id": line_id, "user_id": user_id, "mode": "request"}
    checks = [
        ("GET", f"/remote-sessions/{sid}", None),
        ("POST", f"/remote-sessions/{sid}/report", {"state": "ended"}),
        ("PUT", f"/remote-sessions/{sid}/comment", {"comment": "x"}),
        ("POST", "/remote-sessions", new),
        ("GET", f"/remote-stats?line_id={line_id}", None),
    ]
    for method, path, body in checks:
        reply = await morozov.call(method, path, body)
        assert reply.status == 404, (method, path, reply.status)
    assert (await morozov.get("/remote-sessions"))["items"] == []
    stranger = await api.as_user("m.fadeev")  # another client user
    assert (await stranger.call("GET", f"/remote-sessions/{sid}")).status == 404
    answer = await stranger.call("POST", f"/remote-sessions/{sid}/answer", {"accept": False})
    assert answer.status == 404
    assert (await demo.get(f"/remote-sessions/{sid}"))["state"] == "requested"
    live = await demo.get("/remote-sessions")
    assert [s["id"] for s in live["items"]] == [sid]


async def test_a_request_past_its_time_out_is_timed_out_when_next_touched(
    api: Api, server: ServerProcess
) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    sid = (await create(demo, line_id, user_id))["id"]
    # the request was made long ago (the server's own clock decides; this moves the row)
    db = server.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE remote_sessions SET requested_at = '2000-01-01 00:00:00.000000' WHERE id = ?",
            (sid,),
        )
    assert (await demo.get("/remote-sessions"))["items"] == []  # not live any more
    async with client.events() as ws_user:
        await ws_user.receive(timeout=10)  # hello
        late = await client.call("POST", f"/remote-sessions/{sid}/answer", {"accept": False})
        assert late.status == 409
        assert (await next_remote(ws_user))["state"] == "timed_out"  # the user side is told
    session = await demo.get(f"/remote-sessions/{sid}")
    assert session["state"] == "timed_out" and session["reason"] == "no answer"
    stats = await demo.get("/remote-stats", line_id=str(line_id))
    assert sum(s["timed_out"] for s in stats["items"]) == 1
