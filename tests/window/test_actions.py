"""The actions registry (ui/mainwindow/actions.py): one command object behind the function
bar's button, the users list's context menu and the keys; the ticket finish (ui/tickets/)
keeps it enabled while the open user has an open ticket — against the real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from app.core.domain import ConnectionState
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from tests.window.test_window import Shown
from ui.mainwindow.actions import MainAction, add_action
from ui.mainwindow.commands import Actions
from ui.mainwindow.window import MainWindow

pytestmark = [*WINDOW_MARKS, pytest.mark.tickets]


@pytest.fixture
def shown(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Shown]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Shown(qtbot, window, wp, Api(live_server.url).login("demo"))


def right_click(qtbot: Any, w: MainWindow, user_id: int) -> QMenu:
    """A right-click on the user's row, as the specialist does it: the menu that opens."""
    view = w.users_view
    index = w.users_model.index(w.users_model.position(user_id), 0)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=pos)
    # the context menu event Qt's window layer sends after a right press (QTest makes none)
    where = view.viewport().mapToGlobal(pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, where)
    QApplication.sendEvent(view.viewport(), event)
    menu = w.users.user_menu
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    return menu


def nobody_takes_new_tickets(url: str) -> None:
    """The demo's specialists Busy for new tickets: a new ticket waits in the queue."""
    for login in ("demo", "o.smirnova", "m.lebedeva", "s.orlov"):
        Api(url).login(login).call("PUT", "/me/status", {"status": "busy_new"})


def confirm_finish(qtbot: Any, w: MainWindow) -> None:
    """The user's last message has no answer: "Finish work" asks first; yes."""
    from PySide6.QtWidgets import QMessageBox

    qtbot.waitUntil(lambda: w.tickets.confirm is not None, timeout=5_000)
    box = w.tickets.confirm
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_start_and_finish_are_commands_in_the_bar_and_the_menu_following_the_ticket(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    without = [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ]
    other, user = without[0], without[-1]
    nobody_takes_new_tickets(live_server.url)
    start, finish = w.commands[MainAction.START_TICKET], w.commands[MainAction.FINISH_TICKET]
    button = w.finish_button
    assert button.text() == finish.text()
    shown.open_user(other["id"])
    # no ticket: work can start, nothing to finish — no finish button, a greyed entry
    qtbot.waitUntil(start.isEnabled, timeout=5_000)
    assert not finish.isEnabled() and button.isHidden()
    menu = right_click(qtbot, w, user["id"])  # the commands for the user clicked on
    qtbot.waitUntil(lambda: w.chat_model.user_id == user["id"], timeout=15_000)
    assert finish in menu.actions() and start in menu.actions()  # the very objects
    assert not finish.isEnabled() and button.isHidden()
    menu.close()

    # the user writes: a ticket opens and waits in the queue — the header says so
    client = Api(live_server.url).login(user["login"])
    client.post_message(user["chat_id"], "Здравствуйте! Не открывается отчёт.")
    qtbot.waitUntil(lambda: "0" in w.tickets.label.text(), timeout=15_000)
    assert start.isEnabled() and not finish.isEnabled()

    # started from the menu: mine — the header says so, finishing comes alive
    menu = right_click(qtbot, w, user["id"])
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(start).center())
    qtbot.waitUntil(finish.isEnabled, timeout=15_000)
    assert button.isVisible() and not start.isEnabled()
    assert w.tickets.label.text().startswith(("Ваше обращение", "Your ticket"))

    # finished from the menu, the user unanswered: asked first, then finished
    menu = right_click(qtbot, w, user["id"])
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(finish).center())
    confirm_finish(qtbot, w)
    qtbot.waitUntil(lambda: button.isHidden(), timeout=15_000)
    assert not finish.isEnabled()
    card = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")
    assert card["open_ticket"] is None

    # a new ticket, started and finished from the bar's buttons: off at once (never sent
    # twice), then gone
    client.post_message(user["chat_id"], "И ещё вопрос.")
    qtbot.waitUntil(lambda: w.start_button.isVisible() and start.isEnabled(), timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(finish.isEnabled, timeout=15_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    confirm_finish(qtbot, w)
    assert not finish.isEnabled() and button.isVisible() and not button.isEnabled()
    qtbot.waitUntil(lambda: button.isHidden(), timeout=15_000)
    card = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")
    assert card["open_ticket"] is None


def test_the_bar_the_menu_and_the_keys_hold_the_registry_s_commands(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    commands: Actions = window.commands
    for command in commands.all():
        assert command.text()
        if command.spec.shortcut or command.spec.standard_key:
            assert command in window.actions()  # the window's keys
            assert command.shortcut().toString() in command.toolTip()
        if command.spec.bar:
            assert window.chat.bar.buttons[command.key].text() == command.text()
        assert (command in window.users.user_menu.actions()) == command.spec.user
    bar = [
        MainAction.START_TICKET,
        MainAction.FINISH_TICKET,
        MainAction.TRANSFER_TICKET,
        MainAction.GROUP,
        MainAction.CONNECT_REMOTE,
        MainAction.CALL_USER,
        MainAction.FAVOURITE,
        MainAction.SEARCH_CHAT,
        MainAction.TOGGLE_INFO,
    ]
    assert [c.key for c in commands.in_bar()] == bar

    # Ctrl+I, the bar's button and the side panel follow one checkable command
    info = commands[MainAction.TOGGLE_INFO]
    assert info.isChecked() and window.info_button.isChecked() and window.side.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not info.isChecked() and not window.info_button.isChecked()
    assert window.side.isHidden()
    qtbot.mouseClick(window.info_button, Qt.MouseButton.LeftButton)
    assert info.isChecked() and window.side.isVisible()


def test_the_user_s_menu_searches_their_chat(shown: Shown, qtbot: Any) -> None:
    """Seed 001: every main action in the context menu too — search in the chat among them."""
    w = shown.window
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    search = w.commands[MainAction.SEARCH_CHAT]
    menu = right_click(qtbot, w, user["id"])
    qtbot.waitUntil(lambda: search.isEnabled() and w.chat_model.user_id == user["id"])
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(search).center())
    qtbot.waitUntil(lambda: w.chat.chat_stack.currentWidget() is w.chat.jumps.panel)


def test_a_command_is_declared_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        add_action(MainAction.FINISH_TICKET, text="Finish it again")
