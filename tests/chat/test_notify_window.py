"""A message to a chat not in view through the real window: the notification is shown
(title: the client, text: the message), and clicking it opens that chat; Do not disturb
keeps it quiet. Offscreen there is no tray to click: the notifier's own click handler (what
the tray's messageClicked calls) stands in for the click."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.domain import Status
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
