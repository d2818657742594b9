"""The Workplace against the real ticket server (loopback), with no QApplication."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery, Status
from app.core.problems import ProblemCode
from app.net.api import ApiClient
from app.net.events import Event
from app.store.credentials import Credentials
from app.store.settings import Settings
from app.workplace import Workplace
from tests.app.workplaces import (
    Recorder,
    client_api,
    ended,
    hold_replies,
    last_user,
    make_workplace,
    open_last_user,
    regular_line,
    until,
    user_writes,
    written_while_held,
)

pytestmark = pytest.mark.core


def test_the_core_imports_without_qt() -> None:
    code = (
        "import sys, app.workplace, app.net.api, app.net.events, app.store.outbox, "
        "app.store.cache, app.clients.userindex, app.store.settings, app.store.credentials, "
        "app.demo.server, app.core.logs, app.startup, app.__main__; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt in the core'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_main_imports_nothing_heavy() -> None:
    code = (
        "import sys, app.__main__; "
        "heavy = [m for m in sys.modules "
        "if m.split('.')[0] in ('aiohttp', 'sqlalchemy', 'PySide6')]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_wrong_password_is_a_problem_not_an_exception(live: Any, tmp_path: Path) -> None:
    wp = make_workplace(tmp_path)
    rec = Recorder(wp)
    try:
        assert not await wp.sign_in(live.url, "demo", "wrong", remember=False)
        assert [p.code for p in rec.of(ch.Problem)] == [ProblemCode.WRONG_PASSWORD]
        assert not await wp.sign_in("http://127.0.0.1:9", "demo", "demo", remember=False)
        assert rec.of(ch.Problem)[-1].code == ProblemCode.UNREACHABLE
    finally:
        await wp.close()


async def test_sign_in_lines_and_users_in_order(
    signed_in: tuple[Workplace, Recorder],
) -> None:
    wp, rec = signed_in
    [signed] = rec.of(ch.SignedIn)
    assert signed.me.login == "demo"
    assert rec.of(ch.LinesLoaded)[-1].lines == wp.lines and wp.lines
    line_id = regular_line(wp)
    await wp.select_line(line_id)
    reset = rec.of(ch.UsersReset)[-1]
    assert reset.line_id == line_id and reset.query == ""
    line = wp.line(line_id)
    assert line is not None and len(reset.ids) == line.user_count
    rows = [wp.users.row(i) for i in reset.ids]
    times = [r.last_message.created_at for r in rows if r.last_message]
    assert times == sorted(times, reverse=True)
    with_msg = [r.last_message is not None for r in rows]
    assert with_msg == sorted(with_msg, reverse=True)  # users without messages come last
    # search: synchronous, over the prepared index
    target = rows[-1]
    wp.search(target.login.upper())
    assert target.id in rec.of(ch.UsersReset)[-1].ids
    wp.search("")
    assert rec.of(ch.UsersReset)[-1].ids == reset.ids


async def test_streaming_line_shows_active_users_and_searches_everyone(
    signed_in: tuple[Workplace, Recorder],
) -> None:
    wp, rec = signed_in
    streaming = [ln for ln in wp.lines if ln.streaming]
    if not streaming:
        pytest.skip("the demo data has no streaming line")
    await wp.select_line(streaming[0].id)
    await until(lambda: wp.users.complete and len(wp.users) == streaming[0].user_count, what="all")
    assert len(wp.users.rows()) < streaming[0].user_count  # not every row is held
    assert 0 < len(wp.users.ids) <= streaming[0].user_count
    assert all(wp.users.row(i).last_message for i in wp.users.ids)
    # everyone is searchable through the directory; rows of the others come when shown
    inactive = [i for i in wp.users.order if i not in wp.users.ids]
    assert inactive
    uid = inactive[-1]
    assert wp.users.get(uid) is None
    with pytest.raises(KeyError):
        wp.users.row(uid)  # what painting it does: the row is fetched
    await until(lambda: wp.users.get(uid) is not None, what="the row fetched")
    row = wp.users.row(uid)
    assert row.last_message is None
    assert ch.UserChanged(row) in rec.changes
    wp.search(row.email)
    assert uid in wp.users.ids


async def test_a_message_while_the_directory_is_on_its_way_keeps_its_row_on_top(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A streaming line: the active users are shown, the directory of everyone is read by
    the server and held while an active user writes — the row stays on top after it lands."""
    wp, _ = signed_in
    streaming = next(ln for ln in wp.lines if ln.streaming)
    assert wp.api is not None and wp.events is not None
    held = hold_replies(monkeypatch, wp.api, "directory")
    await wp.select_line(streaming.id)
    assert not wp.users.complete
    user_id = wp.users.ids[-1]
    row = wp.users.row(user_id)
    await held.server_answered()  # the server has read the directory
    sent = await user_writes(live.url, row, "Снова я")
    await until(lambda: wp.users.ids[0] == user_id, what="lifted by the event")
    held.release()
    await until(lambda: wp.users.complete, what="the directory")
    assert wp.users.ids[0] == user_id and wp.users.order[0] == user_id
    assert wp.users.row(user_id).last_message.id == sent.id  # type: ignore[union-attr]


