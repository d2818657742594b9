"""The core's remote sessions end to end: the real server, the user side answering through
the API, x11vnc as the user's computer and the real viewer started by the launcher."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Status
from app.net.api import ApiClient
from app.net.errors import Unreachable
from app.remote import part as remote_part
from app.workplace import Workplace
from contract.remote import RemoteMode
from remote.outcome import Phase
from tests.app.workplaces import Recorder, client_api, make_workplace, until
from tests.conftest import ServerProcess
from tests.remote.conftest import PASSWORD
from tests.remote.hosts import Display, VncHost

pytestmark = pytest.mark.remote

USER = "a.troitskiy"


@pytest.fixture
async def desk(
    server: ServerProcess,
    tmp_path: Path,
    specialist_screen: Display,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[Workplace, Recorder]]:
    monkeypatch.setenv("DISPLAY", specialist_screen.name)  # the viewer's screen
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    assert await wp.sign_in(server.url, "demo", "demo", remember=False)
    await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
    try:
        yield wp, rec
    finally:
        await wp.close()


async def user_side(server: ServerProcess) -> tuple[ApiClient, int, int]:
    client = await client_api(server.url, USER)
    me = await client.call("GET", "/me")
    chat = (await client.call("GET", "/chats"))["items"][0]
    return client, int(me["id"]), int(chat["line"]["id"])


def phases(rec: Recorder) -> list[str | None]:
    return [c.phase for c in rec.of(ch.RemoteChanged)]


async def test_by_request_accepted_connects_reports_and_takes_a_comment(
    desk: tuple[Workplace, Recorder], server: ServerProcess, vnc_host: Callable[..., VncHost]
) -> None:
    wp, rec = desk
    host = vnc_host(None)  # by request: the user's own side publishes its host
    client, user_id, line_id = await user_side(server)
    try:
        made = await wp.act(remote_part.CONNECT, line_id, user_id, RemoteMode.REQUEST)
        assert made is not None and made.state == "requested"
        reach = {"via": "direct", "host": "127.0.0.1", "port": host.port}
        await client.call(
            "POST", f"/remote-sessions/{made.id}/answer", json={"accept": True, "reach": reach}
        )
    finally:
        await client.close()
    await until(lambda: wp.remote.sessions[made.id].state == "connected", 30, "connected")
    assert "connected" in phases(rec)
    assert [s.id for s in wp.remote.live()] == [made.id]
    wp.idle_seconds = 0.3  # working in the viewer: no automatic Away meanwhile
    await asyncio.sleep(1.0)
    assert wp.status == Status.FREE
    await wp.act(remote_part.STOP, made.id)
    await until(lambda: wp.remote.sessions[made.id].state == "ended", what="ended")
    await until(lambda: wp.status == Status.AWAY, what="away once the viewer ended")
    wp.idle_seconds = 60
    wp.activity()
    await until(lambda: wp.status == Status.FREE, what="back")
    await wp.act(remote_part.COMMENT, made.id, "проверили печать")
    assert wp.remote.sessions[made.id].comment == "проверили печать"
    assert wp.remote.live() == []


async def test_by_password_wrong_password_is_reported_as_failed(
    desk: tuple[Workplace, Recorder], server: ServerProcess, vnc_host: Callable[..., VncHost]
) -> None:
    wp, rec = desk
    host = vnc_host()
    client, user_id, line_id = await user_side(server)
    await client.close()
    made = await wp.act(
        remote_part.CONNECT, line_id, user_id, RemoteMode.PASSWORD, "wrong", "127.0.0.1", host.port
    )
    assert made is not None
    await until(lambda: wp.remote.sessions[made.id].state == "failed", 30, "failed")
    assert wp.remote.sessions[made.id].reason == "password_rejected"
    assert "password_rejected" in phases(rec)


async def by_password(wp: Workplace, server: ServerProcess, host: VncHost) -> Any:
    """A session asked for by password with the user's computer (``host``) at hand."""
    client, user_id, line_id = await user_side(server)
    await client.close()
    made = await wp.act(
        remote_part.CONNECT, line_id, user_id, RemoteMode.PASSWORD, PASSWORD, "127.0.0.1", host.port
    )
    assert made is not None
    return made


