"""What the specialist did while the server could not be reached, or while something else
answered in its place, is done once it is back: a chat read then (the read was dropped with
the failed request, and the row's badge, the Unread filter and the colleagues' lists kept it
unread for good), messages sent through a proxy answering its own page (each was failed
for good, a Retry by hand apiece)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from app.core.domain import ConnectionState, Delivery
from tests.app.workplaces import client_api, open_last_user, serving, until, user_writes

pytestmark = [pytest.mark.core, pytest.mark.chat]


async def _unread_on_server(url: str, line_id: int, user_id: int) -> int:
    api = await client_api(url, "demo")
    try:
        (row,) = await api.user_rows(line_id, [user_id])
        return row.unread
    finally:
        await api.close()


async def test_a_chat_read_while_the_server_is_down_is_read_when_it_is_back(
    signed_in: Any, live: Any
) -> None:
    wp, _rec = signed_in
    user_id, row = await open_last_user(wp)
    wp.window_seen(False)  # the window behind others: the user's message waits unread
    await user_writes(live.url, row, "Добрый день, не открывается база")
    await until(lambda: wp.users.row(user_id).unread > 0, what="the row counts it")
    live.stop()
    await until(lambda: wp.connection != ConnectionState.CONNECTED, 20, "the server gone")
    wp.window_seen(True)  # the specialist reads the chat now
    await until(lambda: not wp._chats._read_wanted, what="the read tried")
    live.start()  # the same port and database
    await until(lambda: wp.connection == ConnectionState.CONNECTED, 30, "back")
    await until(lambda: wp.users.row(user_id).unread == 0, 15, "read in the list")
    assert await _unread_on_server(live.url, wp.current_line_id, user_id) == 0


async def _portal_page(_request: web.Request) -> web.Response:
    return web.Response(text="<html><body>Welcome! Accept the terms</body></html>",
                        content_type="text/html")  # fmt: skip


async def _another_json(_request: web.Request) -> web.Response:
    return web.json_response({"hello": 1})  # JSON, not the contract's message


@pytest.fixture
async def captive_portal() -> AsyncIterator[str]:
    """A hotel's Wi-Fi page in the server's place: 200, HTML, whatever is asked."""
    async for url in serving(_portal_page):
        yield url


@pytest.fixture
async def other_json() -> AsyncIterator[str]:
    """Something answering JSON that is not the contract's (another version, a bug)."""
    async for url in serving(_another_json):
        yield url


async def test_messages_answered_by_a_proxy_page_wait_and_go_once(
    signed_in: Any, live: Any, captive_portal: str
) -> None:
    wp, _rec = signed_in
    _user_id, row = await open_last_user(wp)
    wp.api.server_url = captive_portal
    texts = ["Первое", "Второе", "Третье"]
    for text in texts:
        wp.send(row.chat_id, text)
    await until(lambda: wp.outbox.items(wp.account)[0].attempts > 0, what="tried")
    shown = [m for m in wp._chats.chats[row.chat_id].messages if m.text in texts]
    assert [m.delivery for m in shown] == [Delivery.SENDING] * 3
    wp.api.server_url = live.url  # the page is gone
    wp._chats.wake_courier()
    await until(lambda: not wp.outbox.items(wp.account), 15, "delivered")
    shown = [m for m in wp._chats.chats[row.chat_id].messages if m.text in texts]
    assert [m.delivery for m in shown] == [Delivery.SENT] * 3
    user = await client_api(live.url, row.login)
    try:
        page, _more = await user.messages(row.chat_id, limit=20)
    finally:
        await user.close()
    assert [m.text for m in page if m.text in texts] == texts  # each once, in order


async def test_a_reply_in_json_that_does_not_fit_fails_the_message_not_the_queue(
    signed_in: Any, live: Any, other_json: str
) -> None:
    """Sent again it would fail the same way: the message is failed (with Retry), and the
    ones after it go (a first version of the proxy-page rule held the queue for good)."""
    wp, _rec = signed_in
    _user_id, row = await open_last_user(wp)
    wp.api.server_url = other_json
    wp.send(row.chat_id, "Первое")
    await until(lambda: not wp.outbox.pending(wp.account), what="failed")
    wp.api.server_url = live.url
    wp.send(row.chat_id, "Второе")
    await until(lambda: not wp.outbox.pending(wp.account), 15, "the second delivered")
    shown = {m.text: m.delivery for m in wp._chats.chats[row.chat_id].messages}
    assert shown["Первое"] is Delivery.FAILED and shown["Второе"] is Delivery.SENT


