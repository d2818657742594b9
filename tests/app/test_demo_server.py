"""The Workplace's demo mode with no QApplication: the embedded server started, stopped and
started again when it ends under us."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery
from app.core.problems import ProblemCode
from tests.app.workplaces import (
    Recorder,
    make_workplace,
    open_last_user,
    until,
)

pytestmark = pytest.mark.core


async def test_demo_mode_starts_and_stops_the_embedded_server(tmp_path: Path) -> None:
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    try:
        assert await wp.start_demo(), rec.of(ch.Problem)
        assert wp.demo and rec.of(ch.SignedIn)[-1].demo
        assert (tmp_path / "data" / "demo.sqlite3").exists()
        assert wp.lines and wp.users.ids
        pid = wp.demo_server.pid
        assert pid is not None
        # signed in with the server's own session (no argon2 check), which is never logged
        token = wp.demo_server.token
        assert token and wp.api is not None and wp.api.token == token
        assert not any(token in line for line in wp.demo_server.output)
    finally:
        await wp.close()
    import os

    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_a_demo_server_that_ends_under_us_is_started_again(tmp_path: Path) -> None:
    """The embedded server is killed mid-session: the program starts it again on its port
    and database, says so, and the message typed meanwhile is delivered once. A server that
    keeps ending is started again at most three times a minute, then the program says so."""
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    try:
        assert await wp.start_demo(), rec.of(ch.Problem)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
        user_id, row = await open_last_user(wp)
        url, first = wp.demo_server.url, wp.demo_server.pid
        os.kill(first, signal.SIGKILL)
        await until(lambda: wp.connection != ConnectionState.CONNECTED, what="noticed")
        msg = wp.send(row.chat_id, "Пока сервер перезапускался")
        await until(
            lambda: any(p.code == ProblemCode.DEMO_RESTARTED for p in rec.of(ch.Problem)),
            within=30,
            what="started again",
        )
        assert wp.demo_server.pid not in (None, first) and wp.demo_server.url == url
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="back")
        await until(
            lambda: any(
                u.message.client_msg_id == msg.client_msg_id and u.message.delivery == Delivery.SENT
                for u in rec.of(ch.MessageUpdated)
            ),
            what="delivered",
        )
        assert [m.client_msg_id for m in wp.chats[row.chat_id].messages].count(
            msg.client_msg_id
        ) == 1

        # it keeps ending (killed as soon as it is back): started again twice more, then
        # left down, and said so
        def said(code: ProblemCode) -> int:
            return [p.code for p in rec.of(ch.Problem)].count(code)

        for restarted in (2, 3):
            await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
            os.kill(wp.demo_server.pid, signal.SIGKILL)
            await until(lambda n=restarted: said(ProblemCode.DEMO_RESTARTED) == n, within=30)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
        os.kill(wp.demo_server.pid, signal.SIGKILL)
        await until(lambda: said(ProblemCode.DEMO_FAILED) == 1, within=30, what="given up")
        await asyncio.sleep(2.0)  # the stream keeps knocking; the program says it once
        assert said(ProblemCode.DEMO_FAILED) == 1 and said(ProblemCode.DEMO_RESTARTED) == 3
        assert wp.demo_server.ended
        assert user_id in wp.users.ids  # the window keeps what it shows
    finally:
        await wp.close()
