"""The commands of one window: a QAction (`Command`) per command declared in the registry
(ui/mainwindow/actions.py), made after the first paint by `MainWindow.complete()`.

Everything that offers commands holds these objects: the function bar (`bind_button`: its
buttons, painted in the first frame from the declarations, follow the command from then on),
the users list's context menu (`for_user()`: the commands for the selected user), and the
keyboard (`keyed()`: the window holds these, so their shortcuts work anywhere in it).
`bind(owner)` connects the methods `owner` declared with `add_action` to their commands'
`triggered` (or `toggled`, for a checkable command). The feature keeps the enabled state
(`setEnabled`) and whether the command applies to what is shown now (`set_applies`), so all
three places follow the same object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence

from ui.mainwindow.actions import HANDLER, ActionSpec, MainAction, declared, translate

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton


class Command(QAction):
    """A declared command: a QAction, plus whether it applies to what is shown now."""

    sig_applies_changed = Signal(bool)

    def __init__(self, key: MainAction, spec: ActionSpec, parent: QObject) -> None:
        super().__init__(translate(spec.text), parent)
        self.key = key
        self.spec = spec
        self.setObjectName(key.value + "Action")
        if spec.icon:
            self.setIcon(QIcon.fromTheme(spec.icon))
        self.setCheckable(spec.checkable)
        self.setChecked(spec.checked)
        self.setEnabled(spec.enabled)
        keys = self.keys()
        tip = translate(spec.tip) or self.text()
        if not keys.isEmpty():
            self.setShortcut(keys)
            tip = f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
        self.setToolTip(tip)
        self._tip = tip
        self.applies = spec.enabled

    def keys(self) -> QKeySequence:
        """The shortcut, translated (an empty sequence when the command has none)."""
        if self.spec.standard_key:
            return QKeySequence(getattr(QKeySequence.StandardKey, self.spec.standard_key))
        return QKeySequence(translate(self.spec.shortcut)) if self.spec.shortcut else QKeySequence()

    def set_refused(self, why: str, possible: bool = True) -> None:
        """Enabled unless ``why`` says why it would be refused for what is shown (the open user
        disconnected from the line…) or it is not `possible` (no user open); the tip says
        ``why`` instead of the command's own."""
        self.setEnabled(possible and not why)
        self.setToolTip(why or self._tip)

    def set_applies(self, applies: bool) -> None:
        """Whether the command means something for what is shown (the open user has an open
        ticket…): its bar button shows only then. Enabled is separate (a command may apply
        and wait for the server)."""
        if applies != self.applies:
            self.applies = applies
            self.sig_applies_changed.emit(applies)


class Actions(QObject):
    """The registry's commands for one window."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._commands = {key: Command(key, spec, parent) for key, spec in declared()}

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
        return [c for c in self._commands.values() if not c.keys().isEmpty()]

    def bind(self, owner: object) -> list[Command]:
        """Connect `owner`'s methods declared with `add_action` to their commands."""
        bound: list[Command] = []
        seen: set[str] = set()
        for klass in type(owner).__mro__:
            if klass.__module__.startswith(("PySide6", "shiboken6", "builtins")):
                continue  # Qt's own classes declare no commands
            for name, member in vars(klass).items():
                key = getattr(member, HANDLER, None)
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
        if command.isCheckable():
            button.toggled.connect(command.setChecked)
        else:
            button.clicked.connect(command.trigger)
        command.changed.connect(self.sync)
        command.sig_applies_changed.connect(button.setVisible)
        self.sync()
        button.setVisible(command.applies)

    def sync(self) -> None:
        command, button = self._command, self._button
        button.setText(command.text())
        button.setToolTip(command.toolTip())
        if command.spec.icon:
            button.setIcon(command.icon())
        button.setEnabled(command.isEnabled())
        if command.isCheckable():
            button.setChecked(command.isChecked())


def bind_button(command: Command, button: QAbstractButton) -> None:
    """`button` (the function bar's, a checkable tool button for a checkable command) shows
    `command` — its text, tip, enabled and checked state — while it applies, and clicking it
    is the command. (Not QToolButton.setDefaultAction: the button's own setChecked would not
    reach its action.)"""
    _ButtonBinding(command, button)


__all__ = ["Actions", "Command", "bind_button"]
