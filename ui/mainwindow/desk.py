"""`Desk`: what the window's panes share — the Workplace they show (once attached), the user
open in the chat, the commands (ui/mainwindow/actions.py), the users' photos and the owned
tasks. Made with the window's first frame, so it stays light: asyncio is imported when the
first task is spawned, after the first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    import asyncio

    from app.core.domain import UserRow
    from app.core.tasks import Tasks
    from ui.clients.avatars import AvatarStore
    from ui.mainwindow.commands import Actions, Command
    from ui.mainwindow.seam import Core

log = logging.getLogger("linedesk.ui.desk")

T = TypeVar("T")


class Desk(QObject):
    sig_user_opened = Signal(int)
    """The specialist opened this user (a row chosen in the list, Alt+↓…): the panes show
    them — the chat, its header, the info panel, the commands for them."""
    sig_user_closed = Signal()
    """No user is open any more (another line chosen without them, a group left): the panes
    empty what they showed of them (`close_user`)."""
    sig_dial = Signal(str)
    """A number to call was chosen (the info panel's phone): the calls feature puts it into
    its dialer (ui/calls/feature.py `open_dialer`)."""

    actions: Actions
    """The window's commands (ui/mainwindow/commands.py), set by the window's `complete()`."""
    avatars: AvatarStore
    """The users' photos (ui/clients/avatars.py), set by the window's `complete()`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workplace: Core | None = None
        self.user_id: int | None = None  # the user open in the chat
        # the window's intents as owned tasks, cancelled at close: the core's task owner,
        # made with the first task (app.core.tasks imports asyncio: after the first paint)
        self._tasks: Tasks | None = None

    def open_user(self, user_id: int) -> None:
        self.user_id = user_id
        self.sig_user_opened.emit(user_id)

    def close_user(self) -> None:
        """No user open: every command for a user off until one is chosen, and the panes told
        (`sig_user_closed`)."""
        self.user_id = None
        self.user_commands_off()
        self.sig_user_closed.emit()

    def user_commands_off(self, keep: Command | None = None) -> None:
        """The commands for a user neither enabled nor shown (but `keep`): none is open."""
        for command in self.actions.for_user():
            if command is not keep:
                command.set_applies(False)
                command.setEnabled(False)

    sig_open_group = Signal(int)
    """A group's chat to open (the info panel's shared groups): the groups feature opens it
    as a click in its own list does (ui/groups/feature.py `open_group`)."""
    sig_open_file = Signal(object)
    """A file (FileRef) of the open chat to open (the info panel's files): the chat pane's
    file handling does it — saved first, never an executable (ui/chat/files.py)."""
    sig_save_file = Signal(object)
    """A file (FileRef) of the open chat to save where the specialist says (as above)."""

    def dial(self, number: str) -> None:
        self.sig_dial.emit(number)

    def row(self, user_id: int) -> UserRow | None:
        """The user's row if the Workplace holds it (None otherwise: it is fetched, and a
        `UserChanged` follows). The open user's is not fetched on its own: their card, asked
        for on opening (ui/side/pane.py), brings it — one request to the server, not two."""
        if self.workplace is None:
            return None
        if user_id == self.user_id:
            return self.workplace.users.get(user_id)
        try:
            return self.workplace.users.row(user_id)
        except KeyError:
            return None

    # -- owned tasks -------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run an intent as an owned task (cancelled on close); a failure is shown (the
        program's excepthook: logged, and a dialog)."""
        if self._tasks is None:
            from app.core.tasks import Tasks

            self._tasks = Tasks(on_error=_show_failure, log=log)
        return self._tasks.spawn(coro)

    async def cancel_tasks(self) -> None:
        if self._tasks is not None:
            await self._tasks.cancel_all()


def _show_failure(task: asyncio.Task[Any], exc: BaseException) -> None:
    from ui.mainwindow.errors import excepthook

    excepthook(type(exc), exc, exc.__traceback__)
