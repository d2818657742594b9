"""Favourites as a specialist uses them, through the window against the real server: added
from the function bar, ticked in the context menu and taken off there, the star on the row,
the filter's Favourites; and a favourite's chat: every event of it alerts — a colleague
starting work, their messages, finishing — and the chat can be watched live while the
colleague holds the ticket; and two sessions of one specialist (two windows, two
workplaces, two event streams, one server) follow each other's favourites live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

from app.core.domain import ConnectionState
from tests.app.order import newest
from tests.clients.test_filter import server_rows, tick
from tests.clients.test_users_list import Desk, desk
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.mainwindow.actions import MainAction

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]


def favourite_ids(desk: Desk) -> list[int]:
    return [f["user_id"] for f in desk.api.call("GET", "/me/favourites")["items"]]


def star_tip(desk: Desk, user_id: int) -> str:
    """The tooltip over the star after the user's name ("" when there is no star)."""
    from ui.clients.users_delegate import _layout

    w = desk.window
    view, delegate = w.users_view, w.users.users_delegate
    index = desk.row_of(user_id)
    view.scrollTo(index)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    row = desk.wp.users.row(user_id)
    marks = _layout(delegate._fonts_for(option.font), option.rect, row, True)
    assert marks.favourite is not None
    spot = marks.favourite.center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, spot, view.viewport().mapToGlobal(spot))
    QToolTip.hideText()
    if not delegate.helpEvent(event, view, option, index):
        return ""
    return QToolTip.text()


@pytest.fixture
def other_desk(desk: Desk, qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Desk]:
    """The same specialist signed in on another machine: a second window and workplace
    (its own data dir, sign-in and event stream) on the same server."""
    wp = make_workplace("other-machine")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Desk(qtbot, window, wp, desk.api, live_server.url)


def test_a_favourite_from_the_bar_and_the_menu_shows_a_star(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line_id = desk.pick_line()
    user = next(r for r in server_rows(desk, line_id) if not r.colleague)
    w.users_view.setCurrentIndex(desk.row_of(user.id))
    qtbot.waitUntil(lambda: w.desk.user_id == user.id)
    button = w.chat.bar.buttons[MainAction.FAVOURITE]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5_000)
    assert not button.isChecked()
    assert star_tip(desk, user.id) != "In my favourites"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: favourite_ids(desk) == [user.id], timeout=10_000)
    qtbot.waitUntil(lambda: button.isChecked() and button.isEnabled(), timeout=10_000)
    assert desk.wp.users.favourites == {user.id}
    assert star_tip(desk, user.id) == "In my favourites"
    # the filter's Favourites: only them
    tick(desk, "favourites")
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == [user.id], timeout=5_000)
    qtbot.mouseClick(w.users.filter_note, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.users_model.rowCount() > 1, timeout=5_000)
    # the context menu has it ticked; unticking takes them off
    w.users_view.setCurrentIndex(desk.row_of(user.id))
    menu = w.users.user_menu
    menu.aboutToShow.emit()
    command = w.commands[MainAction.FAVOURITE]
    assert command in menu.actions() and command.isChecked()
    command.trigger()
    qtbot.waitUntil(lambda: favourite_ids(desk) == [], timeout=10_000)
    qtbot.waitUntil(lambda: not desk.wp.users.favourites and not button.isChecked())
    assert star_tip(desk, user.id) != "In my favourites"


