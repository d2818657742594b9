"""Finishing the open user's ticket: a feature that is a package plus a registration.

It declares its command in the actions registry (`@add_action`: the text, the tip, shown
in the function bar and in the users list's context menu), keeps the command's state —
enabled while the open user has an open ticket, and not while the finish is on its way —
from the changes it registers for (`listen`), and carries it out through the core
(`finish_ticket`). Nothing in the window names it but the list of its parts.

Imported with the window's first frame (its command has a button in the function bar), so
it stays light: the core is reached only after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from app.core import changes as ch
    from app.core.domain import UserRow
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core


class FinishTicket(QObject):
    _desk: Desk
    _command: Command

    def complete(self, desk: Desk) -> None:
        self._desk = desk
        self._command = desk.actions[MainAction.FINISH_TICKET]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UserChanged, self._on_user_changed)

    def attach(self, workplace: Core) -> None:
        """(Nothing to show until a user is opened.)"""

    @add_action(
        MainAction.FINISH_TICKET,
        text=QT_TRANSLATE_NOOP("Actions", "Finish ticket"),
        tip=QT_TRANSLATE_NOOP("Actions", "Finish the open ticket with this user"),
        enabled=False,
        bar=True,
        user=True,
    )
    def finish(self) -> None:
        workplace, user_id = self._desk.workplace, self._desk.user_id
        if workplace is not None and user_id is not None:
            self._command.setEnabled(False)  # until the server answers (the row changes)
            self._desk.spawn(workplace.finish_ticket(user_id))

    def _user_opened(self, user_id: int) -> None:
        self._show(self._desk.row(user_id))

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        if change.row.id == self._desk.user_id:
            self._show(change.row)

    def _show(self, row: UserRow | None) -> None:
        has_ticket = row is not None and row.open_ticket is not None
        self._command.set_applies(has_ticket)
        self._command.setEnabled(has_ticket)
