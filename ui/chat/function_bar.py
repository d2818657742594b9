"""The function bar above the chat: who the chat is with, and a button per command the
actions registry puts there (ui/mainwindow/actions.py: finish the ticket, the information
panel…). Part of the window's first frame: its buttons are painted from the commands'
declarations, and `complete(actions)` binds each to its command (ui/mainwindow/commands.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.flow import FlowLayout
from ui.mainwindow.actions import declared, translate

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

    from app.core.domain import UserRow
    from ui.mainwindow.actions import MainAction
    from ui.mainwindow.commands import Actions


TITLES_MIN, TITLES_MAX = 240, 400  # px: the titles' share when the buttons sit beside them
WIDGET_MAX = 16_777_215  # QWIDGETSIZE_MAX
TYPING_SHOWN_MS = 6000  # the server passes a notice on every 2 s while they type


class FunctionBar(QFrame):
    sig_typing = Signal(bool)
    """The header began (True) or stopped (False) saying the user is typing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("functionBar")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        self._grid = grid
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addStretch(1)  # the lines at the top when the buttons beside them are higher
        self.chat_title = QLabel()
        self.chat_title.setObjectName("chatTitle")
        font = self.chat_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.chat_title.setFont(font)
        self.chat_subtitle = QLabel()
        self.chat_subtitle.setObjectName("chatSubtitle")
        self.titles = titles
        self._lines: list[QLabel] = []
        self._plain = False
        self.add_line(self.chat_title)
        self.add_line(self.chat_subtitle)
        # the buttons: beside the titles, wrapped onto a second row if need be; below them
        # when even two rows would not fit beside (never widening the pane)
        commands = QWidget()
        commands.setObjectName("functionButtons")
        flow = FlowLayout(commands)
        commands.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._commands, self._flow, self._beside = commands, flow, True
        grid.addLayout(titles, 0, 0)
        grid.addWidget(commands, 0, 1)
        self.buttons: dict[MainAction, QAbstractButton] = {}
        for key, spec in declared():
            if not spec.bar:
                continue
            button: QAbstractButton = QToolButton() if spec.checkable else QPushButton()
            button.setObjectName(key.value)
            button.setText(translate(spec.text))
            button.setCheckable(spec.checkable)
            button.setChecked(spec.checked)
            button.setEnabled(spec.enabled)
            if not spec.enabled:  # (it applies once it is enabled: e.g. an open ticket)
                button.hide()
            flow.addWidget(button)
            self.buttons[key] = button

    def add_line(self, label: QLabel) -> None:
        """A line under the chat's title (features add their own: ui/tickets, the ticket's
        holder); it may be cut at the right rather than widen the pane, and shows plain text
        (from `complete()` on: the format needs Qt's namespace, kept out of the first frame)."""
        label.setMinimumWidth(TITLES_MIN // 3)
        if self._plain:
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.titles.insertWidget(self.titles.count() - 1, label)  # (above the stretch)
        self._lines.append(label)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        """The buttons beside the titles while they fit there in two rows, else below."""
        spacing = self._flow.spacing_px
        one_row = self._flow.heightForWidth(1 << 20)
        need = max((line.sizeHint().width() for line in self._lines), default=0)
        room = width - min(max(need, TITLES_MIN), TITLES_MAX) - self._grid.horizontalSpacing() - 6
        beside = room > 0 and self._flow.heightForWidth(room) <= 2 * one_row + spacing
        self._commands.setMaximumWidth(room if beside else WIDGET_MAX)
        if beside == self._beside:
            return
        self._beside = beside
        self._grid.removeWidget(self._commands)
        if beside:
            self._grid.addWidget(self._commands, 0, 1)
        else:
            self._grid.addWidget(self._commands, 1, 0, 1, 2)

    def complete(self, actions: Actions) -> None:
        from ui.mainwindow.commands import bind_button

        for key, button in self.buttons.items():
            bind_button(actions[key], button)
        Qt = QtCore.Qt
        self._plain = True
        for line in self._lines:  # names and companies are people's text, never markup
            line.setTextFormat(Qt.TextFormat.PlainText)
        self.chat_subtitle.setStyleSheet("color: palette(placeholder-text);")

    def show_row(self, row: UserRow | None) -> None:
        """The chat's user: name, then position (a colleague, with their status) or company
        (a client user, with their presence: online, away, offline). "typing…" stays while
        the same user's row changes (their presence, a new message's preview)."""
        shown_id, self._row_id = getattr(self, "_row_id", None), row.id if row else None
        if row is None:
            self.chat_title.setText("")
            self.chat_subtitle.setText("")
            self._subtitle = ""
            self.typing(False)
            return
        from ui.common.text import preview_line

        self.chat_title.setText(preview_line(row.full_name))  # people's text: never reordering ours
        self._arrange(self.width())
        sub = preview_line(
            row.position if row.colleague else (row.company.name if row.company else "")
        )
        state = ""
        if row.colleague and row.status is not None:
            from ui.mainwindow.status import status_name

            state = status_name(row.status)
        elif not row.colleague:
            from ui.clients.row_marks import presence_tip

            state = presence_tip(row.presence)
        self._subtitle = " · ".join(part for part in (sub, state) if part)
        if shown_id != row.id or not self.is_typing_shown():
            self.typing(False)

    def show_title(self, title: str, subtitle: str) -> None:
        """A chat that is no user's (a group's): its name and a line about it, as text from
        people (bidi controls marked, isolated); the lines features add about a user are
        emptied (they fill them again when a user is opened)."""
        from ui.common.text import preview_line

        self.chat_title.setText(preview_line(title))
        self._subtitle = subtitle
        self.chat_subtitle.setText(subtitle)
        for line in self._lines[2:]:
            line.clear()
        self._arrange(self.width())
        self.typing(False)

    def typing(self, on: bool) -> None:
        """The chat's user is typing ("typing…" for a few seconds after each notice)."""
        from PySide6.QtCore import QTimer

        if not hasattr(self, "_typing_timer"):
            self._typing_timer = QTimer(self)
            self._typing_timer.setSingleShot(True)
            self._typing_timer.setInterval(TYPING_SHOWN_MS)
            self._typing_timer.timeout.connect(lambda: self.typing(False))
        was = self._typing_timer.isActive()
        if on:
            self.chat_subtitle.setText(self.tr("typing…"))
            self._typing_timer.start()
        else:
            self._typing_timer.stop()
            self.chat_subtitle.setText(getattr(self, "_subtitle", ""))
        if was != on:
            self.sig_typing.emit(on)

    def is_typing_shown(self) -> bool:
        return hasattr(self, "_typing_timer") and self._typing_timer.isActive()
