"""The users list's filter beside the search field: a button with the options (each a tick;
ticked ones must all hold), one company (chosen in a searched list, ui/clients/company_picker.py:
a line may have thousands; the chosen user's company is where it opens), and a note under the
search that says the filter in force — one click on it clears it.

The filtering itself is the core's, over the prepared index (app/clients/userfilter.py,
`CurrentLine.set_filter`); the filter is kept per line in the settings. Built after the first
paint (`complete`): the pane's constructor makes only the two light widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QToolButton, QWidget

    from app.clients.companies import CompanyList
    from app.clients.userfilter import Only, UserFilter
    from app.core import changes as ch
    from ui.clients.company_picker import CompanyPicker
    from ui.clients.note import NoteButton
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk


def filter_widgets(text: str) -> tuple[QToolButton, NoteButton]:
    """The filter's button (titled `text`) and its note (wrapped: a company's long name never
    widens the pane), hidden until a filter is set: light widgets for the pane's first frame."""
    from PySide6.QtWidgets import QToolButton

    from ui.clients.note import NoteButton

    button = QToolButton()
    button.setObjectName("userFilter")
    button.setText(text)
    button.setCheckable(True)
    note = NoteButton()
    note.setObjectName("userFilterNote")
    note.hide()
    return button, note


def _plain(text: str) -> str:
    """A name as a button's or a menu's text shows it (no "&" taken for a shortcut)."""
    return text.replace("&", "&&")


class UserFilterControls(QObject):
    """The filter button's menu and the note; the filter shown is always the current
    line's (`Workplace.users.filter`)."""

    menu: QMenu
    _company: QAction
    _clear: QAction

    def __init__(self, button: QToolButton, note: NoteButton, parent: QWidget) -> None:
        super().__init__(parent)
        self.button, self.note = button, note
        self._options: dict[Only, QAction] = {}
        self.picker: CompanyPicker | None = None

    def complete(self, desk: Desk) -> None:
        from PySide6.QtWidgets import QMenu, QStyle, QToolButton

        from app.clients.userfilter import Only

        self._desk = desk
        self.menu = QMenu(self.button)
        self.menu.setObjectName("userFilterMenu")
        texts = {
            Only.MINE: self.tr("Ticket open on me"),
            Only.UNREAD: self.tr("Unread"),
            Only.WAITING: self.tr("Waiting for an answer"),
            Only.WAITING_ME: self.tr("Waiting for me"),
            Only.ONLINE: self.tr("Online"),
            Only.BIRTHDAY: self.tr("Birthday today"),
            Only.FAVOURITES: self.tr("Favourites"),
        }
        for option, text in texts.items():
            action = self.menu.addAction(text)
            action.setCheckable(True)
            action.setObjectName(f"filter_{option.value}")
            action.triggered.connect(lambda _checked=False, o=option: self._toggle(o))
            self._options[option] = action
        self.menu.addSeparator()
        self._company = self.menu.addAction("")
        self._company.setCheckable(True)
        self._company.setObjectName("filter_company")
        self._company.triggered.connect(self._toggle_company)
        self.menu.addSeparator()
        self._clear = self.menu.addAction(self.tr("Clear the filter"), self.clear)
        self._clear.setObjectName("filter_clear")
        self.menu.aboutToShow.connect(self.refresh)
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Qt's styles draw an instant popup's arrow inside the text's room, over its end
        # ("Фильтр" read "Фильт▾"): the button gets the arrow's width beside its text
        arrow = self.button.style().pixelMetric(
            QStyle.PixelMetric.PM_MenuButtonIndicator, None, self.button
        )
        self.button.setMinimumWidth(self.button.sizeHint().width() + arrow)
        self.note.clicked.connect(self.clear)
        desk.sig_user_opened.connect(lambda _user_id: self.refresh())

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UsersReset, self._on_users_reset)

    # -- what the specialist does -------------------------------------------------------------
    def _current(self) -> UserFilter:
        from app.clients.userfilter import UserFilter

        workplace = self._desk.workplace
        return workplace.users.filter if workplace is not None else UserFilter()

    def _apply(self, f: UserFilter) -> None:
        from app.clients.current_line import FILTER_USERS

        workplace = self._desk.workplace
        if workplace is not None:
            self._desk.spawn(workplace.act(FILTER_USERS, f))

    def _toggle(self, option: Only) -> None:
        self._apply(self._current().toggled(option))

    def _toggle_company(self) -> None:
        f = self._current()
        if f.company_id:
            self._apply(f.with_company(0, ""))
            return
        workplace, line_id = self._desk.workplace, self._line_id()
        if workplace is None or line_id is None:
            return
        from app.clients.companies import COMPANIES
        from ui.clients.company_picker import CompanyPicker

        if self.picker is None:
            self.picker = CompanyPicker(self.button.window())
            self.picker.sig_chosen.connect(self._company_chosen)
        picker = self.picker
        row = self._desk.row(self._desk.user_id) if self._desk.user_id is not None else None
        picker.start(row.company.id if row is not None and row.company is not None else 0)

        async def fetch() -> None:
            found: CompanyList | None = await workplace.act(COMPANIES, line_id)
            if found is not None and picker.isVisible() and self._line_id() == line_id:
                picker.set_companies(found)

        self._desk.spawn(fetch())

    def _line_id(self) -> int | None:
        workplace = self._desk.workplace
        return (workplace.users.line_id or None) if workplace is not None else None

    def _company_chosen(self, company_id: int, name: str) -> None:
        self._apply(self._current().with_company(company_id, name))

    def clear(self) -> None:
        from app.clients.userfilter import UserFilter

        self._apply(UserFilter())

    # -- what is shown ----------------------------------------------------------------------
    def _on_users_reset(self, _change: ch.UsersReset) -> None:
        self.refresh()

    def refresh(self) -> None:
        """The ticks, the company's entry, the button and the note as the filter is now."""
        if not self._options:
            return
        from ui.common.text import plain_tooltip, preview_line  # after the first paint

        f = self._current()
        for option, action in self._options.items():
            action.setChecked(option in f.only)
        if f.company_id:
            company = _plain(preview_line(f.company_name))
            self._company.setText(self.tr("Company: %1").replace("%1", company))
            self._company.setChecked(True)
            self._company.setEnabled(True)
        else:
            self._company.setChecked(False)
            self._company.setEnabled(self._line_id() is not None)
            self._company.setText(self.tr("Company…"))
        self._clear.setEnabled(bool(f))
        names = [a.text() for o, a in self._options.items() if o in f.only]
        if f.company_id:
            names.append(preview_line(f.company_name))
        shown = ", ".join(names)
        self.button.setChecked(bool(f))
        self.button.setToolTip(
            plain_tooltip(self.tr("Filter: %1").replace("%1", shown))  # the company isolated
            if f
            else self.tr("Filter the list")
        )
        self.note.setText(self.tr("Filter: %1 ✕").replace("%1", shown))  # plain: "&" as is
        self.note.setToolTip(self.tr("Clear the filter"))
        self.note.setVisible(bool(f))
