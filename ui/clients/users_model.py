"""The users of the current line: a list model over ids, rows fetched lazily (STYLE.md 3, 5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex

from ui.common.roles import (
    ACCESSIBLE_ROLE,
    DISPLAY_ROLE,
    ROW_ROLE,
    TICKET_ROLE,
    TOOLTIP_ROLE,
    USER_ID_ROLE,
)
from ui.common.text import isolated, plain_tooltip
from ui.tickets.holder import HOLDERS

if TYPE_CHECKING:
    from app.core.domain import UserRow

_Index = QModelIndex | QPersistentModelIndex


class RowSource(Protocol):
    def row(self, user_id: int) -> UserRow: ...


_CHANGED_ROLES = [ROW_ROLE, DISPLAY_ROLE, TOOLTIP_ROLE, ACCESSIBLE_ROLE]


class UsersModel(QAbstractListModel):
    """Holds only the ids in display order; asks `source.row(id)` when a row is painted.

    A row that is not loaded yet (`source.row` raises KeyError; the source fetches it)
    paints as an empty row until `changed(id)` says it is here.
    """

    def __init__(self, source: RowSource | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._ids: list[int] = []
        self._pos: dict[int, int] | None = None  # id -> row, built on use after a change
        self._lookups = 0  # lookups since the last change

    # -- what the Workplace tells us ---------------------------------------
    def set_source(self, source: RowSource | None) -> None:
        self.beginResetModel()
        self._source = source
        self._ids = []
        self._pos, self._lookups = None, 0
        self.endResetModel()

    def reset(self, ids: Sequence[int]) -> None:
        """A new list (a new line or query): the only time the model resets."""
        self.beginResetModel()
        self._ids = list(ids)
        self._pos, self._lookups = None, 0
        self.endResetModel()

    def move(self, user_id: int, old_pos: int, new_pos: int) -> None:
        n = len(self._ids)
        if not (0 <= old_pos < n) or self._ids[old_pos] != user_id:
            old_pos = self.position(user_id)
            if old_pos < 0:
                return
        new_pos = max(0, min(new_pos, n - 1))
        if old_pos == new_pos:
            self.changed(user_id)
            return
        dest = new_pos if new_pos < old_pos else new_pos + 1
        if not self.beginMoveRows(QModelIndex(), old_pos, old_pos, QModelIndex(), dest):
            return
        self._ids.insert(new_pos, self._ids.pop(old_pos))
        self._pos, self._lookups = None, 0
        self.endMoveRows()

    def insert(self, user_id: int, pos: int) -> None:
        if self.position(user_id) >= 0:
            return
        pos = max(0, min(pos, len(self._ids)))
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._ids.insert(pos, user_id)
        self._pos, self._lookups = None, 0
        self.endInsertRows()

    def changed(self, user_id: int) -> None:
        pos = self.position(user_id)
        if pos >= 0:
            index = self.index(pos, 0)
            self.dataChanged.emit(index, index, _CHANGED_ROLES)

    def refresh_all(self) -> None:
        """Repaint every row (e.g. which tickets are mine changed)."""
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 0), [ROW_ROLE])

    # -- lookups -----------------------------------------------------------
    def position(self, user_id: int) -> int:
        """The row of `user_id`, or -1 (a dict lookup: rows arrive one by one when fetched)."""
        if self._pos is None:
            self._lookups += 1
            if self._lookups < 3:  # one look after a change: a scan is cheaper than a dict
                try:
                    return self._ids.index(user_id)
                except ValueError:
                    return -1
            self._pos = {uid: r for r, uid in enumerate(self._ids)}
        return self._pos.get(user_id, -1)

    def user_id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def ids(self) -> tuple[int, ...]:
        return tuple(self._ids)

    # -- QAbstractListModel --------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> object:
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._ids):
            return None
        user_id = self._ids[r]
        if role == ROW_ROLE:
            return self._row(user_id)
        if role == USER_ID_ROLE:
            return user_id
        if role == TICKET_ROLE:
            row = self._row(user_id)
            return HOLDERS.shown(row, in_list=True) if row is not None else ("", 0)
        if role in (DISPLAY_ROLE, ACCESSIBLE_ROLE):
            row = self._row(user_id)
            return row.full_name if row is not None else ""
        if role == TOOLTIP_ROLE:
            row = self._row(user_id)
            if row is None:
                return None
            parts = [row.full_name, row.position, row.company.name if row.company else ""]
            return plain_tooltip("\n".join(isolated(p) for p in parts if p))
        return None

    def _row(self, user_id: int) -> UserRow | None:
        if self._source is None:
            return None
        try:
            return self._source.row(user_id)
        except KeyError:
            return None