async def test_open_chat_history_pages_and_card(signed_in: tuple[Workplace, Recorder]) -> None:
    wp, rec = signed_in
    await wp.select_line(regular_line(wp))
    user_id = next(i for i in wp.users.ids if wp.users.row(i).last_message)
    wp.page = 1
    await wp.open_chat(user_id)
    opened = rec.of(ch.ChatOpened)[-1]
    assert opened.user_id == user_id and len(opened.messages) == 1
    row = wp.users.row(user_id)
    assert row.last_message is not None and opened.messages[-1].id == row.last_message.id
    if opened.has_more:
        await wp.load_older(opened.chat_id)
        older = rec.of(ch.HistoryPrepended)[-1]
        assert older.messages and older.messages[-1].id < opened.messages[0].id  # type: ignore[operator]
    await wp.load_card(user_id)
    assert rec.of(ch.CardLoaded)[-1].card.row.id == user_id
    await until(lambda: wp.users.row(user_id).unread == 0, what="read")


async def test_a_card_on_its_way_while_the_row_changes_shows_the_newer_row(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The card's reply is held (the real server's answer, only later) while the user writes:
    the info panel must get the row the event brought, not the card's older copy."""
    wp, rec = signed_in
    user_id, row = await last_user(wp)
    sent = await written_while_held(
        monkeypatch, wp, "user_card", wp.load_card(user_id), live.url, row, "Ещё вопрос"
    )
    shown = rec.of(ch.CardLoaded)[-1].card.row
    assert shown.last_message is not None and shown.last_message.id == sent.id
    assert wp.users.row(user_id).last_message.id == sent.id  # type: ignore[union-attr]


async def test_a_message_written_while_the_chat_opens_is_in_it(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history's reply is held (read by the real server before the user writes, handed
    over after the event came): the chat opens with the new message in it, once."""
    wp, rec = signed_in
    user_id, row = await last_user(wp)
    sent = await written_while_held(
        monkeypatch, wp, "messages", wp.open_chat(user_id), live.url, row, "Пока открывали чат"
    )
    opened = rec.of(ch.ChatOpened)[-1]
    assert [m.id for m in opened.messages].count(sent.id) == 1
    assert opened.messages[-1].id == sent.id
    assert [m.id for m in wp.chats[row.chat_id].messages].count(sent.id) == 1
    await until(lambda: wp.users.row(user_id).unread == 0, what="read up to it")


async def test_a_message_written_while_the_line_loads_lifts_its_row(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line's users are read by the real server, then held while a user of the line
    writes: the list shown has that user on top with the new message and one more unread."""
    wp, rec = signed_in
    line_id = regular_line(wp)
    other = next(ln.id for ln in wp.lines if ln.id != line_id)
    await wp.select_line(line_id)
    user_id = wp.users.ids[-1]
    row = wp.users.row(user_id)
    await wp.select_line(other)
    assert wp.api is not None and wp.events is not None
    held = hold_replies(monkeypatch, wp.api, "all_users")
    selecting = asyncio.create_task(wp.select_line(line_id))
    await held.server_answered()  # the server has read the users
    cursor = wp.events.cursor or 0
    sent = await user_writes(live.url, row, "Пока грузилась линия")
    await until(lambda: (wp.events.cursor or 0) > cursor, what="the event")  # type: ignore[union-attr]
    held.release()
    await selecting
    assert wp.users.line_id == line_id and wp.users.ids[0] == user_id
    shown = wp.users.row(user_id)
    assert shown.last_message is not None and shown.last_message.id == sent.id
    assert shown.unread == row.unread + 1
    # what the window hears: the list as read, then the row moved to the top
    last_reset = max(i for i, c in enumerate(rec.changes) if isinstance(c, ch.UsersReset))
    after = rec.changes[last_reset + 1 :]
    assert any(
        isinstance(c, ch.UserMoved) and c.user_id == user_id and c.new_pos == 0 for c in after
    )


