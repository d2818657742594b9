"""The panes keep the widths they were given: the function bar's buttons wrap onto a second
row beside the chat's title rather than widen the chat pane, which had squeezed the users
list to ≈ 200 px (every name cut) and the info panel to ≈ 150 px on a 1280-pixel window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect

from tests.window.conftest import WINDOW_MARKS
from tests.window.test_window import Shown, shown
from ui.mainwindow.window import INFO_WIDTH, USERS_WIDTH

pytestmark = WINDOW_MARKS
__all__ = ["shown"]  # the fixture used here


def _buttons_inside_the_chat_pane(w: Any) -> list[QRect]:
    pane = w.chat.rect()
    shown_buttons = [b for b in w.chat.bar.buttons.values() if b.isVisible()]
    assert len(shown_buttons) >= 5  # a client user's chat: start, group, call, remote, …
    rects = [QRect(b.mapTo(w.chat, b.rect().topLeft()), b.size()) for b in shown_buttons]
    for button, rect in zip(shown_buttons, rects, strict=True):
        assert pane.contains(rect), (button.text(), rect, pane)
    for a in rects:  # no two on top of each other
        assert sum(a.intersects(b) for b in rects) == 1
    return rects


def test_a_chat_open_leaves_the_list_and_the_panel_their_widths(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    w.resize(1280, 780)
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: len({r.y() for r in _buttons_inside_the_chat_pane(w)}) >= 2)
    users, _, info = w.splitter.sizes()  # (wrapped beside the title, not widening the pane)
    assert (users, info) == (USERS_WIDTH, INFO_WIDTH), w.splitter.sizes()
    assert w.chat.bar.height() < 110  # two rows of buttons, as high as the title's lines


def test_a_narrow_chat_pane_wraps_its_buttons_and_a_wide_one_keeps_one_row(
    shown: Shown, qtbot: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    shown.open_user(user["id"])
    w.resize(2400, 780)  # (offscreen screens take any size)
    w.splitter.setSizes([USERS_WIDTH, 2400 - USERS_WIDTH - INFO_WIDTH, INFO_WIDTH])
    qtbot.waitUntil(lambda: len({r.y() for r in _buttons_inside_the_chat_pane(w)}) == 1)
    w.resize(1000, 780)  # the chat pane ≈ 340 px: the buttons below the title, full width
    w.splitter.setSizes([USERS_WIDTH, 1000 - USERS_WIDTH - INFO_WIDTH, INFO_WIDTH])
    title = w.chat.bar.chat_title
    below = title.mapTo(w.chat, title.rect().bottomLeft()).y()
    qtbot.waitUntil(lambda: min(r.y() for r in _buttons_inside_the_chat_pane(w)) > below)
    assert len({r.y() for r in _buttons_inside_the_chat_pane(w)}) <= 3
    assert w.chat.minimumSizeHint().width() <= 420  # a 1366-pixel screen fits all three panes


def test_the_header_s_lines_are_plain_text(shown: Shown, qtbot: Any) -> None:
    """The title, the subtitle and what features add (the ticket's holder: a colleague's
    name) never read markup."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    bar = shown.window.chat.bar
    late = QLabel("<b>late</b>")
    bar.add_line(late)
    lines = [bar.chat_title, bar.chat_subtitle, shown.window.tickets.label, late]
    assert all(line.textFormat() is Qt.TextFormat.PlainText for line in lines)
