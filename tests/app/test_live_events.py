"""The Workplace against the real ticket server (loopback), with no QApplication: live
events — a message moving its row, reconnecting from the cursor, a server that stops
answering, a resync, a malformed event."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery
from app.core.problems import ProblemCode
from app.net.events import Event
from app.store.credentials import Credentials
from app.store.settings import Settings
from app.workplace import Workplace
from tests.app.order import on_top
from tests.app.workplaces import (
    Recorder,
    client_api,
    last_user,
    open_last_user,
    regular_line,
    until,
    user_writes,
    user_writes_each,
)

pytestmark = pytest.mark.core


async def test_a_client_message_arrives_live_and_moves_the_row(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    user_id, row = await last_user(wp)
    old_pos = len(wp.users.ids) - 1
    await wp.open_chat(user_id)
    sent = await user_writes(live.url, row, "Здравствуйте! Не печатается счёт.")
    await until(lambda: rec.of(ch.UserMoved), what="moved")
    moved = rec.of(ch.UserMoved)[-1]
    assert (moved.user_id, moved.old_pos) == (user_id, old_pos)
    assert moved.new_pos == wp.users.ids.index(user_id)  # the top (or of those waiting for me)
    assert on_top(wp.users, user_id)
    changed = rec.of(ch.UserChanged)[-1].row
    assert changed.last_message is not None and changed.last_message.id == sent.id
    await until(lambda: any(a.message.id == sent.id for a in rec.of(ch.MessageAdded)))
    assert [m.id for m in wp.chats[row.chat_id].messages].count(sent.id) == 1


async def test_reconnect_resumes_from_the_cursor(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    user_id, row = await open_last_user(wp)
    assert wp.events is not None
    connects = wp.events.connects
    client = await client_api(live.url, row.login)
    try:
        # drop the socket; a message is posted while the stream is down
        wp.events._base = 1.0
        ws = wp.events._ws
        assert ws is not None
        await ws.close()
        await until(lambda: wp.connection != ConnectionState.CONNECTED, what="disconnected")
        sent = await client.put_message(row.chat_id, str(uuid.uuid4()), "Пока вас не было")
    finally:
        await client.close()
    await until(lambda: wp.events is not None and wp.events.connects > connects, what="reconnect")
    await until(
        lambda: any(a.message.id == sent.id for a in rec.of(ch.MessageAdded)), what="missed"
    )
    # events come in order: once a later one is in, a second copy of the missed one would be
    later = await user_writes(live.url, row, "И ещё")
    await until(lambda: any(a.message.id == later.id for a in rec.of(ch.MessageAdded)))
    assert [m.id for m in wp.chats[row.chat_id].messages].count(sent.id) == 1
    assert on_top(wp.users, user_id)
    states = [c.state for c in rec.of(ch.ConnectionChanged)]
    assert ConnectionState.CONNECTING in states and states[-1] == ConnectionState.CONNECTED


async def test_a_server_that_stops_answering_shows_reconnecting_and_loses_nothing(
    live: Any, tmp_path: Path
) -> None:
    """The real server frozen (SIGSTOP: no FIN, no RST — like a network that silently drops
    packets): the missed pong drops the socket, the state says so; a message typed meanwhile
    is delivered once when the server answers again."""
    wp = Workplace(
        tmp_path / "data",
        settings=Settings(tmp_path / "settings.json"),
        credentials=Credentials(use_keyring=False),
        backoff_base=0.2,
        backoff_max=1.0,
        heartbeat=1.0,
    )
    rec = Recorder(wp)
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
        await wp.select_line(regular_line(wp))
        user_id = wp.users.ids[0]
        await wp.open_chat(user_id)
        chat_id = wp.users.row(user_id).chat_id
        assert live.process is not None
        os.kill(live.process.pid, signal.SIGSTOP)
        try:
            msg = wp.send(chat_id, "Связь пропала?")
            await until(
                lambda: wp.connection != ConnectionState.CONNECTED, within=5, what="noticed"
            )
            await asyncio.sleep(0.5)
            # still waiting: in the outbox, shown as sending, never updated
            assert [i.client_msg_id for i in wp.outbox.pending(wp.account)] == [msg.client_msg_id]
            shown = [m for m in wp.chats[chat_id].messages if m.client_msg_id == msg.client_msg_id]
            assert [m.delivery for m in shown] == [Delivery.SENDING]
            assert not [
                u for u in rec.of(ch.MessageUpdated) if u.message.client_msg_id == msg.client_msg_id
            ]
        finally:
            os.kill(live.process.pid, signal.SIGCONT)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="back")
        await until(
            lambda: any(
                u.message.client_msg_id == msg.client_msg_id and u.message.delivery == Delivery.SENT
                for u in rec.of(ch.MessageUpdated)
            ),
            within=20,
            what="delivered",
        )
        api = await client_api(live.url, "demo")
        try:
            items, _ = await api.messages(chat_id, limit=20)
        finally:
            await api.close()
        assert [m.client_msg_id for m in items].count(msg.client_msg_id) == 1
    finally:
        await wp.close()


async def test_away_longer_than_the_server_keeps_events_reloads_and_misses_nothing(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    """The stream is down (a laptop asleep) while a user writes ten messages, and the server
    restarts keeping only the last 3 events: the cursor is too old, the server says resync,
    the specialist is told, and lines, users and the open chat are reloaded — every message
    there, once."""
    wp, rec = signed_in
    user_id, row = await open_last_user(wp)
    assert wp.events is not None
    await wp.events.stop()  # asleep: nothing arrives
    sent = await user_writes_each(live.url, row, [f"Сообщение {i}" for i in range(10)])
    live.stop()
    live.extra += ["--event-retention", "3"]
    live.start()  # the log is trimmed at start
    wp.events.start()
    await until(
        lambda: any(p.code == ProblemCode.EVENTS_RESYNC for p in rec.of(ch.Problem)), what="resync"
    )
    ids = [m.id for m in sent]
    await until(
        lambda: (
            (c := wp.chats.get(row.chat_id)) is not None
            and all(i in {m.id for m in c.messages} for i in ids)
        ),
        what="the chat reloaded",
    )
    assert [m.id for m in wp.chats[row.chat_id].messages if m.id in ids] == ids
    assert on_top(wp.users, user_id)
    assert wp.users.row(user_id).last_message.id == ids[-1]  # type: ignore[union-attr]
    await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
    await asyncio.sleep(1.0)  # once: the stream goes on from the server's head, no reload loop
    assert [p.code for p in rec.of(ch.Problem)].count(ProblemCode.EVENTS_RESYNC) == 1
    assert wp.connection == ConnectionState.CONNECTED


async def test_a_malformed_event_is_skipped(signed_in: tuple[Workplace, Recorder]) -> None:
    wp, rec = signed_in
    before = len(rec.changes)
    bad = Event(10**9, "message.created", 1, 1, 1, None, {"id": "nope"})
    await wp._live.on_event(bad)  # as the stream hands them over
    await wp._live.on_event(Event(10**9 + 1, "specialist.status", None, None, None, None, {}))
    await wp._live.on_event(Event(10**9 + 2, "no.such.kind", None, None, None, None, {}))
    assert len(rec.changes) == before
