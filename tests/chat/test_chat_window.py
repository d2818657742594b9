"""What the chat shows, through the real window against the real server: an empty chat,
the unread separator, date separators, and a line switch with a chat open."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from tests.chat.shown import LINE, Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api, run_async
from ui.common.text import isolated

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


def test_an_empty_chat_says_so(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    quiet = [u for u in shown.server_order(line_id) if u["last_message"] is None]
    assert quiet, "the demo line has users nobody wrote to"
    shown.open_user(quiet[0]["id"])
    qtbot.waitUntil(lambda: w.chat_model.loaded, timeout=10_000)
    assert w.chat_model.rowCount() == 0
    assert w.chat_view.empty_text() in ("No messages yet", "Сообщений пока нет")


def test_unread_separator_where_the_specialist_left_off(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(shown.api.url).login(user["login"])
    sent = [client.post_message(user["chat_id"], f"Непрочитанное №{i}") for i in range(3)]
    qtbot.waitUntil(lambda: shown.wp.users.get(user["id"]).unread == 3, timeout=15_000)
    shown.open_user(user["id"])
    model = w.chat_model
    row = model.row_of(f"{sent[0]['client_msg_id']}")
    assert row >= 0
    assert model.unread_from == sent[0]["client_msg_id"]
    delegate = w.chat_view.chat_delegate
    assert delegate.tr("Unread messages") in delegate.separators(model.index(row, 0))
    # the first message shown carries its date; the next one of the same day does not
    assert len(delegate.separators(model.index(0, 0))) >= 1
    last = model.rowCount() - 1
    assert delegate.separators(model.index(last, 0)) == ()


def test_switching_lines_closes_the_chat_of_a_user_not_on_the_new_line(
    shown: Shown, qtbot: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    on_line = {u["id"] for u in shown.server_order(line_id)}
    other = None
    for pos in range(w.line_combo.count()):
        candidate = int(w.line_combo.itemData(pos))
        if candidate == line_id:
            continue
        there = {u["id"] for u in shown.server_order(candidate)}
        alone = sorted(on_line - there)
        if alone:
            other, user_id = w.line_combo.itemText(pos), alone[0]
            break
    assert other is not None, "the demo has a user on one line only"
    shown.open_user(user_id)
    assert w.composer.isEnabled()
    w.composer.setPlainText("ответ не тому")
    users_bar = w.users_view.verticalScrollBar()
    w.users_view.scrollToBottom()
    assert users_bar.value() > 0
    shown.pick_line(other)
    qtbot.waitUntil(lambda: w.chat_model.chat_id is None, timeout=10_000)
    # the new line's list starts at its top
    qtbot.waitUntil(lambda: users_bar.value() == 0, timeout=10_000)
    assert w.users_view.indexAt(w.users_view.viewport().rect().topLeft()).row() == 0
    assert not w.composer.isEnabled() and not w.chat.send_button.isEnabled()
    assert w.chat.chat_stack.currentWidget() is w.chat.chat_placeholder
    assert w.chat_title.text() == ""
    # the half-written reply stays that user's draft
    shown.pick_line(LINE)
    shown.open_user(user_id)
    assert w.composer.toPlainText() == "ответ не тому"


def test_the_header_says_when_the_client_is_typing(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])
    client = Api(shown.api.url).login(user["login"])
    bar = w.chat.bar
    assert not bar.is_typing_shown()

    seen = asyncio.Event()
    bar.sig_typing.connect(lambda on: seen.set() if on else None)

    async def types() -> None:
        async with aiohttp.ClientSession() as http:
            url = live_server.url + "/api/v1/events"
            headers = {"Authorization": f"Bearer {client.token}"}
            async with http.ws_connect(url, headers=headers) as ws:
                await ws.receive()  # hello
                await ws.send_json({"type": "typing", "chat_id": user["chat_id"]})
                await asyncio.wait_for(seen.wait(), 10)

    run_async(qtbot, types(), timeout=10_000)
    assert w.chat.bar.chat_subtitle.text() in ("typing…", "печатает…")
    # the message they typed ends it
    client.post_message(user["chat_id"], "Готово")
    qtbot.waitUntil(lambda: not bar.is_typing_shown(), timeout=10_000)
    assert bar.chat_subtitle.text() not in ("typing…", "печатает…")


def test_the_header_shows_the_clients_online_status(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-2]
    shown.open_user(user["id"])
    subtitle = w.chat.bar.chat_subtitle
    assert subtitle.text().endswith(("Offline", "Не в сети")), subtitle.text()
    client = Api(shown.api.url).login(user["login"])
    client.call("PUT", "/me/presence", {"presence": "online"})
    qtbot.waitUntil(lambda: subtitle.text().endswith(("Online", "В сети")), timeout=10_000)
    client.call("PUT", "/me/presence", {"presence": "away"})
    qtbot.waitUntil(lambda: subtitle.text().endswith(("Away", "Отошёл")), timeout=10_000)
    if user["company"]:  # the company stays before it
        assert subtitle.text().startswith(isolated(user["company"]["name"]))
    client.call("PUT", "/me/presence", {"presence": "offline"})
    qtbot.waitUntil(lambda: subtitle.text().endswith(("Offline", "Не в сети")), timeout=10_000)
