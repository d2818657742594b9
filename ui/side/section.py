"""A section of the info panel: a header that collapses it and a body, registered with
`@info_section` so the panel (ui/side/info_panel.py) makes every registered one in order.

A section shows what it is given: `show_row` (the list's row, at once), `show_card` (the
user's card, when it comes) and `clear` (nobody open). It reaches the window through its
`host` (`SectionHost`): the desk's owned tasks and core, opening a user, the dialer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.icons import copy_icon
from ui.common.text import marked

if TYPE_CHECKING:
    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk

AMBER = "#b26a00"  # what ends soon (readable on light and dark panels)


class SectionHost(Protocol):
    desk: Desk | None

    def dial(self, number: str) -> None: ...


class Section(QWidget):
    """Subclasses set `key` (kept in the settings when collapsed) and `order`, and fill
    `self.body` (a QVBoxLayout)."""

    key: ClassVar[str]
    order: ClassVar[int]

    sig_collapsed = Signal(str, bool)
    """The specialist collapsed (True) or opened (False) the section with this key."""

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setObjectName(f"section_{self.key}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.setSpacing(2)
        self.header = QToolButton()
        self.header.setObjectName(f"header_{self.key}")
        self.header.setText(self.title())
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setCheckable(True)
        self.header.setChecked(True)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setStyleSheet("font-weight: 600; border: none;")
        self.header.toggled.connect(self._toggled)
        outer.addWidget(self.header)
        self.content = QWidget()
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(14, 0, 0, 0)
        self.body.setSpacing(3)
        outer.addWidget(self.content)
        self._asked = 0  # the last question's number: an older answer is dropped

    def title(self) -> str:
        raise NotImplementedError

    @property
    def collapsed(self) -> bool:
        return not self.header.isChecked()

    def set_collapsed(self, collapsed: bool) -> None:
        self.header.setChecked(not collapsed)

    def _toggled(self, opened: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.content.setVisible(opened)
        self.sig_collapsed.emit(self.key, not opened)

    def ask(self, intent: str, *args: object, done: Callable[[Any], None]) -> None:
        """Ask the core (an intent, as an owned task); `done(answer)` unless another
        question was asked since, or `forget()` was called (another user is open) — then
        a question not sent yet is never sent (the server is not kept busy for nobody)."""
        desk = self.host.desk
        workplace = desk.workplace if desk is not None else None
        if desk is None or workplace is None:
            return
        self._asked += 1
        asked = self._asked

        async def asking() -> Any:
            if asked != self._asked:  # another user opened before it was sent: not sent
                return None
            return await workplace.act(intent, *args)

        task = desk.spawn(asking())

        def answered(t: Any) -> None:
            if not t.cancelled() and t.exception() is None and asked == self._asked:
                done(t.result())

        task.add_done_callback(answered)

    def forget(self) -> None:
        """Answers to questions asked before now are dropped."""
        self._asked += 1

    def listen(self, bridge: Bridge) -> None:
        """Subscribe to the core's changes the section follows (after the window is made)."""

    def show_row(self, row: UserRow) -> None:
        """What the list knows of the user, at once (the card follows)."""

    def show_card(self, card: UserCard) -> None:
        """The user's card arrived."""

    def clear(self) -> None:
        """Nobody is open."""


S = TypeVar("S", bound=type[Section])
SECTIONS: list[type[Section]] = []


def info_section(cls: S) -> S:
    """Register a section class; the panel makes them in `order`."""
    SECTIONS.append(cls)
    SECTIONS.sort(key=lambda c: c.order)
    return cls


def plain_label(name: str = "") -> QLabel:
    """A label for someone else's text: plain, wrapped, selectable, bidi controls marked."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class ClickableLabel(QLabel):
    """A plain-text label that is a button too (the phone number: into the dialer)."""

    sig_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("color: palette(link); text-decoration: underline;")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.sig_clicked.emit()
        super().mouseReleaseEvent(event)


class Fields:
    """Rows of caption and value, each value copyable (a button beside it, or the value's
    context menu); a row with no value is hidden."""

    def __init__(self, section: Section) -> None:
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setVerticalSpacing(2)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        section.body.addLayout(self.form)
        self.values: dict[str, QLabel] = {}
        self.raw: dict[str, str] = {}
        self.copy_buttons: dict[str, QToolButton] = {}
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}

    def add(self, key: str, caption: str, value: QLabel | None = None) -> QLabel:
        label = value if value is not None else plain_label()
        label.setObjectName(f"info_{key}")
        copy = QToolButton()
        copy.setObjectName(f"copy_{key}")
        copy.setAutoRaise(True)
        copy.setIcon(copy_icon())
        copy.setToolTip(QCoreApplication.translate("InfoPanel", "Copy"))
        copy.setAccessibleName(
            QCoreApplication.translate("InfoPanel", "Copy %1").replace("%1", caption)
        )
        copy.clicked.connect(lambda: self.copy(key))
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        action = label.addAction(QCoreApplication.translate("InfoPanel", "Copy"))
        action.triggered.connect(lambda: self.copy(key))
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label, 1)
        row.addWidget(copy, 0, Qt.AlignmentFlag.AlignTop)
        caption_label = QLabel(caption)
        caption_label.setObjectName(f"caption_{key}")
        caption_label.setStyleSheet("color: palette(placeholder-text);")
        self.form.addRow(caption_label, line)
        self.values[key] = label
        self.copy_buttons[key] = copy
        self._rows[key] = (caption_label, line)
        return label

    def set(self, key: str, text: str, shown: Callable[[str], str] = marked) -> None:
        self.raw[key] = text
        self.values[key].setText(shown(text))
        caption, line = self._rows[key]
        caption.setVisible(bool(text))
        line.setVisible(bool(text))

    def copy(self, key: str) -> None:
        """The value as it is (not as shown) to the clipboard."""
        text = self.raw.get(key, "")
        if text:
            QGuiApplication.clipboard().setText(text)

    def clear(self) -> None:
        for key in self.values:
            self.set(key, "")
