"""A ticket's system lines stay where their time puts them, through the real window against the
real server: not piled at the top of a chat whose older history is still on the server, put
in their place when that history comes, kept when the chat is shown again around a quote's
original (a jump reloads it), and a line that comes in above what the specialist is reading
moves nothing on screen (ui/chat/model.py, ui/chat/view.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractSlider

from tests.chat.shown import Shown, shown
from tests.chat.test_quotes_window import click_quote, heard
from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_ticket_flow import step_lines
from ui.common.roles import STEP_ROLE

pytestmark = [*WINDOW_MARKS, pytest.mark.chat, pytest.mark.tickets]
__all__ = ["shown"]

FIRST = "Здравствуйте, у нас не печатает принтер в бухгалтерии"
OPENED = ("Ticket opened by a message", "Обращение открыто сообщением")
LATER = [f"Сообщение №{i}" for i in range(60)]  # more than one page (50)
ABOUT = "Это про первое сообщение"


def _row(shown: Shown, text: str) -> int:
    model = shown.window.chat_model
    return next((r for r in range(model.rowCount()) if model.message_at(r).text == text), -1)


def _opened_row(shown: Shown) -> int:
    model = shown.window.chat_model
    return next(
        (r for r in range(model.rowCount()) if model.index(r, 0).data(STEP_ROLE) in OPENED), -1
    )


def _beside_the_first(shown: Shown) -> bool:
    """The ticket's opening line next to the message that opened it (the ticket is made a
    moment before the message is stored: its line may come first)."""
    return abs(_opened_row(shown) - _row(shown, FIRST)) == 1 and _row(shown, FIRST) >= 0


def _quiet_user(shown: Shown) -> dict[str, Any]:
    line_id = shown.pick_line()
    return [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ][-1]


def test_the_ticket_s_lines_come_with_their_page_and_stay_after_a_jump(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    view = w.chat_view
    user = _quiet_user(shown)
    client = Api(live_server.url).login(user["login"])
    first = client.post_message(user["chat_id"], FIRST)  # opens the ticket
    for text in LATER:
        client.post_message(user["chat_id"], text)
    about = client.call(
        "PUT",
        f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
        {"text": ABOUT, "quote_id": first["id"]},
    )
    heard(shown, user["id"], about["id"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: _row(shown, ABOUT) >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: w.tickets.label.text() != "", timeout=10_000)
    # the ticket opened before the oldest message shown: its line is not piled at the top
    assert w.chat_model.has_more and _row(shown, FIRST) < 0
    assert _opened_row(shown) < 0, step_lines(w)

    bar = view.verticalScrollBar()

    def scrolled_up_to_it() -> bool:  # the specialist scrolls up to the beginning
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)
        return _row(shown, FIRST) >= 0

    qtbot.waitUntil(scrolled_up_to_it, timeout=10_000)
    qtbot.waitUntil(lambda: _beside_the_first(shown), timeout=10_000)
    lines = step_lines(w)

    # a click on the quote shows the chat again around its original: the lines are kept
    bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        click_quote(shown, _row(shown, ABOUT))
    assert w.chat_model.highlight is not None
    assert step_lines(w) == lines
    assert _beside_the_first(shown)


def test_a_line_coming_in_above_the_reader_moves_nothing_on_screen(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    view, model = w.chat_view, w.chat_model
    user = _quiet_user(shown)
    client = Api(live_server.url).login(user["login"])
    for text in LATER[:40]:
        posted = client.post_message(user["chat_id"], text)
    heard(shown, user["id"], posted["id"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: _opened_row(shown) >= 0, timeout=10_000)
    reading = _row(shown, LATER[25])
    bar = view.verticalScrollBar()
    bar.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepSub)  # up, to read
    bar.setValue(bar.value() + view.visualRect(model.index(reading, 0)).top() - 7)
    top = view.visualRect(model.index(reading, 0)).top()

    # a line of the ticket's life known late (its steps load after the messages, a call's
    # record is read after the chat opened), by its time above what is read
    opened = model.message_at(_opened_row(shown))
    late = replace(
        opened,
        client_msg_id="step:late",
        created_at=model.message_at(_row(shown, LATER[3])).created_at + timedelta(microseconds=1),
    )
    model.insert_step(late)
    assert _row(shown, LATER[3]) + 1 == next(
        r for r in range(model.rowCount()) if model.message_at(r).client_msg_id == "step:late"
    )
    assert view.visualRect(model.index(_row(shown, LATER[25]), 0)).top() == top
    qtbot.wait(100)  # and after the view's own layout
    assert view.visualRect(model.index(_row(shown, LATER[25]), 0)).top() == top


def test_older_history_coming_in_moves_nothing_on_screen(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    """The row at the top loses its date line when the older page is of its day: its bubble
    stays where it was (the anchor is its bottom, not its top)."""
    w = shown.window
    view, model = w.chat_view, w.chat_model
    user = _quiet_user(shown)
    client = Api(live_server.url).login(user["login"])
    for text in LATER:
        posted = client.post_message(user["chat_id"], text)
    heard(shown, user["id"], posted["id"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: _row(shown, LATER[-1]) >= 0, timeout=10_000)
    assert model.has_more and _row(shown, LATER[10]) == 0
    bar = view.verticalScrollBar()
    bar.triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)  # up to the top
    bottom = view.visualRect(model.index(0, 0)).bottom()
    assert view.chat_delegate.separators(model.index(0, 0))  # its date line
    qtbot.waitUntil(lambda: _row(shown, LATER[0]) >= 0, timeout=10_000)
    index = model.index(_row(shown, LATER[10]), 0)
    assert not view.chat_delegate.separators(index)  # the date line went to the older page
    assert view.visualRect(index).bottom() == bottom
