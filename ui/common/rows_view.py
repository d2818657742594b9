"""A QListView whose rows keep their size when their data changes.

QListView answers every `dataChanged` by laying the whole list out again and repainting all
of it (QListModeViewBase::dataChanged → doDelayedItemsLayout): in a list of rows of one
height that is pure waste — a users list repainted whole (9 rows, ~1.3 ms each) for every
message of a flood into one user's chat (docs/chat.md). Here only the changed rows are
repainted (QAbstractItemView's own dataChanged); sizes, inserts, moves and resets are
QListView's as before."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QListView

_Index = QModelIndex | QPersistentModelIndex


class RowsView(QListView):
    """For rows whose height never depends on their data (uniform item sizes)."""

    def dataChanged(
        self,
        topLeft: _Index,
        bottomRight: _Index,
        roles: Sequence[int] = (),
    ) -> None:
        QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
