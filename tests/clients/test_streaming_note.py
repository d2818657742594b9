"""The streaming note of a streaming line never widens the users pane, through the real window
against the real server: a review found the flat button's sentence («Потоковый режим: не
показаны 104 пользователя без сообщений за 60 дн. Изменить…») raising the pane's minimum
width from 226 to 585 px, squeezing the chat. Cut to the pane's width, it keeps its whole text
in the tooltip and the accessible name, and the keyboard still opens the Settings with it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.clients.test_users_list import Desk, desk
from tests.window.conftest import WINDOW_MARKS

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
__all__ = ["desk"]


def test_the_streaming_note_is_cut_to_the_pane_and_still_opens_the_settings(
    desk: Desk, qtbot: Any
) -> None:
    w = desk.window
    desk.pick_line()  # every user listed: no note
    note = w.users.streaming_note
    assert not note.isVisible()
    # the users pane made as narrow as it goes
    narrowest = w.users.minimumSizeHint().width()
    users, middle, side = w.splitter.sizes()
    w.splitter.setSizes([narrowest, middle + users - narrowest, side])
    qtbot.waitUntil(lambda: w.users.width() < users, timeout=5_000)
    users_before, chat_before = w.users.width(), w.chat.width()
    line = next(ln for ln in desk.wp.lines if ln.streaming)
    desk.pick_line(line.name)
    qtbot.waitUntil(note.isVisible, timeout=30_000)
    whole = note.text()
    assert whole.startswith("Streaming mode:") and whole.endswith("Change…")
    assert note.fontMetrics().horizontalAdvance(whole) > users_before  # it cannot fit
    # the pane asks for no more room than before: it and the chat keep their widths
    assert w.users.minimumSizeHint().width() <= narrowest
    qtbot.wait(100)  # (a layout the note asked for would have run)
    assert (w.users.width(), w.chat.width()) == (users_before, chat_before)
    # the note inside the pane, cut, whole in its tooltip and accessible name
    assert note.geometry().right() < w.users.width()
    qtbot.waitUntil(lambda: note.shown_text().endswith("…"), timeout=5_000)
    shown = note.shown_text()
    assert whole.startswith(shown[:-1]) and len(shown) < len(whole)
    assert note.fontMetrics().horizontalAdvance(shown) <= note.width()
    assert whole in note.toolTip() and note.accessibleName() == whole
    # reached and pressed from the keyboard: the Settings, at the users list's page
    assert note.focusPolicy() & Qt.FocusPolicy.TabFocus
    note.setFocus()
    qtbot.keyClick(note, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: w.settings_menu.dialog is not None and w.settings_menu.dialog.isVisible(),
        timeout=5_000,
    )
    dialog = w.settings_menu.dialog
    assert dialog.stack.currentWidget().objectName() == "listSettingsPage"
    dialog.close()
