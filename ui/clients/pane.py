"""The users pane (left): the line dropdown, the search, the users list with its context menu,
the empty/loading label, and when the photos of rows scrolled past stop loading.

Part of the window's first frame: the constructor builds light widgets only — no model, no
delegate, no Qt enums (reached through `QtCore.`, built on first use after the first paint;
tests/window/test_first_frame.py) — and `complete(desk)` builds and wires the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ui.clients.note import NoteButton
from ui.clients.user_filter import UserFilterControls, filter_widgets
from ui.clients.user_menu import UserCommands
from ui.common.roles import TOOLTIP_ROLE, USER_ID_ROLE
from ui.favourites.commands import FavouriteCommands
from ui.mainwindow import startup_trace
from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint
    from PySide6.QtWidgets import QMenu

    from app.core import changes as ch
    from app.core.domain import Line, Me, UserRow
    from ui.clients.users_delegate import UsersDelegate
    from ui.clients.users_model import UsersModel
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core, Users

log = logging.getLogger("linedesk.ui.users")

UNREAD_SCAN_ROWS = 2000  # Alt+Shift+Down looks this far down the list for unread chats
PHOTOS_SETTLE_MS = 150  # the users list rests this long: photos of rows scrolled past stop


class _CurrentRows:
    """The users model's row source: always the Workplace's current list."""

    def __init__(self, workplace: Core) -> None:
        self._workplace = workplace

    def row(self, user_id: int) -> UserRow:
        return self._workplace.users.row(user_id)


class UsersPane(QWidget):
    sig_user_activated = Signal()
    """Enter (or a double click) on a row: the specialist wants to write to that user."""

    users_model: UsersModel
    users_delegate: UsersDelegate
    user_menu: QMenu
    _desk: Desk

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leftPane")
        lv = QVBoxLayout(self)
        lv.setContentsMargins(8, 8, 4, 8)
        lv.setSpacing(6)
        self.line_combo = QComboBox()
        self.line_combo.setObjectName("lineCombo")
        self.line_combo.setToolTip(self.tr("Support line"))
        lv.addWidget(self.line_combo)
        self.search = QLineEdit()
        self.search.setObjectName("userSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search: name, login, e-mail, company, INN"))
        self.search_row = QHBoxLayout()
        self.search_row.setSpacing(4)
        self.search_row.addWidget(self.search, 1)
        # the filter beside the search (ui/clients/user_filter.py), and what it is when set
        self.filter_button, self.filter_note = filter_widgets(self.tr("Filter"))
        self.search_row.addWidget(self.filter_button)
        lv.addLayout(self.search_row)
        lv.addWidget(self.filter_note)
        # a streaming line: what the list leaves out, one click from the setting (wrapped)
        self.streaming_note = NoteButton()
        self.streaming_note.setObjectName("streamingNote")
        self.streaming_note.hide()
        lv.addWidget(self.streaming_note)
        from ui.common.rows_view import RowsView

        self.users_view: QListView = RowsView()  # a changed row repaints that row only
        self.users_view.setObjectName("usersList")
        lv.addWidget(self.users_view, 1)
        self.users_empty = QLabel()
        self.users_empty.setObjectName("usersEmpty")
        self.users_empty.setWordWrap(True)
        self.users_empty.hide()
        lv.addWidget(self.users_empty)

    def complete(self, desk: Desk) -> None:
        """The model, its delegate, the context menu, the commands and the photos' policy."""
        from PySide6.QtWidgets import QAbstractItemView

        from ui.clients.users_delegate import UsersDelegate
        from ui.clients.users_model import UsersModel

        Qt = QtCore.Qt
        self._desk = desk
        self.users_model = UsersModel(None, self)
        view = self.users_view
        view.setModel(self.users_model)
        view.setUniformItemSizes(True)
        # lay 100 000 rows out in batches after the first paint, not all before it
        # (QListView asks the model once per row: ~150 ms a reset otherwise)
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(2000)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setMouseTracking(True)
        self.users_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.line_combo.activated.connect(self._line_chosen)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.focus_users)
        self.search.installEventFilter(self)
        desk.avatars.sig_avatar_ready.connect(self._on_avatar_ready)
        self.users_delegate = UsersDelegate(view, desk.avatars)
        view.setItemDelegate(self.users_delegate)
        view.selectionModel().currentChanged.connect(self._current_user_changed)
        view.activated.connect(self.sig_user_activated)
        self.users_model.modelReset.connect(self._users_reset_done)
        # photos of rows scrolled past stop loading once the list rests (ui/clients/avatars.py)
        self._photos_settle = QtCore.QTimer(self)
        self._photos_settle.setSingleShot(True)
        self._photos_settle.setInterval(PHOTOS_SETTLE_MS)
        self._photos_settle.timeout.connect(self._drop_unseen_photos)
        view.verticalScrollBar().valueChanged.connect(self._photos_settle.start)
        self.users_model.modelReset.connect(self._photos_settle.start)
        # right-click on a user: the commands for that user (ui/clients/user_menu.py)
        self.favourites = FavouriteCommands(self)
        self.favourites.complete(desk)
        self.commands = UserCommands(self)
        self.commands.complete(desk)
        self.user_menu = self.commands.menu
        self.filter = UserFilterControls(self.filter_button, self.filter_note, self)
        self.filter.complete(desk)
        self.streaming_note.clicked.connect(self._streaming_setting)
        self._loading_line: int | None = None
        self._scroll_before_search: int | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._user_menu_at)
        desk.actions.bind(self)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.SignedIn, self._on_signed_in)
        bridge.handle(ch.MeChanged, lambda change: self._show_me(change.me))
        bridge.handle(ch.LinesLoaded, self._on_lines_loaded)
        bridge.handle(ch.UsersReset, self._on_users_reset)
        bridge.handle(ch.UsersComplete, lambda _change: self._show_empty())
        bridge.handle(ch.UserChanged, self._on_user_changed)
        bridge.handle(ch.UserMoved, self._on_user_moved)
        bridge.handle(ch.UserInserted, self._on_user_inserted)
        self.commands.listen(bridge)
        self.favourites.listen(bridge)
        self.filter.listen(bridge)

    def attach(self, workplace: Core) -> None:
        """Show `workplace`'s lines and users as they are now."""
        self.users_model.set_source(_CurrentRows(workplace))
        self.users_delegate.favourites = lambda: workplace.users.favourites
        if workplace.me is not None:
            self._show_me(workplace.me)
        if workplace.lines:
            self._show_lines(workplace.lines, workplace.current_line_id)
        users: Users = workplace.users
        if list(users.ids):
            self.users_model.reset(users.ids)
        else:
            self._loading_line = workplace.current_line_id or 0
            self._show_empty()

    # ------------------------------------------------------------- intents
    def _line_chosen(self, index: int) -> None:
        line_id = self.line_combo.itemData(index)
        workplace = self._desk.workplace
        if workplace is not None and line_id is not None:
            if self.search.text():
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
            self._loading_line = int(line_id)
            self._scroll_before_search = None
            if workplace.users.line_id != int(line_id):  # not the last line's users meanwhile
                self.users_model.reset(())
            self._desk.spawn(workplace.select_line(int(line_id)))

    def _search_changed(self, text: str) -> None:
        if self._desk.workplace is not None:
            query = text.strip()
            if query and self._scroll_before_search is None:  # × brings the list back here
                self._scroll_before_search = self.users_view.verticalScrollBar().value()
            self._desk.workplace.search(query)

    def _current_user_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        user_id = current.data(USER_ID_ROLE) if current.isValid() else None
        if not isinstance(user_id, int) or user_id == self._desk.user_id:
            return
        self._desk.open_user(user_id)

    def _user_menu_at(self, pos: QPoint) -> None:
        index = self.users_view.indexAt(pos)
        if not index.isValid() or self.user_menu.isEmpty():
            return
        if index != self.users_view.currentIndex():  # (a right press chose it already)
            self.users_view.setCurrentIndex(index)
        self.user_menu.popup(self.users_view.viewport().mapToGlobal(pos))

    @add_action(
        MainAction.FIND_USERS,
        text=QT_TRANSLATE_NOOP("Actions", "Find users"),
        tip=QT_TRANSLATE_NOOP("Actions", "Search the line's users"),
        standard_key="Find",
    )
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @add_action(
        MainAction.CHOOSE_LINE,
        text=QT_TRANSLATE_NOOP("Actions", "Choose the line"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+L"),
    )
    def focus_line(self) -> None:
        self.line_combo.setFocus()

    # from anywhere, the composer included: the next / previous user, the next unread
    @add_action(
        MainAction.NEXT_USER,
        text=QT_TRANSLATE_NOOP("Actions", "Next user"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Alt+Down"),
    )
    def next_user(self) -> None:
        self._step_user(1)

    @add_action(
        MainAction.PREVIOUS_USER,
        text=QT_TRANSLATE_NOOP("Actions", "Previous user"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Alt+Up"),
    )
    def previous_user(self) -> None:
        self._step_user(-1)

    def _step_user(self, delta: int) -> None:
        count = self.users_model.rowCount()
        if count == 0:
            return
        current = self.users_view.currentIndex()
        row = min(max((current.row() if current.isValid() else -1) + delta, 0), count - 1)
        if not current.isValid() or row != current.row():
            index = self.users_model.index(row, 0)
            self.users_view.setCurrentIndex(index)
            self.users_view.scrollTo(index)

    @add_action(
        MainAction.NEXT_UNREAD,
        text=QT_TRANSLATE_NOOP("Actions", "Next unread chat"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Alt+Shift+Down"),
    )
    def next_unread(self) -> None:
        """The topmost chat with unread messages other than the open one (rows held only:
        the unread ones are at the top, lifted by their messages)."""
        if self._desk.workplace is None:
            return
        held = self._desk.workplace.users.get  # never asks for a row (a scan must not fetch 2 000)
        for row in range(min(self.users_model.rowCount(), UNREAD_SCAN_ROWS)):
            index = self.users_model.index(row, 0)
            user_id = self.users_model.user_id_at(row)
            user = held(user_id) if user_id is not None else None
            if user is not None and user.unread and user.id != self._desk.user_id:
                self.users_view.setCurrentIndex(index)
                self.users_view.scrollTo(index)
                return

    def in_use(self) -> bool:
        """The specialist is searching or going through the list (a chat that opens meanwhile
        leaves the focus here)."""
        return self.search.hasFocus() or self.users_view.hasFocus()

    def focus_users(self) -> None:
        self.users_view.setFocus()
        if not self.users_view.currentIndex().isValid() and self.users_model.rowCount() > 0:
            self.users_view.setCurrentIndex(self.users_model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QtCore.QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]  # a QKeyEvent (KeyPress)
            if key == QtCore.Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key == QtCore.Qt.Key.Key_Down:
                self.focus_users()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------- changes
    def _on_signed_in(self, change: ch.SignedIn) -> None:
        self._show_me(change.me)

    def _show_me(self, me: Me) -> None:
        self.users_delegate.my_id = me.id
        self._desk.avatars.forget_failures()
        self.users_model.refresh_all()

    def _on_lines_loaded(self, change: ch.LinesLoaded) -> None:
        self._show_lines(change.lines, change.current_line_id)
        if self.users_model.rowCount() == 0 and change.current_line_id is not None:
            self._loading_line = change.current_line_id
            self._show_empty()

    def _show_lines(self, lines: tuple[Line, ...], current_line_id: int | None) -> None:
        from ui.common.text import one_line  # after the first paint

        self.line_combo.blockSignals(True)
        self.line_combo.clear()
        for line in lines:
            self.line_combo.addItem(one_line(line.name), line.id)
            self.line_combo.setItemData(
                self.line_combo.count() - 1,
                self.tr("%n users", "", line.user_count),
                TOOLTIP_ROLE,
            )
        if current_line_id is not None:
            pos = self.line_combo.findData(current_line_id)
            if pos >= 0:
                self.line_combo.setCurrentIndex(pos)
        self.line_combo.blockSignals(False)

    def _on_users_reset(self, change: ch.UsersReset) -> None:
        pos = self.line_combo.findData(change.line_id)
        if pos >= 0 and pos != self.line_combo.currentIndex():
            self.line_combo.blockSignals(True)
            self.line_combo.setCurrentIndex(pos)
            self.line_combo.blockSignals(False)
        if self._loading_line in (change.line_id, 0):
            self._loading_line = None
        workplace = self._desk.workplace
        self.users_delegate.terms = workplace.users.terms if workplace is not None else ()
        self.users_model.reset(change.ids)
        if not change.query and self._scroll_before_search is not None:
            at, self._scroll_before_search = self._scroll_before_search, None
            self.users_view.doItemsLayout()  # (batched layout: the rows first, then the place)
            self.users_view.verticalScrollBar().setValue(at)

    def _show_empty(self) -> None:
        """The label under an empty list: loading, nobody found, or nobody on the line; and
        the streaming note (what a streaming line leaves out)."""
        workplace = self._desk.workplace
        users = workplace.users if workplace is not None else None
        empty = self.users_model.rowCount() == 0
        loading = self._loading_line is not None or (
            users is not None and users.streaming and not users.complete
        )
        if empty:
            if loading:
                text = self.tr("Loading users…")
            elif self.search.text().strip():
                text = self.tr("Nobody found")
            elif users is not None and users.filter:
                text = self.tr("Nobody matches the filter")
            else:
                text = self.tr("No users on this line")
            self.users_empty.setText(text)
        self.users_empty.setVisible(empty and workplace is not None)
        hidden = users.hidden if users is not None else 0
        if hidden:
            self.streaming_note.setText(
                self.tr(
                    "Streaming mode: %n users with no messages for %1 days are not shown. Change…",
                    "",
                    hidden,
                ).replace("%1", str(users.active_days if users is not None else 0))
            )
        self.streaming_note.setVisible(bool(hidden))

    def _streaming_setting(self) -> None:
        """The streaming note's click: the Settings, at the relevance window."""
        if MainAction.SETTINGS in self._desk.actions:
            self._desk.actions[MainAction.SETTINGS].trigger()

    def _users_reset_done(self) -> None:
        empty = self.users_model.rowCount() == 0
        self._show_empty()
        if not empty:
            QtCore.QTimer.singleShot(0, lambda: startup_trace.mark("DATA"))  # after the paint
        if self._desk.user_id is not None:
            pos = self.users_model.position(self._desk.user_id)
            if pos >= 0:
                self.users_view.setCurrentIndex(self.users_model.index(pos, 0))

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        self.users_model.changed(change.row.id)

    def _on_user_moved(self, change: ch.UserMoved) -> None:
        self.users_model.move(change.user_id, change.old_pos, change.new_pos)

    def _on_user_inserted(self, change: ch.UserInserted) -> None:
        self.users_model.insert(change.user_id, change.pos)
        self._show_empty()

    # ------------------------------------------------------------- photos
    def rows_on_screen(self) -> range:
        """The users list's rows the viewport shows now (empty when none)."""
        view = self.users_view
        count = self.users_model.rowCount()
        if count == 0:
            return range(0)
        area = view.viewport().rect()
        top = view.indexAt(area.topLeft())
        bottom = view.indexAt(area.bottomLeft())
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else count - 1
        return range(first, last + 1)

    def _drop_unseen_photos(self) -> None:
        shown = {self.users_model.user_id_at(row) for row in self.rows_on_screen()}
        if self._desk.user_id is not None:
            shown.add(self._desk.user_id)  # the info panel's photo
        dropped = self._desk.avatars.keep_only({i for i in shown if i is not None})
        if dropped:
            log.debug("photos: %d fetches for rows scrolled past stopped", dropped)

    def _on_avatar_ready(self, url: str, user_ids: list[int]) -> None:
        """A photo arrived (or failed): repaint only the rows that asked for it."""
        for user_id in user_ids:
            self.users_model.changed(user_id)