async def test_a_user_chosen_while_another_line_loads_opens_without_a_problem(
    signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The specialist picks another line and, before its users arrive, clicks a user still
    shown from the first line: the card and chat of that user come, with no "no longer there"."""
    wp, rec = signed_in
    shown_before = {wp.current_line_id}  # loaded at sign-in: in the cache now
    first = regular_line(wp)
    await wp.select_line(first)
    user_id = wp.users.ids[0]
    never_shown = next(ln.id for ln in wp.lines if ln.id not in shown_before | {first})
    assert wp.api is not None
    held = hold_replies(monkeypatch, wp.api, "all_users")
    other = asyncio.create_task(wp.select_line(never_shown))  # no cache: nothing to show yet
    await held.server_answered()  # the other line's users are read, not handed over yet
    assert wp.users.line_id == first  # still the first line's list on screen
    problems_before = len(rec.of(ch.Problem))
    await wp.load_card(user_id)
    assert rec.of(ch.CardLoaded)[-1].card.row.id == user_id
    assert len(rec.of(ch.Problem)) == problems_before
    held.release()
    await other


async def test_send_is_delivered_once_and_the_echo_does_not_duplicate(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    await wp.select_line(regular_line(wp))
    user_id = wp.users.ids[-1]
    await wp.open_chat(user_id)
    chat_id = wp.users.row(user_id).chat_id
    msg = wp.send(chat_id, "Добрый день! <b>Проверим</b> связь.")
    assert msg.delivery == Delivery.SENDING and msg.id is None
    added = rec.of(ch.MessageAdded)[-1]
    assert added.message.client_msg_id == msg.client_msg_id
    await until(
        lambda: any(u.message.delivery == Delivery.SENT for u in rec.of(ch.MessageUpdated)),
        what="sent",
    )
    await asyncio.sleep(0.5)  # let the server's echo arrive too
    mine = [m for m in wp.chats[chat_id].messages if m.client_msg_id == msg.client_msg_id]
    assert len(mine) == 1 and mine[0].delivery == Delivery.SENT and mine[0].id
    assert [a for a in rec.of(ch.MessageAdded) if a.message.client_msg_id == msg.client_msg_id] == [
        added
    ]
    assert wp.users.ids[0] == user_id  # own message lifts the row too
    api = ApiClient(live.url)
    try:
        await api.login("demo", "demo")
        items, _ = await api.messages(chat_id, limit=20)
    finally:
        await api.close()
    assert [m.client_msg_id for m in items].count(msg.client_msg_id) == 1
    # an empty message never leaves the workplace
    assert wp.send(chat_id, "   ").delivery == Delivery.FAILED
    assert rec.of(ch.Problem)[-1].code == ProblemCode.MESSAGE_EMPTY


async def test_too_long_message_fails_and_can_be_retried(
    signed_in: tuple[Workplace, Recorder],
) -> None:
    wp, rec = signed_in
    await wp.select_line(regular_line(wp))
    user_id = wp.users.ids[0]
    await wp.open_chat(user_id)
    chat_id = wp.users.row(user_id).chat_id
    msg = wp.send(chat_id, "x" * 10_001)
    await until(
        lambda: any(u.message.delivery == Delivery.FAILED for u in rec.of(ch.MessageUpdated))
    )
    failed = rec.of(ch.MessageUpdated)[-1].message
    assert failed.client_msg_id == msg.client_msg_id and failed.error
    wp.retry(chat_id, msg.client_msg_id)
    assert rec.of(ch.MessageUpdated)[-1].message.delivery == Delivery.SENDING


async def test_a_client_message_arrives_live_and_moves_the_row(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    user_id, row = await last_user(wp)
    old_pos = len(wp.users.ids) - 1
    await wp.open_chat(user_id)
    sent = await user_writes(live.url, row, "Здравствуйте! Не печатается счёт.")
    await until(lambda: rec.of(ch.UserMoved), what="moved")
    assert rec.of(ch.UserMoved)[-1] == ch.UserMoved(user_id, old_pos, 0)
    assert wp.users.ids[0] == user_id
    changed = rec.of(ch.UserChanged)[-1].row
    assert changed.last_message is not None and changed.last_message.id == sent.id
    await until(lambda: any(a.message.id == sent.id for a in rec.of(ch.MessageAdded)))
    assert [m.id for m in wp.chats[row.chat_id].messages].count(sent.id) == 1


async def test_messages_into_the_open_chat_are_unread_until_the_window_is_seen(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    """The specialist switched to another program: a message into the open chat counts as
    unread (here and on the server) until the window is in front again."""
    wp, _ = signed_in
    user_id, row = await open_last_user(wp)
    await until(lambda: wp.users.row(user_id).unread == 0, what="read on opening")
    wp.window_seen(False)
    sent = await user_writes(live.url, row, "Вы здесь?")
    await until(lambda: wp.users.row(user_id).unread == 1, what="unread while away")
    assert any(m.id == sent.id for m in wp.chats[row.chat_id].messages)  # shown, not read
    api = await client_api(live.url, "demo")
    try:
        await ended(wp._chats.tasks, "mark-read")  # a wrong mark-read would be in by now
        assert (await api.user_card(wp.users.line_id, user_id)).row.unread == 1  # type: ignore[arg-type]
        wp.window_seen(True)
        await until(lambda: wp.users.row(user_id).unread == 0, what="read once seen")
        assert (await api.user_card(wp.users.line_id, user_id)).row.unread == 0  # type: ignore[arg-type]
    finally:
        await api.close()


async def test_read_elsewhere_up_to_one_message_leaves_the_newer_unread(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    """A user writes twice; the specialist's other window reads up to the first message:
    the row here keeps one unread message (the server's count), not none."""
    wp, _ = signed_in
    user_id, row = await last_user(wp)
    first = await user_writes(live.url, row, "Первое")
    second = await user_writes(live.url, row, "Второе")
    await until(
        lambda: (m := wp.users.row(user_id).last_message) is not None and m.id == second.id,
        what="both arrived",
    )
    unread = wp.users.row(user_id).unread
    assert unread >= 2
    other_window = await client_api(live.url, "demo")
    try:
        await other_window.mark_read(row.chat_id, first.id)  # type: ignore[arg-type]
        card = await other_window.user_card(wp.users.line_id, user_id)  # type: ignore[arg-type]
    finally:
        await other_window.close()
    assert card.row.unread == 1
    await until(lambda: wp.users.row(user_id).unread == 1, what="the server's count")
    await ended(wp._line.tasks, "refresh-row")  # what the event set going is done
    assert wp.users.row(user_id).unread == 1


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
    assert wp.users.ids[0] == user_id
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
    client = await client_api(live.url, row.login)
    try:
        sent = [
            await client.put_message(row.chat_id, str(uuid.uuid4()), f"Сообщение {i}")
            for i in range(10)
        ]
    finally:
        await client.close()
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
    assert wp.users.ids[0] == user_id
    assert wp.users.row(user_id).last_message.id == ids[-1]  # type: ignore[union-attr]
    await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
    await asyncio.sleep(1.0)  # once: the stream goes on from the server's head, no reload loop
    assert [p.code for p in rec.of(ch.Problem)].count(ProblemCode.EVENTS_RESYNC) == 1
    assert wp.connection == ConnectionState.CONNECTED


async def test_a_message_typed_after_the_session_expired_arrives_after_signing_in_again(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    """The server forgets the session (as after expiry): the message waits, the specialist is
    asked to sign in again, and after that it is delivered — once."""
    wp, rec = signed_in
    _, row = await open_last_user(wp)
    assert wp.api is not None and wp.api.token
    revoker = ApiClient(live.url, wp.api.token)
    try:
        await revoker.logout()
    finally:
        await revoker.close()
    msg = wp.send(row.chat_id, "Написано после истечения сессии")
    await until(
        lambda: any(p.code == ProblemCode.SESSION_EXPIRED for p in rec.of(ch.Problem)),
        what="told to sign in again",
    )
    await asyncio.sleep(0.5)
    mine = [m for m in wp.chats[row.chat_id].messages if m.client_msg_id == msg.client_msg_id]
    assert len(mine) == 1 and mine[0].delivery == Delivery.SENDING  # waits, not failed
    assert await wp.sign_in(live.url, "demo", "demo", remember=False)
    await until(
        lambda: any(
            u.message.client_msg_id == msg.client_msg_id and u.message.delivery == Delivery.SENT
            for u in rec.of(ch.MessageUpdated)
        ),
        what="delivered",
    )
    await asyncio.sleep(1.0)  # a second delivery would be in by now
    api = await client_api(live.url, "demo")
    try:
        items, _ = await api.messages(row.chat_id, limit=20)
    finally:
        await api.close()
    assert [m.client_msg_id for m in items].count(msg.client_msg_id) == 1


async def test_a_malformed_event_is_skipped(signed_in: tuple[Workplace, Recorder]) -> None:
    wp, rec = signed_in
    before = len(rec.changes)
    bad = Event(10**9, "message.created", 1, 1, 1, None, {"id": "nope"})
    await wp._live.on_event(bad)  # as the stream hands them over
    await wp._live.on_event(Event(10**9 + 1, "specialist.status", None, None, None, None, {}))
    await wp._live.on_event(Event(10**9 + 2, "no.such.kind", None, None, None, None, {}))
    assert len(rec.changes) == before


async def test_status_round_trips_and_idle_away(signed_in: tuple[Workplace, Recorder]) -> None:
    wp, rec = signed_in
    await wp.set_status(Status.BUSY_NEW)
    assert rec.of(ch.StatusChanged)[-1] == ch.StatusChanged(Status.BUSY_NEW, False)
    assert wp.api is not None and (await wp.api.me()).status == Status.BUSY_NEW
    wp.idle_seconds = 0.3
    wp.activity()
    await until(lambda: wp.status == Status.AWAY, what="away")
    assert ch.StatusChanged(Status.AWAY, True) in rec.of(ch.StatusChanged)
    wp.idle_seconds = 60
    wp.activity()
    await until(lambda: wp.status == Status.BUSY_NEW, what="back")
    assert rec.of(ch.StatusChanged)[-1] == ch.StatusChanged(Status.BUSY_NEW, True)
    assert (await wp.api.me()).status == Status.BUSY_NEW
    await wp.set_status(Status.FREE)


async def test_offline_messages_survive_a_restart_and_arrive_once(
    live: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    wp = make_workplace(data)
    rec = Recorder(wp)
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        await wp.select_line(regular_line(wp))
        user_id = wp.users.ids[0]
        chat_id = wp.users.row(user_id).chat_id
        await wp.open_chat(user_id)
        live.stop()
        await until(lambda: wp.connection != ConnectionState.CONNECTED, what="offline")
        a = wp.send(chat_id, "Первое, пока сервер недоступен")
        b = wp.send(chat_id, "Второе, пока сервер недоступен")
        await asyncio.sleep(0.5)
        assert not [u for u in rec.of(ch.MessageUpdated) if u.message.delivery != Delivery.SENDING]
    finally:
        await wp.close()
    live.start()
    wp2 = make_workplace(data)
    rec2 = Recorder(wp2)
    try:
        assert await wp2.sign_in(live.url, "demo", "demo", remember=False)
        await until(lambda: not wp2.outbox.items(wp2.account), what="outbox empty")
        sent = {
            u.message.client_msg_id
            for u in rec2.of(ch.MessageUpdated)
            if u.message.delivery == Delivery.SENT
        }
        assert {a.client_msg_id, b.client_msg_id} <= sent
        assert wp2.api is not None
        items, _ = await wp2.api.messages(chat_id, limit=20)
        cmids = [m.client_msg_id for m in items]
        assert cmids.count(a.client_msg_id) == 1 and cmids.count(b.client_msg_id) == 1
        assert cmids.index(a.client_msg_id) < cmids.index(b.client_msg_id)
    finally:
        await wp2.close()


async def test_the_cache_shows_the_last_state_when_the_server_is_away(
    live: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    creds = Credentials(use_keyring=False)
    wp = make_workplace(data)
    wp.credentials = creds
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=True)
        line_id = regular_line(wp)
        await wp.select_line(line_id)
        ids = list(wp.users.ids)
        await wp.open_chat(ids[0])
        chat_id = wp.users.row(ids[0]).chat_id
        url = wp.server_url
        assert url is not None
    finally:
        await wp.close()
    live.stop()
    wp2 = make_workplace(data)
    wp2.credentials = creds
    rec = Recorder(wp2)
    try:
        assert await wp2.resume_session(url)
        assert rec.of(ch.SignedIn) and rec.of(ch.LinesLoaded)
        assert wp2.current_line_id == line_id or wp2.lines
        await wp2.select_line(line_id)
        assert list(rec.of(ch.UsersReset)[-1].ids) == ids
        await wp2.open_chat(ids[0])
        assert rec.of(ch.ChatOpened)[-1].chat_id == chat_id and rec.of(ch.ChatOpened)[-1].messages
        assert wp2.connection != ConnectionState.CONNECTED
    finally:
        await wp2.close()
        live.start()


async def test_what_was_shown_from_the_cache_is_brought_up_to_date_when_the_server_is_back(
    live: Any, tmp_path: Path
) -> None:
    """The program starts while the server is away and shows the cached state; a user had
    written in since that state was cached. When the server is back, the list and the open
    chat show the message (the stream alone would only bring what happens from then on)."""
    data = tmp_path / "data"
    creds = Credentials(use_keyring=False)
    wp = make_workplace(data)
    wp.credentials = creds
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=True)
        user_id, row = await open_last_user(wp)
        url = wp.server_url
        assert url is not None
    finally:
        await wp.close()
    sent = await user_writes(live.url, row, "Пока вас не было")
    live.stop()
    wp2 = make_workplace(data)
    wp2.credentials = creds
    try:
        assert await wp2.resume_session(url)
        await wp2.select_line(regular_line(wp2))
        await wp2.open_chat(user_id)
        assert wp2.users.ids[0] != user_id  # the cache: before the message
        live.start()
        await until(lambda: wp2.connection == ConnectionState.CONNECTED, what="back")
        await until(lambda: wp2.users.ids[0] == user_id, what="the list brought up to date")
        assert wp2.users.row(user_id).last_message.id == sent.id  # type: ignore[union-attr]
        await until(
            lambda: any(m.id == sent.id for m in wp2.chats[row.chat_id].messages),
            what="the open chat brought up to date",
        )
    finally:
        await wp2.close()


@contextlib.asynccontextmanager
async def started(data: Path, url: str, login: str) -> AsyncIterator[Workplace]:
    """A program's Workplace on `data`, signed in as `login`; closed after."""
    wp = make_workplace(data)
    try:
        assert await wp.sign_in(url, login, "demo", remember=False)
        yield wp
    finally:
        await wp.close()


async def test_drafts_survive_a_restart_per_account_and_chat(live: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    text = "Добрый день! Проверьте, пожалуйста,\nнастройки"
    signed_out = make_workplace(data)
    try:
        assert signed_out.draft(1) == ""  # not signed in: nothing, and nothing kept
        signed_out.keep_draft(1, "нет")
    finally:
        await signed_out.close()
    async with started(data, live.url, "demo") as wp:
        _, row = await open_last_user(wp)
        assert wp.draft(row.chat_id) == ""
        wp.keep_draft(row.chat_id, text)
        wp.keep_draft(row.chat_id + 1, "   ")  # blank: no draft
    async with started(data, live.url, "demo") as wp:
        assert wp.draft(row.chat_id) == text
        assert wp.draft(row.chat_id + 1) == ""
        wp.keep_draft(row.chat_id, "")
        assert wp.draft(row.chat_id) == ""
    # another specialist on the same computer has their own
    async with started(data, live.url, "o.smirnova") as wp:
        wp.keep_draft(row.chat_id, "чужой черновик")
    async with started(data, live.url, "demo") as wp:
        assert wp.draft(row.chat_id) == ""


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


async def test_another_specialist_sees_the_status(
    live: Any, signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    wp, _ = signed_in
    other = make_workplace(tmp_path / "other")
    rec = Recorder(other)
    try:
        assert await other.sign_in(live.url, "o.smirnova", "demo", remember=False)
        await until(lambda: other.connection == ConnectionState.CONNECTED, what="connected")
        assert wp.me is not None and wp.me.id in other.colleagues
        await wp.set_status(Status.DND)
        await until(
            lambda: any(
                c.colleague.id == wp.me.id and c.colleague.status == Status.DND  # type: ignore[union-attr]
                for c in rec.of(ch.ColleagueChanged)
            ),
            what="colleague status",
        )
        assert other.colleagues[wp.me.id].status == Status.DND
    finally:
        await other.close()
