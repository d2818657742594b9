"""The specialist's main window: lines and users (left), chat (middle), info panel (right)."""

from __future__ import annotations

import logging
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

# Only what the first frame needs is imported by name. Everything else is reached through its
# module (QtCore.Qt, QtCore.QEvent, QtGui.QKeySequence…), which PySide builds on first use,
# after the first paint: the `Qt` namespace alone is ~90 enums, 11 ms (docs/benchmarks.md).
from PySide6 import QtCore, QtGui
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.chat.composer import MAX_CHARS, Composer
from ui.common.roles import TOOLTIP_ROLE, USER_ID_ROLE
from ui.mainwindow import startup_trace

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtCore import QEvent, QModelIndex
    from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent

    from app.core import changes as ch
    from app.core.domain import Status, UserRow
    from ui.mainwindow.state import WindowState

log = logging.getLogger("linedesk.ui.window")

ACTIVITY_THROTTLE_S = 5.0
USERS_WIDTH, INFO_WIDTH = 360, 290  # px: the panes' widths until the specialist moves them
PANE_MIN, PANE_MAX = 200, 1200  # px: a kept width outside these is not trusted
UNREAD_SCAN_ROWS = 2000  # Alt+Shift+Down looks this far down the list for unread chats
PHOTOS_SETTLE_MS = 150  # the users list rests this long: photos of rows scrolled past stop


class _WorkplaceRows:
    """The users model's row source: always the Workplace's current list."""

    def __init__(self, workplace: Any) -> None:
        self._workplace = workplace

    def row(self, user_id: int) -> UserRow:
        row: UserRow = self._workplace.users.row(user_id)
        return row


