"""Every command of the window in one registry: its text, icon, translated shortcut and
enabled state (Picard's `@add_action(MainAction.X)`, picard/ui/mainwindow/actions.py).

A feature declares a command by decorating the method that carries it out:

    class FinishTicket(QObject):
        @add_action(MainAction.FINISH_TICKET, text=QT_TRANSLATE_NOOP("Actions", "Finish ticket"),
                    bar=True, user=True, enabled=False)
        def finish(self) -> None: ...

The declaration is recorded when the feature's module is imported. `Actions(window)` makes
one `Command` (a QAction) per declared command, in `MainAction`'s order, and everything that
offers commands reads it: the function bar (`in_bar()`: a button per command, bound by
`bind_button`), the users list's context menu (`for_user()`: the commands for the selected
user), and the keyboard (`keyed()`: the window holds these, so their shortcuts work
anywhere in it). `bind(owner)` connects the decorated methods of `owner` to their commands'
`triggered` (or `toggled`, for a checkable command). The feature keeps the enabled state
(`setEnabled`) and whether the command applies to what is shown now (`set_applies`: a bar
button shows only then), so all three places follow the same object.

Light on purpose: the window's first frame builds the registry (the bar's buttons are in
it), so nothing here reaches Qt's `Qt` namespace (`setShortcuts`, not `setShortcut`) nor the
core.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton

CONTEXT = "Actions"
"""The translation context of the commands' texts and shortcuts (QT_TRANSLATE_NOOP)."""

_HANDLER = "_linedesk_action"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for pyside6-lupdate, which knows the call by this name (as Qt's own,
    which the stubs type as returning `object`); the registry translates it when it makes the
    command."""
    return source


class MainAction(enum.Enum):
    """The window's commands; the function bar shows its buttons in this order. The value
    is the object name of the command's button (and, with "Action", of the command)."""

    FINISH_TICKET = "finishTicket"
    TOGGLE_INFO = "toggleInfo"
    FIND_USERS = "findUsers"
    CHOOSE_LINE = "chooseLine"
    NEXT_USER = "nextUser"
    PREVIOUS_USER = "previousUser"
    NEXT_UNREAD = "nextUnread"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """A command as declared (texts untranslated: marked with QT_TRANSLATE_NOOP)."""

    text: str
    tip: str = ""
    shortcut: str | QKeySequence.StandardKey = ""  # a translatable key text, or a standard key
    icon: str = ""  # a theme icon name
    checkable: bool = False
    checked: bool = False
    enabled: bool = True
    bar: bool = False  # a button in the function bar
    user: bool = False  # in the users list's context menu: a command for the selected user


_SPECS: dict[MainAction, ActionSpec] = {}

F = TypeVar("F", bound=Callable[..., object])


def add_action(
    key: MainAction,
    *,
    text: str,
    tip: str = "",
    shortcut: str | QKeySequence.StandardKey = "",
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
    _SPECS[key] = ActionSpec(text, tip, shortcut, icon, checkable, checked, enabled, bar, user)

    def mark(handler: F) -> F:
        setattr(handler, _HANDLER, key)
        return handler

    return mark


def spec(key: MainAction) -> ActionSpec | None:
    return _SPECS.get(key)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text) if text else ""