async def test_messages_for_a_server_replaced_at_its_address_are_not_sent_to_the_new_one(
    live: Any, tmp_path: Any
) -> None:
    """The server comes back at its address as another one (a new database: its id, made
    with it, differs; its chat numbers may be other people's). A message written for the
    old one waits for it, and never goes into the new one's chat of that number (a review
    saw a password meant for one user reach another's chat)."""
    import sqlite3

    from tests.app.workplaces import make_workplace

    wp = make_workplace(tmp_path / "data")
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
        _user_id, row = await open_last_user(wp)
        old_account = wp.account
        live.stop()
        await until(lambda: wp.connection != ConnectionState.CONNECTED, 20, "the server gone")
        wp.send(row.chat_id, "Пароль администратора: 12345")
        with sqlite3.connect(live.db_url.removeprefix("sqlite:///")) as db:
            db.execute("UPDATE installation SET server_id = 'another0000000000000000000000000'")
        live.start()  # the same address, another server
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, 30, "connected")
        print(
            "ACCOUNTS",
            old_account,
            wp.account,
            wp.outbox.items(old_account),
            wp.outbox.items(wp.account),
        )
        assert wp.account != old_account
        assert [i.text for i in wp.outbox.pending(old_account)] == ["Пароль администратора: 12345"]
        wp._chats.wake_courier()
        user = await client_api(live.url, row.login)
        try:
            page, _more = await user.messages(row.chat_id, limit=20)
        finally:
            await user.close()
        assert "Пароль администратора: 12345" not in [m.text for m in page]
    finally:
        await wp.close()


async def test_a_failed_check_of_the_server_is_asked_again(
    signed_in: Any, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's id could not be read once after the connection came back (a 503): asked
    again, and the outbox goes (one failed check held it while connected)."""
    from app.net.api import ServerError

    wp, _rec = signed_in
    _user_id, row = await open_last_user(wp)
    live.stop()
    await until(lambda: wp.connection != ConnectionState.CONNECTED, 20, "the server gone")
    wp.send(row.chat_id, "После сбоя")
    real, failed = wp.api.me, []

    async def once_unavailable() -> Any:
        if not failed:
            failed.append(True)
            raise ServerError(detail="503 from a proxy")
        return await real()

    monkeypatch.setattr(wp.api, "me", once_unavailable)
    live.start()
    await until(lambda: not wp.outbox.pending(wp.account), 30, "delivered after the retry")
    assert failed


async def test_a_server_that_gets_its_id_is_the_same_server(live: Any, tmp_path: Any) -> None:
    """A server updated to have an id (or a client's cache from before): what waited under
    the account's old key goes on, and nobody is asked to sign in again."""
    import sqlite3

    from app.core import changes as ch
    from tests.app.workplaces import Recorder, make_workplace

    database = live.db_url.removeprefix("sqlite:///")
    live.stop()
    with sqlite3.connect(database) as db:
        kept = db.execute("SELECT server_id FROM installation").fetchone()[0]
        db.execute("DELETE FROM installation")
    live.start()
    with sqlite3.connect(database) as db:  # (the server made a new one at its start)
        db.execute("DELETE FROM installation")
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
        assert wp.me is not None and wp.me.server == ""
        _user_id, row = await open_last_user(wp)
        live.stop()
        await until(lambda: wp.connection != ConnectionState.CONNECTED, 20, "the server gone")
        wp.send(row.chat_id, "До обновления сервера")
        with sqlite3.connect(database) as db:
            db.execute("INSERT INTO installation (id, server_id) VALUES (1, ?)", (kept,))
        live.start()  # the same server, now with its id
        await until(lambda: not wp.outbox.pending(wp.account), 30, "delivered")
        assert wp.me is not None and wp.me.server == kept
        assert not rec.of(ch.SessionExpired)
    finally:
        await wp.close()
