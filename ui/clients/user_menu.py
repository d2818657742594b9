"""The commands for one user of the list: my list (add / remove, kept on the server), the
context menu (every command for the user from the actions registry, then copy name / login /
phone), made light so that the pane's module can import it with the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QWidget

    from app.core import changes as ch
    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk


class UserCommands(QObject):
    """My list and the copy commands for the user open in the chat (the one right-clicked:
    a right press chooses the row first)."""

    menu: QMenu
    _desk: Desk
    _my_list: Command
    _copy_name: QAction
    _copy_login: QAction
    _copy_phone: QAction

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._card: UserCard | None = None
        self._parent = parent

    def complete(self, desk: Desk) -> None:
        from PySide6.QtWidgets import QMenu

        self._desk = desk
        self._my_list = desk.actions[MainAction.ADD_TO_MY_LIST]
        desk.actions.bind(self)
        self.menu = QMenu(self._parent)
        self.menu.setObjectName("userMenu")
        self.menu.aboutToShow.connect(self.refresh)
        self.menu.addActions(desk.actions.for_user())
        self.menu.addSeparator()
        self._copy_name = self.menu.addAction(self.tr("Copy name"), self._copy_of("name"))
        self._copy_name.setObjectName("copyNameAction")
        self._copy_login = self.menu.addAction(self.tr("Copy login"), self._copy_of("login"))
        self._copy_login.setObjectName("copyLoginAction")
        self._copy_phone = self.menu.addAction(self.tr("Copy phone"), self._copy_of("phone"))
        self._copy_phone.setObjectName("copyPhoneAction")
        desk.sig_user_opened.connect(lambda _user_id: self.refresh())

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.CardLoaded, self._on_card)
        bridge.handle(ch.UsersReset, lambda _change: self.refresh())

    @add_action(
        MainAction.ADD_TO_MY_LIST,
        text=QT_TRANSLATE_NOOP("Actions", "Add to my list"),
        tip=QT_TRANSLATE_NOOP(
            "Actions", "Keep this user in my list (a streaming line shows them always)"
        ),
        enabled=False,
        user=True,
    )
    def toggle_my_list(self) -> None:
        from app.clients.current_line import ADD_TO_MY_LIST, REMOVE_FROM_MY_LIST

        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is None or user_id is None:
            return
        intent = REMOVE_FROM_MY_LIST if user_id in workplace.users.pinned else ADD_TO_MY_LIST
        self._my_list.setEnabled(False)  # until the server answers

        async def toggle() -> None:
            try:
                await workplace.act(intent, user_id)
            finally:
                self.refresh()

        self._desk.spawn(toggle())

    def refresh(self) -> None:
        """The commands as they apply to the open user now."""
        workplace, user_id = self._desk.workplace, self._desk.user_id
        there = workplace is not None and user_id is not None
        pinned = there and user_id in workplace.users.pinned  # type: ignore[union-attr]
        self._my_list.setText(
            self.tr("Remove from my list") if pinned else self.tr("Add to my list")
        )
        self._my_list.setEnabled(there)
        row, card = self._open_user()
        self._copy_name.setEnabled(row is not None)
        self._copy_login.setEnabled(row is not None and bool(row.login))
        self._copy_phone.setEnabled(card is not None and bool(card.phone))

    def _open_user(self) -> tuple[UserRow | None, UserCard | None]:
        """The open user's row and card. The list keeps only the rows it paints (an LRU that
        may drop or refetch this one at any moment); the card holds the row it was loaded
        with, so the copy commands never go dead while the user is open."""
        user_id = self._desk.user_id
        if user_id is None:
            return None, None
        card = self._card if self._card is not None and self._card.row.id == user_id else None
        row = self._desk.row(user_id)
        if row is None and card is not None:
            row = card.row
        return row, card

    def _on_card(self, change: ch.CardLoaded) -> None:
        self._card = change.card
        self.refresh()

    def _copy_of(self, what: str) -> Callable[[], None]:
        def copy() -> None:
            from PySide6.QtGui import QGuiApplication

            row, card = self._open_user()
            text = ""
            if what == "name" and row is not None:
                text = row.full_name
            elif what == "login" and row is not None:
                text = row.login
            elif what == "phone" and card is not None:
                text = card.phone
            if text:
                QGuiApplication.clipboard().setText(text)

        return copy