class _ActivityFilter(QObject):
    """Keyboard and mouse seen anywhere in the app → Workplace.activity() (throttled)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        types = QtCore.QEvent.Type
        if kind in (types.KeyPress, types.MouseButtonPress, types.MouseMove, types.Wheel):
            now = time.monotonic()
            if now - self._last >= ACTIVITY_THROTTLE_S:
                self._last = now
                self._window.report_activity()
        return False


class MainWindow(QMainWindow):
    sig_quit_requested = Signal()
    """The specialist closed the window or chose Quit."""

    def __init__(self, parent: QWidget | None = None, *, first_frame_only: bool = False) -> None:
        """`first_frame_only`: build the window's skeleton (panes, line dropdown, search, empty
        list, composer) to paint it at once; `complete()` builds the rest right after the
        first paint (ui.main does). By default the window is built whole."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("LineDesk")
        self.workplace: Any = None
        self._seen: bool | None = None  # what the Workplace was told (ui: _report_seen)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._selected_user: int | None = None
        self._me_id: int | None = None
        self._status: Status | None = None
        self._completed = False
        self._build_first_frame()
        if not first_frame_only:
            self.complete()

    # ------------------------------------------------------------------ build
    def _build_first_frame(self) -> None:
        """What the first paint shows: light widgets only — no model, no delegates, no Qt
        enums (see the imports); `complete()` fills in the rest one frame later."""
        splitter = QSplitter()  # horizontal
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        # left: line, search, users
        left = QWidget()
        left.setObjectName("leftPane")
        lv = QVBoxLayout(left)
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
        lv.addWidget(self.search)
        self.users_view = QListView()
        self.users_view.setObjectName("usersList")
        lv.addWidget(self.users_view, 1)
        self.users_empty = QLabel()
        self.users_empty.setObjectName("usersEmpty")
        self.users_empty.setWordWrap(True)
        self.users_empty.hide()
        lv.addWidget(self.users_empty)
        splitter.addWidget(left)

        # middle: function bar, (banner), chat, composer
        middle = QWidget()
        middle.setObjectName("chatPane")
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(4, 8, 4, 8)
        mv.setSpacing(6)
        self._chat_pane = mv
        bar = QFrame()
        bar.setObjectName("functionBar")
        bv = QHBoxLayout(bar)
        bv.setContentsMargins(6, 0, 0, 0)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.chat_title = QLabel()
        self.chat_title.setObjectName("chatTitle")
        font = self.chat_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.chat_title.setFont(font)
        self.chat_subtitle = QLabel()
        self.chat_subtitle.setObjectName("chatSubtitle")
        titles.addWidget(self.chat_title)
        titles.addWidget(self.chat_subtitle)
        bv.addLayout(titles, 1)
        self.finish_button = QPushButton(self.tr("Finish ticket"))
        self.finish_button.setObjectName("finishTicket")
        self.finish_button.setToolTip(self.tr("Finish the open ticket with this user"))
        self.finish_button.hide()
        bv.addWidget(self.finish_button)
        self.info_button = QToolButton()
        self.info_button.setObjectName("toggleInfo")
        self.info_button.setText(self.tr("Information"))
        self.info_button.setCheckable(True)
        self.info_button.setChecked(True)
        self.info_button.setToolTip(self.tr("Show or hide the information panel (Ctrl+I)"))
        bv.addWidget(self.info_button)
        mv.addWidget(bar)

        self.chat_stack = QStackedWidget()
        self.chat_placeholder = QLabel()  # its centred text comes with `complete()`
        self.chat_placeholder.setObjectName("chatPlaceholder")
        self.chat_stack.addWidget(self.chat_placeholder)
        mv.addWidget(self.chat_stack, 1)
        composer_row = QHBoxLayout()
        self.composer = Composer()
        self.composer.setEnabled(False)
        composer_row.addWidget(self.composer, 1)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setEnabled(False)
        send_column = QVBoxLayout()  # the button sits at the composer's bottom
        send_column.addStretch(1)
        send_column.addWidget(self.send_button)
        composer_row.addLayout(send_column)
        mv.addLayout(composer_row)
        splitter.addWidget(middle)

        # right: the info panel's place (the panel comes with `complete()`)
        info_place = QWidget()
        info_place.setObjectName("infoPlace")
        splitter.addWidget(info_place)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([USERS_WIDTH, 610, INFO_WIDTH])
        self._info_width = INFO_WIDTH
        self.setCentralWidget(splitter)
        self.resize(1280, 780)

    def restore_state(self, state: WindowState) -> None:
        """The place, size and pane widths kept from the last run (ui/mainwindow/state.py); called
        before the first show, so the window opens there."""
        self.restoreGeometry(QtCore.QByteArray(state.geometry))
        users = min(max(state.users_width, PANE_MIN), PANE_MAX) if state.users_width else 0
        info = min(max(state.info_width, PANE_MIN), PANE_MAX) if state.info_width else 0
        self._info_width = info or INFO_WIDTH
        users = users or USERS_WIDTH
        middle = max(PANE_MIN, self.width() - users - self._info_width)
        self.splitter.setSizes([users, middle, self._info_width])

    def current_state(self) -> WindowState:
        """What to keep for the next run: the place and size, the panes' widths (the info
        panel's as it was last shown)."""
        from ui.mainwindow.state import WindowState

        sizes = self.splitter.sizes()
        info = getattr(self, "info_panel", None)
        if info is not None and not info.isHidden() and sizes[2] > 0:
            self._info_width = sizes[2]
        return WindowState(bytes(self.saveGeometry().data()), sizes[0], self._info_width)

    def complete(self) -> None:
        """Build the rest — delegates, chat view, info panel, status bar, tray, shortcuts,
        the bridge to the Workplace — and wire it all. Idempotent."""
        if self._completed:
            return
        self._completed = True
        from ui.chat.drafts import Drafts
        from ui.chat.model import ChatModel
        from ui.chat.view import ChatView
        from ui.clients.avatars import AvatarStore
        from ui.clients.users_delegate import UsersDelegate
        from ui.clients.users_model import UsersModel
        from ui.mainwindow.bridge import Bridge
        from ui.mainwindow.parts import ConnectionIndicator, ProblemBanner
        from ui.mainwindow.status import status_icon
        from ui.mainwindow.tray import StatusMenu, Tray
        from ui.side.info_panel import InfoPanel

        Qt = QtCore.Qt
        self.setWindowIcon(status_icon(None))
        self.bridge = Bridge(self)
        self.drafts = Drafts(self.composer, self)

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
        self.chat_title.setTextFormat(Qt.TextFormat.PlainText)
        self.chat_subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.chat_subtitle.setStyleSheet("color: palette(placeholder-text);")
        self.chat_placeholder.setText(self.tr("Choose a user on the left to open the chat"))
        self.chat_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chat_placeholder.setStyleSheet("color: palette(placeholder-text);")

        self.line_combo.activated.connect(self._line_chosen)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._focus_users)
        self.avatars = AvatarStore(self)
        self.avatars.sig_avatar_ready.connect(self._on_avatar_ready)
        self.users_delegate = UsersDelegate(self.users_view, self.avatars)
        self.users_view.setItemDelegate(self.users_delegate)
        self.users_view.selectionModel().currentChanged.connect(self._current_user_changed)
        self.users_view.activated.connect(self._focus_composer)
        self.users_model.modelReset.connect(self._users_reset_done)
        # photos of rows scrolled past stop loading once the list rests (ui/clients/avatars.py)
        self._photos_settle = QtCore.QTimer(self)
        self._photos_settle.setSingleShot(True)
        self._photos_settle.setInterval(PHOTOS_SETTLE_MS)
        self._photos_settle.timeout.connect(self._drop_unseen_photos)
        view.verticalScrollBar().valueChanged.connect(self._photos_settle.start)
        self.users_model.modelReset.connect(self._photos_settle.start)

        self.finish_button.clicked.connect(self._finish_ticket)
        self.info_button.toggled.connect(self._toggle_info)
        self.banner = ProblemBanner()
        self._chat_pane.insertWidget(1, self.banner)
        self.chat_model = ChatModel(self)
        self.chat_view = ChatView(self.chat_model)
        self.chat_view.sig_load_older.connect(self._load_older)
        self.chat_view.sig_retry.connect(self._retry)
        self.chat_stack.addWidget(self.chat_view)
        self.composer.sig_send.connect(self._send)
        self.composer.sig_too_long.connect(self._too_long)
        self.send_button.clicked.connect(self.composer.submit)

        self.info_panel = InfoPanel()
        self.info_panel.avatars = self.avatars
        self.info_panel.setVisible(self.info_button.isChecked())
        sizes = self.splitter.sizes()
        place = self.splitter.replaceWidget(2, self.info_panel)
        if place is not None:
            place.deleteLater()
        self.splitter.setSizes(sizes)

        # status bar: status selector and connection
        self.status_menu = StatusMenu(self)
        self.status_menu.setObjectName("windowStatusMenu")
        self.status_menu.sig_status_chosen.connect(self.choose_status)
        self.status_button = QToolButton()
        self.status_button.setObjectName("statusButton")
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_button.setMenu(self.status_menu)
        self.status_button.setAutoRaise(True)
        self.status_button.setIconSize(QtCore.QSize(16, 16))
        self.connection = ConnectionIndicator()
        self.connection.sig_reconnect.connect(self.reconnect_now)
        self.statusBar().addPermanentWidget(self.status_button)
        self.statusBar().addPermanentWidget(self.connection)
        self.tray = Tray(self)
        self.tray.sig_status_chosen.connect(self.choose_status)
        self.tray.sig_activated.connect(self.bring_forward)
        self.tray.sig_quit.connect(self.sig_quit_requested)
        self._show_status(self._status)

        keys = QtGui.QKeySequence
        for sequence, action in (
            (keys(keys.StandardKey.Find), self._focus_search),
            (keys("Ctrl+I"), self.info_button.toggle),
            (keys("Ctrl+L"), self.line_combo.setFocus),
            # from anywhere, the composer included: the next / previous user, the next unread
            (keys("Alt+Down"), lambda: self._step_user(1)),
            (keys("Alt+Up"), lambda: self._step_user(-1)),
            (keys("Alt+Shift+Down"), self._next_unread),
        ):
            QtGui.QShortcut(sequence, self).activated.connect(action)
        self.search.installEventFilter(self)
        self._connect_bridge()
        self.activity_filter = _ActivityFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.activity_filter)

    def _connect_bridge(self) -> None:
        b = self.bridge
        b.sig_signed_in.connect(self._on_signed_in)
        b.sig_lines_loaded.connect(self._on_lines_loaded)
        b.sig_users_reset.connect(self._on_users_reset)
        b.sig_user_changed.connect(self._on_user_changed)
        b.sig_user_moved.connect(self._on_user_moved)
        b.sig_user_inserted.connect(self._on_user_inserted)
        b.sig_chat_opened.connect(self._on_chat_opened)
        b.sig_history_prepended.connect(self._on_history_prepended)
        b.sig_message_added.connect(self._on_message_added)
        b.sig_message_updated.connect(self._on_message_updated)
        b.sig_card_loaded.connect(self._on_card_loaded)
        b.sig_status_changed.connect(self._on_status_changed)
        b.sig_connection_changed.connect(self._on_connection_changed)
        b.sig_problem.connect(self._on_problem)

    # ------------------------------------------------------------- workplace
    def attach(self, workplace: Any) -> None:
        """Start showing `workplace` (its current state, then its changes)."""
        from app.core import changes as ch

        self.complete()
        self.workplace = workplace
        self.drafts.store = workplace if hasattr(workplace, "draft") else None
        self.avatars.clear()
        self.avatars.fetch = getattr(workplace, "avatar", None)
        self.avatars.spawn = self.spawn
        self.users_model.set_source(_WorkplaceRows(workplace))
        self.bridge.attach(workplace)
        me = getattr(workplace, "me", None)
        if me is not None:
            self._on_signed_in(ch.SignedIn(me, "", False))
        lines = tuple(getattr(workplace, "lines", ()) or ())
        if lines:
            self._on_lines_loaded(ch.LinesLoaded(lines, workplace.current_line_id))
        users = getattr(workplace, "users", None)
        if users is not None and list(users.ids):
            self.users_model.reset(users.ids)
        status = getattr(workplace, "status", None)
        if status is not None:
            self._show_status(status)
        self._seen = None
        self._report_seen()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run an intent as an owned task (cancelled on close)."""
        import asyncio

        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            from ui.mainwindow.errors import excepthook

            excepthook(type(exc), exc, exc.__traceback__)

    async def shutdown(self) -> None:
        """Cancel owned tasks and close the Workplace."""
        import asyncio

        self.complete()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.bridge.detach()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity_filter)
        if self.workplace is not None:
            await self.workplace.close()
        self.tray.close()

    def report_activity(self) -> None:
        if self.workplace is not None:
            self.workplace.activity()

    # ------------------------------------------------------------- intents
    def _line_chosen(self, index: int) -> None:
        line_id = self.line_combo.itemData(index)
        if self.workplace is not None and line_id is not None:
            if self.search.text():
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
            self.spawn(self.workplace.select_line(int(line_id)))

    def _search_changed(self, text: str) -> None:
        if self.workplace is not None:
            self.workplace.search(text.strip())

    def _current_user_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        user_id = current.data(USER_ID_ROLE) if current.isValid() else None
        if not isinstance(user_id, int) or user_id == self._selected_user:
            return
        self.open_user(user_id)

    def open_user(self, user_id: int) -> None:
        users = getattr(self.workplace, "users", None)
        self.drafts.switch(users.chat_id(user_id) if users is not None else None)
        self._selected_user = user_id
        row = self._row(user_id)
        self._show_header(row)
        self.info_panel.show_row(row)
        self.chat_model.clear()
        self.chat_stack.setCurrentWidget(self.chat_view)
        self.composer.setEnabled(False)
        self.send_button.setEnabled(False)
        if self.workplace is not None:
            self.spawn(self.workplace.open_chat(user_id))
            self.spawn(self.workplace.load_card(user_id))

    def _load_older(self) -> None:
        chat_id = self.chat_model.chat_id
        if self.workplace is None or chat_id is None:
            self.chat_view.older_loaded()
            return
        task = self.spawn(self.workplace.load_older(chat_id))
        task.add_done_callback(lambda _t: self.chat_view.older_loaded())

    def _send(self, text: str) -> None:
        chat_id = self.chat_model.chat_id
        if self.workplace is not None and chat_id is not None:
            self.workplace.send(chat_id, text)
            self.drafts.sent()

    def _too_long(self, length: int) -> None:
        self.banner.show_problem(
            self.tr(
                "The message is too long: %1 characters, at most %2 fit in one. "
                "Shorten it or split it in two; the text stays in the input field."
            )
            .replace("%1", f"{length:,}".replace(",", "\u00a0"))
            .replace("%2", f"{MAX_CHARS:,}".replace(",", "\u00a0"))
        )

    def _retry(self, client_msg_id: str) -> None:
        chat_id = self.chat_model.chat_id
        if self.workplace is not None and chat_id is not None:
            self.workplace.retry(chat_id, client_msg_id)

    def _finish_ticket(self) -> None:
        if self.workplace is not None and self._selected_user is not None:
            self.finish_button.setEnabled(False)
            self.spawn(self.workplace.finish_ticket(self._selected_user))

    def choose_status(self, status: Status) -> None:
        self._show_status(self._status)  # keep showing the server's truth until it answers
        if self.workplace is not None:
            self.spawn(self.workplace.set_status(status))

    def _toggle_info(self, shown: bool) -> None:
        self.info_panel.setVisible(shown)

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

    def _next_unread(self) -> None:
        """The topmost chat with unread messages other than the open one (rows held only:
        the unread ones are at the top, lifted by their messages)."""
        if self.workplace is None:
            return
        held = self.workplace.users.get  # never asks for a row (a scan must not fetch 2 000)
        for row in range(min(self.users_model.rowCount(), UNREAD_SCAN_ROWS)):
            index = self.users_model.index(row, 0)
            user = held(self.users_model.user_id_at(row))
            if user is not None and user.unread and user.id != self._selected_user:
                self.users_view.setCurrentIndex(index)
                self.users_view.scrollTo(index)
                return

    def _focus_composer(self) -> None:
        self.composer.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_users(self) -> None:
        self.users_view.setFocus()
        if not self.users_view.currentIndex().isValid() and self.users_model.rowCount() > 0:
            self.users_view.setCurrentIndex(self.users_model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QtCore.QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == QtCore.Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key == QtCore.Qt.Key.Key_Down:
                self._focus_users()
                return True
        return super().eventFilter(watched, event)

    def reconnect_now(self) -> None:
        """The specialist asked not to wait for the next attempt."""
        if self.workplace is not None:
            self.workplace.reconnect_now()

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.sig_quit_requested.emit()

    # ------------------------------------------------------------- in front or not
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # (never before the first paint, nor inside __init__: no enums then, no attributes)
        if getattr(self, "workplace", None) is not None:
            types = QtCore.QEvent.Type
            if event.type() in (types.ActivationChange, types.WindowStateChange):
                self._report_seen()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._report_seen()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._report_seen()

    def _report_seen(self) -> None:
        """Tell the Workplace whether the specialist can see the window (active, shown, not
        minimised): messages into the open chat are read only then."""
        if getattr(self, "workplace", None) is None:
            return
        seen = self.isVisible() and self.isActiveWindow() and not self.isMinimized()
        if seen != self._seen:
            self._seen = seen
            self.workplace.window_seen(seen)

    # ------------------------------------------------------------- changes
    def _row(self, user_id: int) -> UserRow | None:
        if self.workplace is None:
            return None
        try:
            row: UserRow = self.workplace.users.row(user_id)
        except KeyError:
            return None
        return row

    def _show_header(self, row: UserRow | None) -> None:
        if row is None:
            self.chat_title.setText("")
            self.chat_subtitle.setText("")
            self.finish_button.hide()
            return
        self.chat_title.setText(row.full_name)
        sub = row.position if row.colleague else (row.company.name if row.company else "")
        if row.colleague and row.status is not None:
            from ui.mainwindow.status import status_name

            sub = f"{sub} · {status_name(row.status)}" if sub else status_name(row.status)
        self.chat_subtitle.setText(sub)
        has_ticket = row.open_ticket is not None
        self.finish_button.setVisible(has_ticket)
        self.finish_button.setEnabled(has_ticket)

    def _on_signed_in(self, change: ch.SignedIn) -> None:
        me = change.me
        self._me_id = me.id
        self.users_delegate.my_id = me.id
        self.avatars.forget_failures()
        self.chat_view.chat_delegate.my_id = me.id
        self.setWindowTitle(f"LineDesk — {me.full_name}")
        self._show_status(me.status)
        self.users_model.refresh_all()

    def _on_lines_loaded(self, change: ch.LinesLoaded) -> None:
        self.line_combo.blockSignals(True)
        self.line_combo.clear()
        for line in change.lines:
            self.line_combo.addItem(line.name, line.id)
            self.line_combo.setItemData(
                self.line_combo.count() - 1,
                self.tr("%n users", "", line.user_count),
                TOOLTIP_ROLE,
            )
        if change.current_line_id is not None:
            pos = self.line_combo.findData(change.current_line_id)
            if pos >= 0:
                self.line_combo.setCurrentIndex(pos)
        self.line_combo.blockSignals(False)

    def _on_users_reset(self, change: ch.UsersReset) -> None:
        pos = self.line_combo.findData(change.line_id)
        if pos >= 0 and pos != self.line_combo.currentIndex():
            self.line_combo.blockSignals(True)
            self.line_combo.setCurrentIndex(pos)
            self.line_combo.blockSignals(False)
        self.users_model.reset(change.ids)

    def _users_reset_done(self) -> None:
        empty = self.users_model.rowCount() == 0
        if empty:
            self.users_empty.setText(
                self.tr("Nobody found") if self.search.text() else self.tr("No users on this line")
            )
        self.users_empty.setVisible(empty and self.workplace is not None)
        if not empty:
            QtCore.QTimer.singleShot(0, lambda: startup_trace.mark("DATA"))  # after the paint
        if self._selected_user is not None:
            pos = self.users_model.position(self._selected_user)
            if pos >= 0:
                self.users_view.setCurrentIndex(self.users_model.index(pos, 0))

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        self.users_model.changed(change.row.id)
        if change.row.id == self._selected_user:
            self._show_header(change.row)
            self.info_panel.show_photo(change.row)

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
        if self._selected_user is not None:
            shown.add(self._selected_user)  # the info panel's photo
        dropped = self.avatars.keep_only({i for i in shown if i is not None})
        if dropped:
            log.debug("photos: %d fetches for rows scrolled past stopped", dropped)

    def _on_avatar_ready(self, url: str, user_ids: list[int]) -> None:
        """A photo arrived (or failed): repaint only the rows that asked for it."""
        for user_id in user_ids:
            self.users_model.changed(user_id)
        self.info_panel.avatar_ready(url)

    def _on_user_moved(self, change: ch.UserMoved) -> None:
        self.users_model.move(change.user_id, change.old_pos, change.new_pos)

    def _on_user_inserted(self, change: ch.UserInserted) -> None:
        self.users_model.insert(change.user_id, change.pos)
        self.users_empty.hide()

    def _on_chat_opened(self, change: ch.ChatOpened) -> None:
        if change.user_id != self._selected_user:
            return
        self.chat_model.open(change.user_id, change.chat_id, change.messages, change.has_more)
        self.composer.setEnabled(True)
        self.send_button.setEnabled(True)
        if not self.search.hasFocus() and not self.users_view.hasFocus():
            self.composer.setFocus()

    def _on_history_prepended(self, change: ch.HistoryPrepended) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.prepend(change.messages, change.has_more)
            self.chat_view.older_loaded()

    def _on_message_added(self, change: ch.MessageAdded) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.add(change.message)

    def _on_message_updated(self, change: ch.MessageUpdated) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.update(change.message)

    def _on_card_loaded(self, change: ch.CardLoaded) -> None:
        if change.card.row.id == self._selected_user:
            self.info_panel.show_card(change.card)

    def _on_status_changed(self, change: ch.StatusChanged) -> None:
        self._show_status(change.status)

    def _show_status(self, status: Status | None) -> None:
        from ui.mainwindow.status import status_icon, status_name

        self._status = status
        self.tray.show_status(status)
        self.status_menu.show_status(status)
        self.status_button.setIcon(status_icon(status))
        self.status_button.setText(status_name(status) if status is not None else "—")
        self.status_button.setToolTip(self.tr("Your status"))

    def _on_connection_changed(self, change: ch.ConnectionChanged) -> None:
        from app.core.domain import ConnectionState
        from ui.common.problem_texts import translate_problem
        from ui.mainwindow.parts import PROBLEM_SHOWN_MS

        self.connection.show_state(change.state, change.detail, change.retry_in)
        if change.state is ConnectionState.CONNECTED:
            self.statusBar().clearMessage()
        elif change.detail:
            self.statusBar().showMessage(translate_problem(change.detail), PROBLEM_SHOWN_MS)

    def _on_problem(self, change: ch.Problem) -> None:
        log.warning("problem shown: %s (%s)", change.text, change.detail)
        self.banner.show_problem(change.text, change.detail)


__all__ = ["MainWindow"]
