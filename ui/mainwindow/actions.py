"""Every command of the window in one registry: its text, icon, translated shortcut and
enabled state (Picard's `@add_action(MainAction.X)`, picard/ui/mainwindow/actions.py).

A feature declares a command by decorating the method that carries it out:

    class TicketCommands(QObject):
        @add_action(MainAction.FINISH_TICKET, text=QT_TRANSLATE_NOOP("Actions", "Finish ticket"),
                    bar=True, user=True, enabled=False)
        def finish(self) -> None: ...

The declaration is recorded when the feature's module is imported; `declared()` lists them
in `MainAction`'s order (the function bar's). After the first paint, `ui.mainwindow.commands`
makes one QAction per declaration, and every place that offers commands holds that object:
the function bar's buttons, the users list's context menu, the window's keys.

Light on purpose: the first frame reads the declarations (the function bar's buttons are
painted from them), so this module touches no QtGui type and none of Qt's enums (a QAction or
a QKeySequence would make PySide build a dozen enums before the first paint).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QCoreApplication

CONTEXT = "Actions"
"""The translation context of the commands' texts and shortcuts."""

HANDLER = "_linedesk_action"
"""The attribute `add_action` marks a command's method with (ui.mainwindow.commands binds)."""


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for pyside6-lupdate, which knows the call by this name (as Qt's own,
    which the stubs type as returning `object`); the registry translates it when it shows the
    command. The context must be written out ("Actions"): lupdate reads no variables."""
    return source


class MainAction(enum.Enum):
    """The window's commands; the function bar shows its buttons in this order. The value
    is the object name of the command's button (and, with "Action", of the command)."""

    START_TICKET = "startTicket"
    FINISH_TICKET = "finishTicket"
    TRANSFER_TICKET = "transferTicket"
    COMMENT_TICKET = "commentTicket"
    QUICK_REPLY = "quickReply"
    ONLINE_MONITOR = "onlineMonitor"
    GROUP = "group"
    CONNECT_REMOTE = "connectRemote"
    CALL_USER = "callUser"
    DIAL = "dial"
    FAVOURITE = "favourite"
    SEARCH_CHAT = "searchChat"
    DISCONNECT_USER = "disconnectUser"
    RESTORE_USER = "restoreUser"
    TOGGLE_INFO = "toggleInfo"
    FIND_USERS = "findUsers"
    CHOOSE_LINE = "chooseLine"
    NEXT_USER = "nextUser"
    PREVIOUS_USER = "previousUser"
    NEXT_UNREAD = "nextUnread"
    ADD_TO_MY_LIST = "addToMyList"
    SETTINGS = "settings"
    PROFILE = "profile"


class ActionSpec(NamedTuple):
    """A command as declared (texts marked with QT_TRANSLATE_NOOP, translated when shown).
    (Not a dataclass: `dataclasses` alone costs the first frame 3 ms.)"""

    text: str
    tip: str = ""
    shortcut: str = ""  # a key sequence in portable text ("Ctrl+I"), translatable
    standard_key: str = ""  # or a QKeySequence.StandardKey by name ("Find"): the platform's
    icon: str = ""  # a theme icon name
    checkable: bool = False
    checked: bool = False
    enabled: bool = True  # and, at first, whether it applies (a bar button shows only then)
    bar: bool = False  # a button in the function bar
    user: bool = False  # in the users list's context menu: a command for the selected user


_SPECS: dict[MainAction, ActionSpec] = {}

F = TypeVar("F", bound=Callable[..., object])


def add_action(
    key: MainAction,
    *,
    text: str,
    tip: str = "",
    shortcut: str = "",
    standard_key: str = "",
    icon: str = "",
    checkable: bool = False,
    checked: bool = False,
    enabled: bool = True,
    bar: bool = False,
    user: bool = False,
) -> Callable[[F], F]:
    """Declare command `key`, carried out by the decorated method (a checkable command's
    method gets the new checked state)."""
    if key in _SPECS:
        raise ValueError(f"{key} is declared twice")
    _SPECS[key] = ActionSpec(
        text, tip, shortcut, standard_key, icon, checkable, checked, enabled, bar, user
    )

    def mark(handler: F) -> F:
        setattr(handler, HANDLER, key)
        return handler

    return mark


def declared() -> list[tuple[MainAction, ActionSpec]]:
    """The commands declared so far (their modules imported), in `MainAction`'s order."""
    return [(key, _SPECS[key]) for key in MainAction if key in _SPECS]


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text) if text else ""


__all__ = ["QT_TRANSLATE_NOOP", "ActionSpec", "MainAction", "add_action", "declared", "translate"]