class Command(QAction):
    """A declared command: a QAction, plus whether it applies to what is shown now."""

    sig_applies_changed = Signal(bool)

    def __init__(self, key: MainAction, declared: ActionSpec, parent: QObject) -> None:
        super().__init__(_tr(declared.text), parent)
        self.key = key
        self.spec = declared
        self.setObjectName(key.value + "Action")
        if declared.icon:
            self.setIcon(QIcon.fromTheme(declared.icon))
        self.setCheckable(declared.checkable)
        self.setChecked(declared.checked)
        self.setEnabled(declared.enabled)
        keys = self.keys()
        if not keys.isEmpty():
            self.setShortcuts([keys])  # (setShortcut would build Qt's namespace now)
        tip = _tr(declared.tip) or self.text()
        if not keys.isEmpty():
            tip = f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
        self.setToolTip(tip)
        self.applies = declared.enabled

    def keys(self) -> QKeySequence:
        """The shortcut, translated (an empty sequence when the command has none)."""
        shortcut = self.spec.shortcut
        if isinstance(shortcut, QKeySequence.StandardKey):
            return QKeySequence(shortcut)
        return QKeySequence(_tr(shortcut)) if shortcut else QKeySequence()

    def set_applies(self, applies: bool) -> None:
        """Whether the command means something for what is shown (the selected user has an
        open ticket…): its bar button shows only then. Enabled is separate (a command may
        apply and wait for the server)."""
        if applies != self.applies:
            self.applies = applies
            self.sig_applies_changed.emit(applies)


class Actions(QObject):
    """The registry's commands for one window."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._commands: dict[MainAction, Command] = {}
        for key in MainAction:
            declared = _SPECS.get(key)
            if declared is not None:
                self._commands[key] = Command(key, declared, parent)

    def __getitem__(self, key: MainAction) -> Command:
        return self._commands[key]

    def __contains__(self, key: object) -> bool:
        return key in self._commands

    def all(self) -> list[Command]:
        return list(self._commands.values())

    def in_bar(self) -> list[Command]:
        return [c for c in self._commands.values() if c.spec.bar]

    def for_user(self) -> list[Command]:
        return [c for c in self._commands.values() if c.spec.user]

    def keyed(self) -> list[Command]:
        return [c for c in self._commands.values() if c.spec.shortcut]

    def bind(self, owner: object) -> list[Command]:
        """Connect `owner`'s methods declared with `add_action` to their commands."""
        bound: list[Command] = []
        seen: set[str] = set()
        for klass in type(owner).__mro__:
            if klass.__module__.startswith(("PySide6", "shiboken6", "builtins")):
                continue  # Qt's own classes declare no commands
            for name, member in vars(klass).items():
                key = getattr(member, _HANDLER, None)
                if name in seen or not isinstance(key, MainAction) or key not in self._commands:
                    continue
                seen.add(name)
                command = self._commands[key]
                handler = getattr(owner, name)
                if command.isCheckable():
                    command.toggled.connect(handler)
                else:
                    command.triggered.connect(lambda _checked=False, h=handler: h())
                bound.append(command)
        return bound


class _ButtonBinding(QObject):
    """Keeps a bar button showing its command (a child of the button: it goes with it)."""

    def __init__(self, command: Command, button: QAbstractButton) -> None:
        super().__init__(button)
        self._command = command
        self._button = button
        command.changed.connect(self.sync)
        command.sig_applies_changed.connect(self.show_if)
        self.sync()

    def sync(self) -> None:
        command, button = self._command, self._button
        button.setText(command.text())
        button.setToolTip(command.toolTip())
        button.setIcon(command.icon())
        button.setEnabled(command.isEnabled())
        if command.isCheckable():
            button.setChecked(command.isChecked())

    def show_if(self, applies: bool) -> None:
        self._button.setVisible(applies)


def bind_button(command: Command) -> QAbstractButton:
    """A function-bar button for `command`: a checkable tool button for a checkable command,
    else a push button; it shows the command's text, tip and enabled state, and only while
    the command applies. (Not QToolButton.setDefaultAction: a tool button's own setChecked
    would not reach its action.)"""
    button: QAbstractButton
    if command.isCheckable():
        button = QToolButton()
        button.setCheckable(True)
        button.toggled.connect(command.setChecked)
    else:
        button = QPushButton()
        button.clicked.connect(command.trigger)
    button.setObjectName(command.key.value)
    _ButtonBinding(command, button)
    if not command.applies:
        button.hide()  # (never show(): the button has no parent yet)
    return button


__all__ = ["Actions", "Command", "MainAction", "add_action", "bind_button"]
