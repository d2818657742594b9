"""The users pane's notes never widen it, through the real window against the real server: a
review found a streaming line's note («Потоковый режим: не показаны 104 пользователя без
сообщений за 60 дн. Изменить…», a sentence on a flat button) raising the pane's minimum width
from 226 to 585 px, squeezing the chat; the filter's note («Фильтр: …» with every option
ticked) did the same. Both are wrapped to the pane now, whole (the specialist reads all of
it, its action at its end included), and still clicked or pressed from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.clients.userfilter import Only
from tests.clients.test_filter import tick
from tests.clients.test_users_list import Desk, desk
from tests.window.conftest import WINDOW_MARKS

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
__all__ = ["desk"]


def _narrowest(desk: Desk) -> tuple[int, int, int]:
    """The users pane made as narrow as it goes: (its minimum, its width, the chat's)."""
    w = desk.window
    narrowest = w.users.minimumSizeHint().width()
    users, middle, side = w.splitter.sizes()
    w.splitter.setSizes([narrowest, middle + users - narrowest, side])
    desk.qtbot.waitUntil(lambda: w.users.width() < users, timeout=5_000)
    return narrowest, w.users.width(), w.chat.width()


def _wrapped_whole_inside(desk: Desk, note: Any) -> None:
    """The note inside the pane, on more than one line, none of its text cut."""
    w = desk.window
    assert note.geometry().right() < w.users.width()
    assert note.fontMetrics().horizontalAdvance(note.text()) > note.width()  # one line won't do
    assert note.wordWrap() and note.height() >= note.heightForWidth(note.width())
    assert note.height() >= 2 * note.fontMetrics().lineSpacing()


def test_the_streaming_note_wraps_in_the_pane_and_still_opens_the_settings(
    desk: Desk, qtbot: Any
) -> None:
    w = desk.window
    desk.pick_line()  # every user listed: no note
    note = w.users.streaming_note
    assert not note.isVisible()
    narrowest, users_before, chat_before = _narrowest(desk)
    line = next(ln for ln in desk.wp.lines if ln.streaming)
    desk.pick_line(line.name)
    qtbot.waitUntil(note.isVisible, timeout=30_000)
    whole = note.text()
    assert whole.startswith("Streaming mode:") and whole.endswith("Change…")
    # the pane asks for no more room than before: it and the chat keep their widths
    assert w.users.minimumSizeHint().width() <= narrowest
    qtbot.wait(100)  # (a layout the note asked for would have run)
    assert (w.users.width(), w.chat.width()) == (users_before, chat_before)
    _wrapped_whole_inside(desk, note)
    assert note.accessibleName() == whole
    # reached with Tab from the filter button, pressed: the Settings, at the users list's page
    w.users.filter_button.setFocus()
    qtbot.waitUntil(w.users.filter_button.hasFocus, timeout=5_000)
    qtbot.keyClick(w.users.filter_button, Qt.Key.Key_Tab)
    qtbot.waitUntil(note.hasFocus, timeout=5_000)
    qtbot.keyClick(note, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: w.settings_menu.dialog is not None and w.settings_menu.dialog.isVisible(),
        timeout=5_000,
    )
    dialog = w.settings_menu.dialog
    assert dialog.stack.currentWidget().objectName() == "listSettingsPage"
    dialog.close()


def test_the_filter_note_wraps_in_the_pane_and_one_click_clears_it(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    desk.pick_line()
    narrowest, users_before, chat_before = _narrowest(desk)
    note = w.users.filter_note
    names = {
        Only.UNREAD: "Unread",
        Only.WAITING: "Waiting for an answer",
        Only.ONLINE: "Online",
        Only.BIRTHDAY: "Birthday today",
    }
    for option, name in names.items():  # ticked one by one, each seen in the note
        tick(desk, option.value)
        qtbot.waitUntil(lambda name=name: note.isVisible() and name in note.text(), timeout=5_000)
    assert note.text().startswith("Filter: ") and note.text().endswith(" ✕")
    assert all(name in note.text() for name in names.values())
    assert w.users.minimumSizeHint().width() <= narrowest
    qtbot.wait(100)
    assert (w.users.width(), w.chat.width()) == (users_before, chat_before)
    _wrapped_whole_inside(desk, note)
    qtbot.mouseClick(note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=5_000)
    assert not desk.wp.users.filter
