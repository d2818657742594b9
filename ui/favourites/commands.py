"""The favourite command for the open user (the function bar and the users' context menu):
ticked while they are in my favourites on the line; toggling it adds or removes them on the
server (app/favourites/part.py). Light (the users pane imports it with the first frame).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk


class FavouriteCommands(QObject):
    _desk: Desk
    _command: Command

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._busy = False  # waiting for the server

    def complete(self, desk: Desk) -> None:
        self._desk = desk
        self._command = desk.actions[MainAction.FAVOURITE]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(lambda _user_id: self.refresh())

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UsersReset, lambda _change: self.refresh())
        bridge.handle(ch.UserChanged, lambda _change: self.refresh())

    def _favourite(self) -> bool:
        workplace, user_id = self._desk.workplace, self._desk.user_id
        return workplace is not None and user_id in workplace.users.favourites

    @add_action(
        MainAction.FAVOURITE,
        text=QT_TRANSLATE_NOOP("Actions", "Favourite"),
        tip=QT_TRANSLATE_NOOP(
            "Actions",
            "Watch this user: every event of their chat on the line, colleagues' work too",
        ),
        icon="starred",
        checkable=True,
        enabled=False,
        bar=True,
        user=True,
    )
    def toggle(self, checked: bool) -> None:
        from app.favourites.part import ADD, REMOVE

        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is None or user_id is None or self._busy or checked == self._favourite():
            return  # (the tick set to what is so already)
        self._busy = True
        self._command.setEnabled(False)  # until the server answers

        async def toggle() -> None:
            try:
                await workplace.act(ADD if checked else REMOVE, user_id)
            finally:
                self._busy = False
                self.refresh()

        self._desk.spawn(toggle())

    def refresh(self) -> None:
        """The tick as it is for the open user now."""
        there = self._desk.workplace is not None and self._desk.user_id is not None
        self._command.setChecked(self._favourite())
        self._command.set_applies(there)
        self._command.setEnabled(there and not self._busy)
