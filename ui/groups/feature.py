"""Groups in the window: the Group command (function bar and the users list's context menu:
a new group with the open user; in a group's chat, its members), the groups section under
the line's search, and a group's chat opened in the chat pane like any chat."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QLabel, QListView, QMainWindow

    from app.core import changes as ch
    from app.groups.part import Candidate
    from contract.groups import Group
    from ui.groups.dialog import GroupDialog, Key
    from ui.groups.model import GroupsModel
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core

log = logging.getLogger("linedesk.ui.groups")
SECTION_ROWS = 4  # the section shows this many groups, then scrolls


class GroupsFeature(QObject):
    sig_group_opened = Signal(int)
    """A group's chat was opened (its id): no user is open meanwhile."""

    _desk: Desk
    _command: Command
    model: GroupsModel
    view: QListView
    title: QLabel

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window: Any = window
        self._core: Any = None
        self.open_group_id: int | None = None
        self.dialog: GroupDialog | None = None

    def complete(self, desk: Desk) -> None:
        from PySide6.QtWidgets import QLabel, QListView

        from ui.groups.model import GroupsModel

        self._desk = desk
        self._command = desk.actions[MainAction.GROUP]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)
        desk.sig_open_group.connect(self.open_group)  # the info panel's shared groups
        users = self._window.users
        self.title = QLabel(self.tr("Groups"))
        self.title.setObjectName("groupsTitle")
        self.model = GroupsModel(self)
        self.view = QListView()
        self.view.setObjectName("groupsList")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.clicked.connect(self._chosen)
        self.view.activated.connect(self._chosen)
        layout = users.layout()
        at = layout.indexOf(users.users_view)
        layout.insertWidget(at, self.title)
        layout.insertWidget(at + 1, self.view)
        self._show_section()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.GroupsChanged, self._on_groups)
        bridge.handle(ch.LinesLoaded, lambda _change: self._load())

    def attach(self, workplace: Core) -> None:
        self._core = workplace

    # -- the command ------------------------------------------------------------------------

    @add_action(
        MainAction.GROUP,
        text=QT_TRANSLATE_NOOP("Actions", "Group"),
        tip=QT_TRANSLATE_NOOP(
            "Actions",
            "A group chat with this user and others: your colleagues, users of your lines"
            " (in a group's chat: its members)",
        ),
        enabled=False,
        bar=True,
        user=True,
    )
    def group(self) -> None:
        group = self._open_group()
        if group is not None:
            self._edit(group)
        elif self._desk.user_id is not None:
            self._new(self._desk.user_id)

    def _user_opened(self, _user_id: int) -> None:
        self.open_group_id = None
        self.view.clearSelection()
        self._command.set_applies(True)
        self._command.setEnabled(True)

    def _new(self, user_id: int) -> None:
        from app.groups.part import Candidate
        from contract.types import AccountKind

        row = self._desk.row(user_id)
        first = [] if row is None else [Candidate(AccountKind.CLIENT, row.id, row.full_name, "")]
        self._show_dialog("", first, editing=None)

    def _edit(self, group: Group) -> None:
        from app.groups.part import Candidate

        me = self._core.me if self._core is not None else None
        if me is None or group.creator_id != me.id:
            from app.core.problems import ProblemCode
            from ui.common.problem_texts import problem_text

            self._window.chat.banner.show_problem(problem_text(ProblemCode.NOT_GROUP_CREATOR))
            return
        others = [
            Candidate(m.kind, m.id, m.full_name, "")
            for m in group.members
            if not (m.kind == "specialist" and m.id == me.id)
        ]
        self._show_dialog(group.name, others, editing=group)

    def _show_dialog(self, name: str, checked: list[Candidate], editing: Group | None) -> None:
        from ui.groups.dialog import GroupDialog

        if self.dialog is not None:
            self.dialog.close()
        dialog = GroupDialog(
            self._window, self._find, name=name, checked=checked, editing=editing is not None
        )
        self.dialog = dialog
        dialog.sig_chosen.connect(
            lambda chosen_name, chosen: self._desk.spawn(
                self._chosen_people(editing, chosen_name, chosen)
            )
        )
        dialog.open()
        self._find("")

    def _find(self, query: str) -> None:
        from app.groups.part import CANDIDATES

        dialog, core = self.dialog, self._core
        if core is None or dialog is None:
            return

        async def find() -> None:
            found = await core.act(CANDIDATES, query)
            if dialog is self.dialog and found is not None:
                dialog.show_found(query, found)

        self._desk.spawn(find())

    async def _chosen_people(
        self, editing: Group | None, name: str, chosen: dict[Key, Candidate]
    ) -> None:
        from app.groups.part import ADD, CREATE, REMOVE, RENAME
        from contract.types import AccountKind

        core = self._core
        if core is None:
            return
        users = [i for (kind, i) in chosen if kind is AccountKind.CLIENT]
        colleagues = [i for (kind, i) in chosen if kind is AccountKind.SPECIALIST]
        if editing is None:
            made = await core.act(CREATE, core.current_line_id, name, users, colleagues)
            if made is not None:
                self.open_group(made.id)
            return
        if name != editing.name:
            await core.act(RENAME, editing.id, name)
        me = core.me.id if core.me is not None else 0
        had = {(m.kind, m.id) for m in editing.members} - {(AccountKind.SPECIALIST, me)}
        new = set(chosen) - had
        if new:
            added_users = [i for (kind, i) in new if kind is AccountKind.CLIENT]
            added = [i for (kind, i) in new if kind is AccountKind.SPECIALIST]
            await core.act(ADD, editing.id, added_users, added)
        for kind, account_id in sorted(had - set(chosen)):
            await core.act(REMOVE, editing.id, kind, account_id)

    # -- the section and the open group -------------------------------------------------------

    def _load(self) -> None:
        from app.groups.part import LOAD

        if self._core is not None:
            self._desk.spawn(self._core.act(LOAD))

    def _on_groups(self, change: ch.GroupsChanged) -> None:
        self.model.set_groups(change.groups)
        self._show_section()
        if self.open_group_id is None:
            return
        group = self._open_group()
        if group is None:  # I left it (or was removed): its chat closes
            self.open_group_id = None
            self._window.chat.close_chat()
        else:
            self._window.chat.bar.show_title(group.name, self._members_line(group))

    def _show_section(self) -> None:
        shown = self.model.rowCount() > 0
        self.title.setVisible(shown)
        self.view.setVisible(shown)
        rows = min(self.model.rowCount(), SECTION_ROWS)
        row_height = max(self.view.sizeHintForRow(0), self.view.fontMetrics().height() + 4)
        self.view.setFixedHeight(rows * row_height + 2 * self.view.frameWidth() + 2)

    def _open_group(self) -> Group | None:
        if self.open_group_id is None:
            return None
        row = self.model.row_of(self.open_group_id)
        return None if row < 0 else self.model.groups[row]

    def _chosen(self, index: QModelIndex) -> None:
        from ui.groups.model import GROUP_ID_ROLE

        group_id = index.data(GROUP_ID_ROLE)
        if isinstance(group_id, int) and group_id != self.open_group_id:
            self.open_group(group_id)

    def _members_line(self, group: Group) -> str:
        from ui.common.text import preview_line

        names = ", ".join(preview_line(m.full_name) for m in group.members[:5])
        more = len(group.members) - 5
        count = self.tr("%n members", "", len(group.members))
        tail = " " + self.tr("and %n more", "", more) if more > 0 else ""
        return f"{count}: {names}{tail}"

    def open_group(self, group_id: int) -> None:
        """Its chat in the chat pane (the users list's choice is let go)."""
        from app.groups.part import OPEN

        row = self.model.row_of(group_id)
        if row < 0 or self._core is None:
            return
        group = self.model.groups[row]
        self.open_group_id = group_id
        self.view.setCurrentIndex(self.model.index(row))
        self._window.users.users_view.selectionModel().clear()
        core = self._core
        self._window.chat.open_chat_of(
            group.chat_id, group.name, self._members_line(group), lambda: core.act(OPEN, group_id)
        )
        self._desk.user_commands_off(keep=self._command)  # no user is open: theirs wait
        self._window.side.info_panel.show_row(None)
        self._command.set_applies(True)
        self._command.setEnabled(True)
        self.sig_group_opened.emit(group_id)