def test_a_favourites_chat_alerts_on_every_event_and_is_watched_live(
    desk: Desk, qtbot: Any, live_server: Any
) -> None:
    w = desk.window
    line_id = desk.pick_line()
    rows = [r for r in server_rows(desk, line_id) if not r.colleague and r.open_ticket is None]
    user, other, third = rows[0], rows[1], rows[2]
    desk.api.call("PUT", f"/lines/{line_id}/favourites/{user.id}")
    # the favourites are loaded with the line: choose it again to see the one just added
    desk.pick_line(next(ln.name for ln in desk.wp.lines if ln.id != line_id))
    desk.pick_line()
    qtbot.waitUntil(lambda: desk.wp.users.favourites == {user.id}, timeout=10_000)
    # reading another user's chat
    w.users_view.setCurrentIndex(desk.row_of(other.id))
    qtbot.waitUntil(lambda: w.chat_model.user_id == other.id, timeout=10_000)
    shown: list[tuple[str, str]] = []
    w.chat.notifier.sig_shown.connect(lambda title, body: shown.append((title, body)))
    colleague = Api(live_server.url).login("a.morozov")  # serves «Техподдержка» too
    ticket = colleague.call("POST", f"/chats/{user.chat_id}/ticket")
    qtbot.waitUntil(
        lambda: any(t == user.full_name and "started work" in b for t, b in shown),
        timeout=10_000,
    )
    colleague.post_message(user.chat_id, "Посмотрю ваш отчёт")
    qtbot.waitUntil(
        lambda: any(
            t.endswith(f"→ {user.full_name}") and b == "Посмотрю ваш отчёт" for t, b in shown
        ),
        timeout=10_000,
    )
    # watched live: the chat opens while the colleague holds the ticket, and their next
    # message comes into it
    w.users_view.setCurrentIndex(desk.row_of(user.id))
    qtbot.waitUntil(lambda: w.chat_model.user_id == user.id, timeout=10_000)

    def texts() -> list[str]:
        found = (w.chat_model.message_at(r) for r in range(w.chat_model.rowCount()))
        return [m.text for m in found if m is not None]

    qtbot.waitUntil(lambda: "Посмотрю ваш отчёт" in texts(), timeout=10_000)
    colleague.post_message(user.chat_id, "Отчёт исправлен")
    qtbot.waitUntil(lambda: "Отчёт исправлен" in texts(), timeout=10_000)
    # back to another chat: finishing is said too
    w.users_view.setCurrentIndex(desk.row_of(other.id))
    qtbot.waitUntil(lambda: w.chat_model.user_id == other.id, timeout=10_000)
    colleague.call("POST", f"/tickets/{ticket['id']}/finish")
    qtbot.waitUntil(
        lambda: any(t == user.full_name and "finished work" in b for t, b in shown),
        timeout=10_000,
    )
    # a colleague's message to a user who is not a favourite: no alert (their row moves up)
    before = len(shown)
    colleague.post_message(third.chat_id, "Не избранный")
    qtbot.waitUntil(lambda: newest(desk.wp, w.users_model, third.id), timeout=10_000)
    assert len(shown) == before


def test_my_favourites_follow_me_live_on_my_other_machine(
    desk: Desk, other_desk: Desk, qtbot: Any
) -> None:
    here, there = desk, other_desk
    line_id = here.pick_line()
    assert there.pick_line() == line_id
    user = next(r for r in server_rows(here, line_id) if not r.colleague)
    # there: the favourites filter on (nobody yet), and the user open
    tick(there, "favourites")
    qtbot.waitUntil(lambda: there.window.users_model.rowCount() == 0, timeout=5_000)
    # here: the user made a favourite from the function bar
    w = here.window
    w.users_view.setCurrentIndex(here.row_of(user.id))
    qtbot.waitUntil(lambda: w.desk.user_id == user.id)
    button = w.chat.bar.buttons[MainAction.FAVOURITE]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # there, with nothing done: the filter lists them, starred, and the bar's tick is on
    tw = there.window
    qtbot.waitUntil(lambda: list(tw.users_model.ids()) == [user.id], timeout=10_000)
    assert there.wp.users.favourites == {user.id}
    assert star_tip(there, user.id) == "In my favourites"
    tw.users_view.setCurrentIndex(there.row_of(user.id))
    qtbot.waitUntil(lambda: tw.desk.user_id == user.id)
    there_button = tw.chat.bar.buttons[MainAction.FAVOURITE]
    qtbot.waitUntil(lambda: there_button.isChecked() and there_button.isEnabled(), timeout=5_000)
    # there: taken off from the context menu; here the star and the tick go at once
    menu = tw.users.user_menu
    menu.aboutToShow.emit()
    command = tw.commands[MainAction.FAVOURITE]
    assert command in menu.actions() and command.isChecked()
    command.trigger()
    qtbot.waitUntil(lambda: tw.users_model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not here.wp.users.favourites, timeout=10_000)
    qtbot.waitUntil(lambda: not button.isChecked(), timeout=5_000)
    assert star_tip(here, user.id) != "In my favourites"
    assert favourite_ids(here) == []
