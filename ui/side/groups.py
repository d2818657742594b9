"""The info panel's Shared groups: the group chats the user and I are both in (the groups
core's `SHARED` intent: GET /users/{id}/shared-groups), "No shared groups" when there are
none; a click opens the group's chat (as the groups list's own click: `Desk.sig_open_group`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from app.groups.part import SHARED
from contract.groups import GroupRef
from ui.common.text import isolated
from ui.side.listmodel import ROW, FittedList, Look, RowsModel, someone_elses
from ui.side.section import Section, SectionHost, info_section, plain_label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.domain import UserCard


@info_section
class GroupsSection(Section):
    key = "groups"
    order = 40

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.groups = RowsModel[GroupRef](self._look, self)
        self.view = FittedList("infoGroups")
        self.view.setModel(self.groups)
        self.view.clicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.body.addWidget(self.view)
        self.empty = plain_label("infoGroupsEmpty")
        self.empty.setText(self.tr("No shared groups"))
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.body.addWidget(self.empty)
        self.clear()

    def title(self) -> str:
        return self.tr("Shared groups")

    def _look(self, group: GroupRef) -> Look:
        members = self.tr("members: %1").replace("%1", str(group.member_count))
        return Look(f"{someone_elses(group.name)} · {members}", isolated(group.name))

    def show_card(self, card: UserCard) -> None:
        self.ask(SHARED, card.row.id, done=self._shown)

    def _shown(self, found: list[GroupRef] | None) -> None:
        rows = found or []
        self.groups.set_rows(rows)
        self.view.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        group = index.data(ROW)
        desk = self.host.desk
        if isinstance(group, GroupRef) and desk is not None:
            desk.sig_open_group.emit(group.id)

    def clear(self) -> None:
        self.forget()
        self._shown([])
