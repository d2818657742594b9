"""The users list's filter, as a specialist uses it through the window against the real server:
options ticked from the button beside the search, together and with a query, the note that
says the filter and clears it in one click, the filter kept per line, a streaming line.
(The server's directory marks: tests/clients/test_server_lists.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.clients.userfilter import Only, UserFilter, flags_of
from app.core import parse
from tests.app.order import floated
from tests.clients.test_users_list import LINE, Desk, desk
from tests.window.conftest import WINDOW_MARKS

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

WAITING, UNREAD = 2, 1


def server_rows(desk: Desk, line_id: int) -> list[Any]:
    """Every row of the line as the server lists it (its display order)."""
    return [
        parse.user_row(r)
        for r in desk.api.call("GET", f"/lines/{line_id}/users?limit=500")["items"]
    ]


def tick(desk: Desk, option: str) -> None:
    """Open the filter's menu and click an option, as a person does."""
    controls = desk.window.users.filter
    controls.menu.aboutToShow.emit()
    action = next(a for a in controls.menu.actions() if a.objectName() == f"filter_{option}")
    assert action.isEnabled()
    action.trigger()


def test_filter_narrows_the_list_says_so_and_one_click_clears_it(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line_id = desk.pick_line()
    everyone = desk.names()
    rows = server_rows(desk, line_id)
    me = desk.api.call("GET", "/me")["id"]
    # in the list's order: those waiting for my answer float up (tests/window/order.py)
    waiting = floated([r for r in rows if flags_of(r, 0) & WAITING], me)
    assert 0 < len(waiting) < len(rows)
    note = w.users.filter_note
    assert not note.isVisible()
    tick(desk, Only.WAITING.value)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == waiting, timeout=5_000)
    qtbot.waitUntil(note.isVisible)
    assert "Waiting for an answer" in note.text()
    assert w.users.filter_button.isChecked()
    # a second option: both must hold
    tick(desk, Only.UNREAD.value)
    both = floated([r for r in rows if flags_of(r, 0) & (WAITING | UNREAD) == WAITING | UNREAD], me)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == both, timeout=5_000)
    assert "Unread" in note.text() and "Waiting for an answer" in note.text()
    if not both:
        qtbot.waitUntil(w.users_empty.isVisible)
        assert w.users_empty.text() == "Nobody matches the filter"
    tick(desk, Only.UNREAD.value)  # ticked off again
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == waiting, timeout=5_000)
    # with a query: the query's hits that are waiting
    by_id = {r.id: r for r in rows}
    someone = next(r for r in rows if r.id in waiting)
    desk.type_search(someone.login)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == [someone.id], timeout=5_000)
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == waiting, timeout=5_000)
    # the company of the chosen user
    w.users_view.setCurrentIndex(desk.row_of(someone.id))
    qtbot.waitUntil(lambda: w.desk.user_id == someone.id)
    assert someone.company is not None
    tick(desk, "company")  # the picker opens on the chosen user's company: Enter takes it
    picker = w.users.filter.picker
    assert picker is not None
    qtbot.waitUntil(lambda: picker.ok.isEnabled(), timeout=10_000)
    assert picker.model.name_at(picker.view.currentIndex().row()) == someone.company.name
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    same = [i for i in waiting if by_id[i].company == someone.company]
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == same, timeout=5_000)
    assert someone.company.name in note.text()
    # one click on the note: the whole list again
    qtbot.mouseClick(note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.names() == everyone, timeout=5_000)
    qtbot.waitUntil(lambda: not note.isVisible())
    assert not w.users.filter_button.isChecked()
    assert desk.wp.settings.user_filters == {}


def test_the_filter_is_kept_per_line(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line_id = desk.pick_line()
    tick(desk, Only.WAITING.value)
    qtbot.waitUntil(w.users.filter_note.isVisible)
    kept = desk.wp.settings.user_filters[str(line_id)]
    assert UserFilter.from_json(kept) == UserFilter(frozenset({Only.WAITING}))
    other = next(ln for ln in desk.wp.lines if ln.id != line_id and not ln.streaming)
    desk.pick_line(other.name)
    qtbot.waitUntil(lambda: not w.users.filter_note.isVisible(), timeout=5_000)
    desk.pick_line(LINE)
    qtbot.waitUntil(w.users.filter_note.isVisible, timeout=10_000)
    me = desk.api.call("GET", "/me")["id"]
    waiting = floated([r for r in server_rows(desk, line_id) if flags_of(r, 0) & WAITING], me)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == waiting, timeout=10_000)
    # and after a restart: the settings file has it
    saved = type(desk.wp.settings).load(desk.wp.settings.path)
    assert UserFilter.from_json(saved.user_filters[str(line_id)]).only == {Only.WAITING}


def test_a_streaming_line_filters_what_it_shows(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line = next(ln for ln in desk.wp.lines if ln.streaming)
    desk.pick_line(line.name)
    qtbot.waitUntil(
        lambda: desk.wp.users.line_id == line.id and desk.wp.users.complete, timeout=30_000
    )
    qtbot.waitUntil(w.users.streaming_note.isVisible, timeout=10_000)
    shown = list(w.users_model.ids())
    d = desk.api.call("GET", f"/lines/{line.id}/directory")
    flags = dict(zip(d["ids"], d["flags"], strict=True))
    tick(desk, Only.WAITING.value)
    expected = [i for i in shown if flags[i] & WAITING]
    assert expected, "the demo's streaming line has users waiting"
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == expected, timeout=5_000)
    assert not w.users.streaming_note.isVisible()  # the note is the unfiltered list's
    qtbot.mouseClick(w.users.filter_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == shown, timeout=5_000)
    qtbot.waitUntil(w.users.streaming_note.isVisible)


def test_the_filter_buttons_arrow_leaves_its_word_whole(desk: Desk, qtbot: Any) -> None:
    """The menu's arrow is drawn at the button's right end (Qt's common style: the
    indicator's width from the right edge); the word, centred, ends before it, with a gap
    (it read "Фильт▾": the arrow over its last letter)."""
    from PySide6.QtWidgets import QStyle

    desk.pick_line()
    button = desk.window.users.filter_button
    qtbot.waitUntil(lambda: button.menu() is not None)
    qtbot.waitUntil(lambda: button.width() >= button.minimumWidth())
    arrow = button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, button)
    word = button.fontMetrics().horizontalAdvance(button.text())
    arrow_starts = button.width() - 1 + 5 - arrow  # QCommonStyle's CC_ToolButton
    assert (button.width() + word) / 2 + 2 <= arrow_starts  # a gap between them