async def test_by_password_right_password_connects(
    desk: tuple[Workplace, Recorder], server: ServerProcess, vnc_host: Callable[..., VncHost]
) -> None:
    wp, _rec = desk
    made = await by_password(wp, server, vnc_host())
    await until(lambda: wp.remote.phases.get(made.id) is Phase.CONNECTED, 30, "connected")
    # stopped at once: the viewer's "connected" report still reaches the server first, and
    # the server's echo of "accepted" never starts a second viewer
    await wp.act(remote_part.STOP, made.id)
    await until(lambda: wp.remote.sessions[made.id].state == "ended", what="ended")
    ended = wp.remote.sessions[made.id]
    assert ended.connected_at is not None and ended.reason is None
    assert [v.session_id for v in wp.remote.launcher.viewers()] == []


async def test_a_report_the_network_lost_is_sent_again(
    desk: tuple[Workplace, Recorder],
    server: ServerProcess,
    vnc_host: Callable[..., VncHost],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The viewer's "connected" report lost on the way (a connection cut) is tried again
    (before: once, and the server kept the session "accepted" under a connected viewer)."""
    wp, _rec = desk
    assert wp.api is not None
    monkeypatch.setattr(remote_part, "REPORT_RETRY_S", (0.2, 0.2))
    real, lost = wp.api.call, []

    async def first_report_lost(method: str, path: str, **kw: Any) -> Any:
        if path.endswith("/report") and not lost:
            lost.append(path)
            raise Unreachable(detail="ServerDisconnected")
        return await real(method, path, **kw)

    monkeypatch.setattr(wp.api, "call", first_report_lost)
    made = await by_password(wp, server, vnc_host())
    await until(lambda: wp.remote.sessions[made.id].state == "connected", 30, "connected")
    assert lost
    await wp.act(remote_part.STOP, made.id)
    await until(lambda: wp.remote.sessions[made.id].state == "ended", what="ended")


async def test_preflight_says_viewer_missing_and_unreachable(
    desk: tuple[Workplace, Recorder], server: ServerProcess
) -> None:
    from remote.backends import TigerVnc
    from remote.launcher import free_port

    wp, rec = desk
    client, user_id, line_id = await user_side(server)
    await client.close()
    port = free_port("127.0.0.1")  # nobody listens there
    mode = RemoteMode.PASSWORD
    made = await wp.act(remote_part.CONNECT, line_id, user_id, mode, "x", "127.0.0.1", port)
    assert made is None and phases(rec)[-1] == "refused"
    wp.remote.backend_factory = lambda: TigerVnc("no-such-viewer")
    made = await wp.act(remote_part.CONNECT, line_id, user_id, mode, "x", "127.0.0.1", port)
    assert made is None and phases(rec)[-1] == "viewer_missing"
    assert os.environ["DISPLAY"]


async def test_a_colleague_on_the_line_follows_the_session(
    desk: tuple[Workplace, Recorder],
    server: ServerProcess,
    vnc_host: Callable[..., VncHost],
    tmp_path: Path,
) -> None:
    wp, _rec = desk
    host = vnc_host()
    client, user_id, line_id = await user_side(server)
    await client.close()
    colleague = None
    for login in ("d.kuznetsov", "o.smirnova", "s.orlov", "i.sokolov"):
        api = await client_api(server.url, login)
        lines = {line["id"] for line in (await api.call("GET", "/lines"))["items"]}
        await api.close()
        if line_id in lines:
            colleague = login
            break
    assert colleague is not None, "the demo has a colleague on this line"
    other = make_workplace(tmp_path / "colleague")
    seen = Recorder(other)
    try:
        assert await other.sign_in(server.url, colleague, "demo", remember=False)
        await until(lambda: other.connection == ConnectionState.CONNECTED, what="connected")
        made = await wp.act(
            remote_part.CONNECT, line_id, user_id, RemoteMode.PASSWORD, PASSWORD,
            "127.0.0.1", host.port,
        )  # fmt: skip
        assert made is not None

        def states() -> list[str]:
            return [
                c.session.state.value
                for c in seen.of(ch.RemoteChanged)
                if c.session is not None and c.session.id == made.id
            ]

        await until(lambda: "connected" in states(), 30, "the colleague sees it connected")
        assert other.remote.live() == []  # not theirs: nothing for them to stop
        await wp.act(remote_part.STOP, made.id)
        await until(lambda: "ended" in states(), what="the colleague sees it end")
        assert other.remote.launcher.viewers() == []  # no viewer of theirs ever started
    finally:
        await other.close()


async def test_reverse_the_viewer_listens_and_the_user_side_learns_where(
    desk: tuple[Workplace, Recorder],
    server: ServerProcess,
    user_screen: Display,
) -> None:
    """By password, reverse: the viewer listens on a port of its own; the server tells the
    user side (host and port); the user's x11vnc dials out there and the viewer connects."""
    wp, _rec = desk
    client, user_id, line_id = await user_side(server)
    try:
        made = await wp.act(
            remote_part.CONNECT, line_id, user_id, RemoteMode.PASSWORD, PASSWORD,
            None, None, True,
        )  # fmt: skip
        assert made is not None and made.reach is not None and made.reach.port is None

        async def published() -> dict[str, object] | None:
            seen = await client.call("GET", f"/remote-sessions/{made.id}")
            reach = seen["reach"]
            return reach if reach and reach["port"] else None

        reach: dict[str, object] | None = None

        async def poll() -> bool:  # the user side reads the session as its app would
            nonlocal reach
            reach = await published()
            return reach is not None

        async with asyncio.timeout(20):
            while not await poll():  # noqa: ASYNC110 - the user side has no stream here
                await asyncio.sleep(0.1)
        assert reach is not None and reach["via"] == "reverse"
        assert reach["host"] == "127.0.0.1"  # the way to the (loopback) server
        host = VncHost(user_screen, PASSWORD, connect_to=int(str(reach["port"])))
        try:
            await until(lambda: wp.remote.sessions[made.id].state == "connected", 30)
        finally:
            await wp.act(remote_part.STOP, made.id)
            await asyncio.to_thread(host.stop)
    finally:
        await client.close()


async def test_a_user_disconnected_from_the_line_ends_the_connected_session(
    desk: tuple[Workplace, Recorder], server: ServerProcess, vnc_host: Callable[..., VncHost]
) -> None:
    """Disconnected from the line (seed 004) while a specialist is in their desktop: the
    server ends the session with the reason and the specialist's viewer is closed."""
    wp, _rec = desk
    host = vnc_host(None)
    client, user_id, line_id = await user_side(server)
    colleague = await client_api(server.url, "o.smirnova")  # serves the line too
    path = f"/lines/{line_id}/users/{user_id}/disconnection"
    try:
        made = await wp.act(remote_part.CONNECT, line_id, user_id, RemoteMode.REQUEST)
        assert made is not None
        reach = {"via": "direct", "host": "127.0.0.1", "port": host.port}
        await client.call(
            "POST", f"/remote-sessions/{made.id}/answer", json={"accept": True, "reach": reach}
        )
        await until(lambda: wp.remote.sessions[made.id].state == "connected", 30, "connected")
        viewer = wp.remote.launcher.get(str(made.id))
        assert viewer is not None and viewer.live
        await colleague.call("PUT", path, json={"reason": "Грубость после предупреждения"})
        await until(lambda: not viewer.live, 10, "the viewer closed")
        ended = wp.remote.sessions[made.id]
        assert (ended.state, ended.reason) == ("ended", "the user was disconnected from the line")
        assert wp.remote.live() == []
    finally:
        await colleague.call("DELETE", path)
        await client.close()
        await colleague.close()
