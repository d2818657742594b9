"""A message to a chat not in view through the real window: the notification is shown
(title: the client, text: the message), and clicking it opens that chat; Do not disturb
keeps it quiet. Offscreen there is no tray to click: the notifier's own click handler (what
the tray's messageClicked calls) stands in for the click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.domain import Status
from tests.chat.dbus_notifications import notification_server, private_bus
from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api, run_async

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


def test_a_message_not_in_view_notifies_and_the_click_opens_it(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    opened, writer = users[0], users[-1]
    shown.open_user(opened["id"])
    notifier = w.chat.notifier
    client = Api(live_server.url).login(writer["login"])
    with qtbot.waitSignal(notifier.sig_shown, timeout=15_000) as shown_signal:
        client.post_message(writer["chat_id"], "Помогите с отчётом")
    title, body = shown_signal.args
    assert title == writer["full_name"] and body == "Помогите с отчётом"
    notifier.clicked()
    qtbot.waitUntil(lambda: w.chat_model.user_id == writer["id"], timeout=15_000)

    # Do not disturb: the next one is muted
    run_async(qtbot, shown.wp.set_status(Status.DND))
    muted = shown.wp._alerts.muted
    shown_now: list[object] = []
    notifier.sig_shown.connect(lambda *a: shown_now.append(a))
    Api(live_server.url).login(opened["login"]).post_message(opened["chat_id"], "Ещё вопрос")
    qtbot.waitUntil(lambda: shown.wp._alerts.muted > muted, timeout=15_000)
    assert shown_now == []


def test_a_desktop_notification_on_the_session_bus_opens_the_chat(
    shown: Shown, qtbot: Any, live_server: Any, tmp_path: Path
) -> None:
    """The freedesktop notification, captured by a notification server on a private bus:
    what it says (text from the client escaped for a server that reads markup), one per
    chat (the next replaces it), and its click opens the chat."""
    w = shown.window
    shown.wp.settings.sound_on = False
    notifier = w.chat.notifier
    with private_bus(tmp_path / "bus") as address, notification_server(address) as server:
        notifier.bus, notifier.use_desktop = address, True
        line_id = shown.pick_line()
        users = [u for u in shown.server_order(line_id) if not u["colleague"]]
        shown.open_user(users[0]["id"])
        writer = users[-1]
        client = Api(live_server.url).login(writer["login"])
        with qtbot.waitSignal(notifier.sig_desktop, timeout=15_000) as how:
            client.post_message(writer["chat_id"], "Нужна <b>помощь</b> & срочно")
        assert how.args == ["desktop"]
        (call,) = server.calls
        assert call["app"] == "LineDesk" and call["summary"] == writer["full_name"]
        assert call["body"] == "Нужна &lt;b&gt;помощь&lt;/b&gt; &amp; срочно"
        assert call["actions"][0] == "default" and call["replaces"] == 0
        with qtbot.waitSignal(notifier.sig_desktop, timeout=15_000):
            client.post_message(writer["chat_id"], "Алло?")
        assert server.calls[-1]["replaces"] == call["id"]  # the chat's one notification
        server.click(call["id"])
        qtbot.waitUntil(lambda: w.chat_model.user_id == writer["id"], timeout=15_000)
