"""The info panel's short lists (responsible specialists, shared groups, tickets, files): a
model over frozen rows with a function that says how a row looks, and a view that is as tall
as its rows (the panel scrolls, not the list)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QSizePolicy, QWidget

from ui.common.text import plain_tooltip, preview_line

T = TypeVar("T")

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
ROW = int(Qt.ItemDataRole.UserRole) + 1  # the row itself


@dataclass(frozen=True, slots=True)
class Look:
    """How a row looks: its text (someone else's words are isolated for direction), a
    tooltip, a colour, an icon."""

    text: str
    tooltip: str = ""
    color: str = ""
    icon: QIcon | None = None


class RowsModel(QAbstractListModel, Generic[T]):
    def __init__(self, look: Callable[[T], Look], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._look = look
        self._rows: list[T] = []
        self._looks: list[Look] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._looks = [self._look(r) for r in self._rows]
        self.endResetModel()

    def restyle(self) -> None:
        """The look of every row again (a status changed, the clock moved on)."""
        self._looks = [self._look(r) for r in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def rows(self) -> list[T]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        look = self._looks[index.row()]
        if role == DISPLAY:
            return look.text
        if role == TOOLTIP:
            return plain_tooltip(look.tooltip) if look.tooltip else None
        if role == FOREGROUND:
            return QColor(look.color) if look.color else None
        if role == DECORATION:
            return look.icon
        if role == ROW:
            return self._rows[index.row()]
        return None


class FittedList(QListView):
    """A list as tall as its rows, without its own scroll bar; an empty list says so."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QListView { background: transparent; }")

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        for changed in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,  # a restyled row may wrap to more lines
            model.layoutChanged,
        ):
            changed.connect(self.updateGeometry)

    def updateGeometries(self) -> None:
        """After each layout of the rows (a new width, a changed model): the list as tall as
        they are now."""
        super().updateGeometries()
        if self.sizeHint().height() != self.height():
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        """The height of every row as laid out at the list's width: rows that wrap are taller
        than the first (rectForIndex lays a pending layout out first)."""
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        bottom = max(
            (self.rectForIndex(model.index(r, 0)).bottom() for r in range(rows)), default=-1
        )
        height = bottom + 1 + (self.spacing() if rows else 0)
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


def someone_elses(text: str) -> str:
    """A name or a file name from someone else, for a row of text beside our own words: one
    line (a group's name may hold newlines), isolated."""
    return preview_line(text)
