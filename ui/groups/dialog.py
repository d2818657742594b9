"""The group dialog: a name, and the people of my environment to take — colleagues and the
current line's users, found as I type — each with a check box. Made for a new group (the
chosen user checked already) or for a group's members (its creator: checked ones stay,
unchecked ones leave, newly checked ones join; a changed name renames the group).
Non-modal (`open()`): it answers with `sig_chosen` and the caller acts; it never blocks a
coroutine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from contract.groups import MAX_MEMBERS, MAX_NAME
from contract.types import AccountKind
from ui.common.roles import DISPLAY_ROLE, TOOLTIP_ROLE
from ui.common.text import isolated, plain_tooltip, preview_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from app.groups.part import Candidate

Index = QModelIndex | QPersistentModelIndex
Key = tuple[AccountKind, int]
CHECK_ROLE = 10  # Qt.ItemDataRole.CheckStateRole
CHECKED, UNCHECKED = 2, 0  # Qt.CheckState values
SEARCH_PAUSE_MS = 150  # the people are looked up once typing rests this long


class PeopleModel(QAbstractListModel):
    """The people shown: those checked first (kept whatever the search), then what the
    search found; a check box each."""

    sig_checked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.people: list[Candidate] = []
        self.checked: dict[Key, Candidate] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def flags(self, index: Index) -> QtCore.Qt.ItemFlag:
        ItemFlag = QtCore.Qt.ItemFlag
        if not index.isValid():
            return ItemFlag.NoItemFlags
        return ItemFlag.ItemIsEnabled | ItemFlag.ItemIsSelectable | ItemFlag.ItemIsUserCheckable

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.people):
            return None
        person = self.people[index.row()]
        if role == DISPLAY_ROLE:
            text = preview_line(person.full_name)
            if person.kind is AccountKind.SPECIALIST:
                return text + " · " + self.tr("colleague")
            return f"{text} · {isolated(person.detail)}" if person.detail else text
        if role == CHECK_ROLE:
            return CHECKED if (person.kind, person.id) in self.checked else UNCHECKED
        if role == TOOLTIP_ROLE:
            return plain_tooltip(isolated(person.full_name))
        return None

    def setData(self, index: Index, value: Any, role: int = CHECK_ROLE) -> bool:
        if role != CHECK_ROLE or not index.isValid():
            return False
        person = self.people[index.row()]
        key = (person.kind, person.id)
        on = value in (CHECKED, QtCore.Qt.CheckState.Checked)
        if on:
            self.checked[key] = person
        else:
            self.checked.pop(key, None)
        self.dataChanged.emit(index, index, [CHECK_ROLE])
        self.sig_checked.emit()
        return True

    def show(self, found: Iterable[Candidate]) -> None:
        """A new search's people (a new query: the one reset), the checked ones first."""
        self.beginResetModel()
        rest = [p for p in found if (p.kind, p.id) not in self.checked]
        self.people = [*self.checked.values(), *rest]
        self.endResetModel()

    def row_of(self, kind: AccountKind, account_id: int) -> int:
        return next(
            (i for i, p in enumerate(self.people) if (p.kind, p.id) == (kind, account_id)), -1
        )


class GroupDialog(QDialog):
    sig_chosen = Signal(str, object)
    """OK: the name (stripped) and the people checked ({(kind, id): Candidate})."""

    def __init__(
        self,
        parent: QWidget,
        find: Callable[[str], None],
        *,
        name: str = "",
        checked: Iterable[Candidate] = (),
        editing: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("groupDialog")
        self.setWindowTitle(self.tr("Group members") if editing else self.tr("New group"))
        self._find = find
        layout = QVBoxLayout(self)
        self.name = QLineEdit(name)
        self.name.setObjectName("groupName")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("Group name"))
        layout.addWidget(self.name)
        self.search = QLineEdit()
        self.search.setObjectName("groupSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find colleagues and users of your lines"))
        layout.addWidget(self.search)
        self.people = PeopleModel(self)
        for person in checked:
            self.people.checked[(person.kind, person.id)] = person
        self.view = QListView()
        self.view.setObjectName("groupPeople")
        self.view.setModel(self.people)
        self.view.setUniformItemSizes(True)
        layout.addWidget(self.view, 1)
        self.count = QLabel()
        self.count.setObjectName("groupCount")
        self.count.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        layout.addWidget(self.count)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(lambda: self._find(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._pause.start())
        self.name.textChanged.connect(lambda _t: self._update())
        self.people.sig_checked.connect(self._update)
        self.resize(420, 520)
        self._update()

    def show_found(self, query: str, found: list[Candidate]) -> None:
        """The people `query` found — unless the search field says something else by now:
        an older query's answer that comes late must not replace the newer one's (the rows
        being checked would change under the specialist's hands)."""
        if query != self.search.text():
            return
        self.people.show(found)
        self._update()

    def _update(self) -> None:
        n = len(self.people.checked) + 1  # and me
        self.count.setText(self.tr("%n members with you", "", n))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()) and n <= MAX_MEMBERS)

    def _accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            return
        self.sig_chosen.emit(name, dict(self.people.checked))
        self.accept()
