"""The groups section's model: my groups, newest first, each a row with its name (text from
a person: isolated, never markup) and its members in the tooltip. Changes are reported
precisely: a new group is inserted, a left one removed, a renamed or re-membered one changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex

from ui.common.roles import DISPLAY_ROLE, TOOLTIP_ROLE
from ui.common.text import plain_tooltip, preview_line

if TYPE_CHECKING:
    from contract.groups import Group

GROUP_ID_ROLE = 0x0100 + 40  # the group's id
TOOLTIP_MEMBERS = 12  # the tooltip names this many members, then "and N more"

Index = QModelIndex | QPersistentModelIndex


class GroupsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.groups: list[Group] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.groups)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.groups):
            return None
        group = self.groups[index.row()]
        if role == DISPLAY_ROLE:
            return preview_line(group.name)
        if role == GROUP_ID_ROLE:
            return group.id
        if role == TOOLTIP_ROLE:
            names = [preview_line(m.full_name) for m in group.members[:TOOLTIP_MEMBERS]]
            more = len(group.members) - len(names)
            text = self.tr("%n members", "", len(group.members)) + ":\n" + "\n".join(names)
            if more > 0:
                text += "\n" + self.tr("and %n more", "", more)
            return plain_tooltip(text)
        return None

    def row_of(self, group_id: int) -> int:
        return next((i for i, g in enumerate(self.groups) if g.id == group_id), -1)

    def set_groups(self, groups: tuple[Group, ...]) -> None:
        """The groups now: removals, insertions and changes, each told as it is."""
        wanted = {g.id: g for g in groups}
        for row in range(len(self.groups) - 1, -1, -1):
            if self.groups[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.groups[row]
                self.endRemoveRows()
        have = {g.id for g in self.groups}
        for row, group in enumerate(groups):  # both newest first: a new one goes in its place
            if group.id not in have:
                self.beginInsertRows(QModelIndex(), row, row)
                self.groups.insert(row, group)
                self.endInsertRows()
        for row, group in enumerate(groups):
            if self.groups[row] != group:
                self.groups[row] = group
                index = self.index(row)
                self.dataChanged.emit(index, index, [DISPLAY_ROLE, TOOLTIP_ROLE])
