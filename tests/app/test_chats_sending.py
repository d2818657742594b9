"""The Workplace against the real ticket server (loopback), with no QApplication: chats —
history, sending (once, retried, offline across a restart), unread and read."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery, Message, UserRow
from app.core.problems import ProblemCode
from app.net.api import ApiClient
from app.workplace import Workplace
from tests.app.order import on_top
from tests.app.workplaces import (
    Recorder,
    client_api,
    ended,
    hold_replies,
    last_message_is,
    last_user,
    make_workplace,
    open_last_user,
    regular_line,
    until,
    user_writes,
    user_writes_each,
    written_while_held,
)

pytestmark = pytest.mark.core


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
    assert on_top(wp.users, user_id)  # own message lifts the row too
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


async def test_a_reply_delivered_while_the_chat_is_shown_from_a_jump_leaves_no_gap(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sent, then the chat shown around an old message (a search hit) before the server's
    answer came: the delivered reply waits for the newer pages instead of being put after the
    jump's page — else the next newer page started after it and skipped every message between."""
    from app.clients.chats import JUMP, LOAD_NEWER

    wp, _rec = signed_in
    row, written = await _sixteen_then_open(live, wp)
    assert wp.api is not None
    held = hold_replies(monkeypatch, wp.api, "put_message")
    reply = wp.send(row.chat_id, "Сейчас посмотрю")
    await held.server_answered()
    shown = await wp.act(JUMP, row.chat_id, written[0].id)
    assert shown is not None and shown[2]  # newer pages on the server
    held.release()
    await until(lambda: not wp.outbox.items(wp.account), what="delivered")
    chat = wp.chats[row.chat_id]
    while chat.has_newer:
        await wp.act(LOAD_NEWER, row.chat_id)
    ids = [m.id for m in chat.messages if m.id is not None]
    assert ids == sorted(ids)
    mine = next(m for m in chat.messages if m.client_msg_id == reply.client_msg_id)
    assert {w.id for w in written} | {mine.id} <= set(ids), "a gap after the jump's page"


async def _sixteen_then_open(live: Any, wp: Workplace) -> tuple[UserRow, list[Message]]:
    """The row's user writes sixteen questions; the chat opens with its last five."""
    wp.page = 5
    user_id, row = await last_user(wp)
    written = await user_writes_each(live.url, row, [f"Вопрос №{i}" for i in range(16)])
    await until(lambda: last_message_is(wp, user_id, written[-1].id), what="heard")
    await wp.open_chat(user_id)
    return row, written


async def test_a_message_written_while_the_last_newer_page_is_on_its_way_is_shown(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shown from a jump, scrolled down: the last newer page is read by the real server and
    held while the user writes. That page ends the jump (nothing newer on the server, it
    said); the message written meanwhile follows it — else it stayed hidden until reopened."""
    from app.clients.chats import JUMP, LOAD_NEWER

    wp, _rec = signed_in
    row, written = await _sixteen_then_open(live, wp)
    shown = await wp.act(JUMP, row.chat_id, written[0].id)
    assert shown is not None and shown[2]
    chat = wp.chats[row.chat_id]
    while len([w for w in written if w.id not in chat.ids]) > wp.page:
        await wp.act(LOAD_NEWER, row.chat_id)
    assert chat.has_newer
    sent = await written_while_held(
        monkeypatch, wp, "messages", wp.act(LOAD_NEWER, row.chat_id), live.url, row, "Ещё"
    )
    assert not chat.has_newer
    ids = [m.id for m in chat.messages if m.id is not None]
    assert ids[-1] == sent.id and ids == sorted(ids)
    assert {w.id for w in written} <= set(ids)

    # shown now, so read: live messages were not shown (nor the server told) while the jump
    # lasted — the server's count, as the next start or line switch would show it
    await ended(wp._chats.tasks, "mark-read")
    assert wp.api is not None
    card = await wp.api.call("GET", f"/lines/{wp.users.line_id}/users/{row.id}")
    assert card["unread"] == 0


async def test_a_newer_page_that_comes_after_another_jump_is_dropped(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer page asked for, then a jump elsewhere in the same chat before it came: the
    page follows the old view, not the jump's (else a run of messages out of place)."""
    from app.clients.chats import JUMP, LOAD_NEWER

    wp, _rec = signed_in
    row, written = await _sixteen_then_open(live, wp)
    await wp.act(JUMP, row.chat_id, written[0].id)
    assert wp.api is not None
    held = hold_replies(monkeypatch, wp.api, "messages")
    newer = asyncio.create_task(wp.act(LOAD_NEWER, row.chat_id))
    await held.server_answered()
    monkeypatch.undo()
    shown = await wp.act(JUMP, row.chat_id, written[8].id)
    assert shown is not None
    held.release()
    assert await newer is None
    ids = [m.id for m in wp.chats[row.chat_id].messages if m.id is not None]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert ids == [m.id for m in shown[0] if m.id is not None]


async def test_a_message_written_while_a_jump_near_the_end_is_on_its_way_is_shown(
    live: Any, signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A jump to the sixth message from the end: its page reaches the present. The user writes
    while it is on its way (read by the real server, held): the message follows the page."""
    from app.clients.chats import JUMP

    wp, _rec = signed_in
    row, written = await _sixteen_then_open(live, wp)
    sent = await written_while_held(
        monkeypatch, wp, "call", wp.act(JUMP, row.chat_id, written[-6].id), live.url, row, "Ещё"
    )
    chat = wp.chats[row.chat_id]
    assert not chat.has_newer
    ids = [m.id for m in chat.messages if m.id is not None]
    assert ids[-1] == sent.id and ids == sorted(ids)
    assert written[-6].id in ids
