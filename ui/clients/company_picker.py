"""The users list's filter by company: a searched choice, since a line of a large client has
thousands of companies. A line edit above a list view: typing narrows the list (name or INN,
е = ё, any case) through the core's prepared keys (app/clients/companies.py `CompanyList`),
never a proxy filter; ↑ ↓ move in the list from the line edit, Enter or a double click
chooses, Esc closes. The model holds positions only and is reset per query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
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

from ui.common.roles import DISPLAY_ROLE, TOOLTIP_ROLE
from ui.common.text import isolated, plain_tooltip, preview_line

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

    from app.clients.companies import CompanyList

COMPANY_ID_ROLE = 0x0100 + 41  # the company's id
Index = QModelIndex | QPersistentModelIndex


class CompaniesModel(QAbstractListModel):
    """The companies a query found, in name order: positions into a `CompanyList`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.companies: CompanyList | None = None
        self._shown: list[int] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        companies = self.companies
        if companies is None or not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        company = companies.items[self._shown[index.row()]]
        if role == DISPLAY_ROLE:
            inns = ", ".join(company.inns)
            return preview_line(company.name) + (f" · {inns}" if inns else "")
        if role == COMPANY_ID_ROLE:
            return company.id
        if role == TOOLTIP_ROLE:
            return plain_tooltip(
                isolated(company.name) + "\n" + self.tr("%n users on the line", "", company.users)
            )
        return None

    def show(self, companies: CompanyList | None, query: str) -> None:
        """The companies matching `query` (a new query: the model is reset)."""
        self.beginResetModel()
        self.companies = companies
        self._shown = companies.matching(query) if companies is not None else []
        self.endResetModel()

    def row_of(self, company_id: int) -> int:
        companies = self.companies
        position = companies.position(company_id) if companies is not None else None
        if position is None:
            return -1
        try:
            return self._shown.index(position)
        except ValueError:
            return -1

    def name_at(self, row: int) -> str:
        assert self.companies is not None
        return self.companies.items[self._shown[row]].name


class CompanyPicker(QDialog):
    """Choose one company of the line; `sig_chosen(company_id, name)` when one is chosen."""

    sig_chosen = Signal(int, str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("companyPicker")
        self.setWindowTitle(self.tr("Filter by company"))
        self.search = QLineEdit()
        self.search.setObjectName("companySearch")
        self.search.setPlaceholderText(self.tr("Company name or INN"))
        self.search.setClearButtonEnabled(True)
        self.model = CompaniesModel(self)
        self.view = QListView()
        self.view.setObjectName("companyList")
        self.view.setUniformItemSizes(True)
        self.view.setModel(self.model)
        self.status = QLabel()
        self.status.setObjectName("companyStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.view)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(420, 480)
        self._preferred = 0  # the company to stand on once the list is here
        self.search.textChanged.connect(self._query)
        self.search.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _index: self._choose())
        self.view.activated.connect(lambda _index: self._choose())
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self._loading()

    def _loading(self) -> None:
        self.model.show(None, "")
        self.status.setText(self.tr("Loading companies…"))
        self.ok.setEnabled(False)

    def start(self, preferred: int = 0) -> None:
        """Shown afresh for a line whose companies are on their way (`set_companies`)."""
        self._preferred = preferred
        self.search.clear()
        self._loading()
        self.open()
        self.search.setFocus()

    def set_companies(self, companies: CompanyList) -> None:
        self.model.show(companies, self.search.text())
        self._after_query()
        row = self.model.row_of(self._preferred) if self._preferred else -1
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
            self.view.scrollTo(self.model.index(row))

    def _query(self, text: str) -> None:
        if self.model.companies is None:
            return  # still loading: shown with what is typed by then
        self.model.show(self.model.companies, text)
        self._after_query()

    def _after_query(self) -> None:
        n = self.model.rowCount()
        self.status.setText(
            self.tr("%n companies", "", n) if n else self.tr("No company has that name or INN")
        )
        if n:
            self.view.setCurrentIndex(self.model.index(0))
        self.ok.setEnabled(n > 0)

    def _choose(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        self.sig_chosen.emit(int(index.data(COMPANY_ID_ROLE)), self.model.name_at(index.row()))
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑ ↓ Page Up/Down in the line edit move in the list; Enter chooses."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            key = key_event.key()
            step = _STEPS.get(key)
            n = self.model.rowCount()
            if step is not None and n:
                row = min(max(self.view.currentIndex().row() + step, 0), n - 1)
                self.view.setCurrentIndex(self.model.index(row))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
        return super().eventFilter(watched, event)


_STEPS: dict[int, int] = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -10,
    Qt.Key.Key_PageDown: 10,
}
