"""The specialist's main window, composed of panes: the users (left, ui/clients/pane.py), the
chat with the function bar (middle, ui/chat/pane.py), the side panel (right,
ui/side/pane.py), the status area and tray (ui/mainwindow/status_area.py), and features
without a pane of their own (ui/tickets/). Each part shows what it subscribed to
(ui/mainwindow/bridge.py) and offers its commands through the actions registry
(ui/mainwindow/actions.py); they share a `Desk` (ui/mainwindow/desk.py). This module only
puts them together and keeps what belongs to the window itself: its place and size, being
in front, the specialist's activity, Quit.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Protocol, TypeVar

# Only what the first frame needs is imported by name, and the panes' modules keep to the
# same rule: everything else is reached through its module (QtCore.QEvent, QtCore.Qt…),
# which PySide builds on first use, after the first paint — the `Qt` namespace alone is ~90
# enums, 11 ms (docs/benchmarks.md; tests/window/test_first_frame.py).
from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

from ui.calls.feature import CallsFeature
from ui.chat.pane import ChatPane
from ui.clients.pane import UsersPane
from ui.disconnect.feature import DisconnectFeature
from ui.groups.feature import GroupsFeature
from ui.mainwindow.actions import MainAction
from ui.mainwindow.desk import Desk
from ui.remote.feature import RemoteFeature
from ui.settings.feature import SettingsFeature
from ui.side.pane import SidePane
from ui.tickets.commands import TicketCommands
from ui.tickets.monitor import OnlineMonitor

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent

    from ui.chat.drafts import Drafts
    from ui.chat.model import ChatModel
    from ui.chat.view import ChatView
    from ui.clients.avatars import AvatarStore
    from ui.clients.users_model import UsersModel
    from ui.mainwindow.activity import ActivityFilter
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Actions
    from ui.mainwindow.parts import ConnectionIndicator
    from ui.mainwindow.seam import Core
    from ui.mainwindow.state import WindowState
    from ui.mainwindow.status_area import StatusArea
    from ui.mainwindow.tray import StatusMenu, Tray
    from ui.side.info_panel import InfoPanel

USERS_WIDTH, INFO_WIDTH = 360, 290  # px: the panes' widths until the specialist moves them
PANE_MIN, PANE_MAX = 200, 1200  # px: a kept width outside these is not trusted

T = TypeVar("T")


class Part(Protocol):
    """A pane or a feature of the window."""

    def complete(self, desk: Desk) -> None:
        """Build what the first frame did not, and wire it (the commands: `desk.actions`)."""
        ...

    def listen(self, bridge: Bridge) -> None:
        """Register for the changes it shows (`bridge.handle(kind, callback)`)."""
        ...

    def attach(self, workplace: Core) -> None:
        """Show the Workplace's state as it is now (its changes follow)."""
        ...


class MainWindow(QMainWindow):
    sig_quit_requested = Signal()
    """The specialist closed the window or chose Quit."""

    # built by complete(); the panes' widgets are reachable from the window as before
    bridge: Bridge
    commands: Actions
    status_area: StatusArea
    activity_filter: ActivityFilter
    parts: tuple[Part, ...]
    avatars: AvatarStore
    users_model: UsersModel
    chat_model: ChatModel
    chat_view: ChatView
    drafts: Drafts
    info_panel: InfoPanel
    tray: Tray
    status_menu: StatusMenu
    connection: ConnectionIndicator

    def __init__(self, parent: QWidget | None = None, *, first_frame_only: bool = False) -> None:
        """`first_frame_only`: build the window's skeleton (panes, line dropdown, search, empty
        list, function bar, composer) to paint it at once; `complete()` builds the rest right
        after the first paint (ui.main does). By default the window is built whole."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("LineDesk")
        self._seen: bool | None = None  # what the Workplace was told (ui: _report_seen)
        self._completed = False
        self.tickets = TicketCommands(self)
        self.monitor = OnlineMonitor(self)
        self.remote = RemoteFeature(self)
        self.calls = CallsFeature(self)
        self.settings_menu = SettingsFeature(self)
        self.groups = GroupsFeature(self)
        self.disconnection = DisconnectFeature(self)
        self.desk = Desk(self)
        self.users = UsersPane()
        self.chat = ChatPane()
        self.side = SidePane()
        splitter = QSplitter()  # horizontal
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        for pane in (self.users, self.chat, self.side):
            splitter.addWidget(pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([USERS_WIDTH, 610, INFO_WIDTH])
        self._info_width = INFO_WIDTH
        self.setCentralWidget(splitter)
        self.resize(1280, 780)
        # the panes' widgets, as the window's (tests and tools reach them so)
        self.line_combo = self.users.line_combo
        self.search = self.users.search
        self.users_view = self.users.users_view
        self.chat_title = self.chat.bar.chat_title
        self.start_button = self.chat.bar.buttons[MainAction.START_TICKET]
        self.finish_button = self.chat.bar.buttons[MainAction.FINISH_TICKET]
        self.info_button = self.chat.bar.buttons[MainAction.TOGGLE_INFO]
        self.composer = self.chat.composer
        if not first_frame_only:
            self.complete()

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
        """What to keep for the next run: the place and size, the panes' widths (the side
        panel's as it was last shown)."""
        from ui.mainwindow.state import WindowState

        sizes = self.splitter.sizes()
        if self._completed and not self.side.isHidden() and sizes[2] > 0:
            self._info_width = sizes[2]
        return WindowState(bytes(self.saveGeometry().data()), sizes[0], self._info_width)

    def complete(self) -> None:
        """Build the rest — models, delegates, chat view, info panel, status area, tray, the
        commands' keys, the bridge to the Workplace — and wire it all. Idempotent."""
        if self._completed:
            return
        self._completed = True
        from ui.clients.avatars import AvatarStore
        from ui.mainwindow.activity import ActivityFilter
        from ui.mainwindow.bridge import Bridge
        from ui.mainwindow.commands import Actions
        from ui.mainwindow.status_area import StatusArea

        # every command declared (by the parts' modules, imported with this one)
        self.commands = self.desk.actions = Actions(self)
        self.avatars = self.desk.avatars = AvatarStore(self)
        self.status_area = StatusArea(self)
        self.status_area.tray.sig_activated.connect(self.bring_forward)
        self.status_area.tray.sig_quit.connect(self.sig_quit_requested)
        parts = (
            self.users,
            self.side,
            self.chat,
            self.tickets,
            self.monitor,
            self.remote,
            self.calls,
            self.settings_menu,
            self.groups,
            self.disconnection,
            self.status_area,
        )
        self.parts = parts
        for part in self.parts:  # (in this order: the card is asked for before the chat)
            part.complete(self.desk)
        self.bridge = Bridge(self)
        for part in self.parts:
            self.bridge.register(part)
        self.users.sig_user_activated.connect(self.chat.composer.setFocus)
        self.chat.focus_elsewhere = self.users.in_use
        self.addActions(self.commands.keyed())  # their shortcuts work anywhere in the window
        self.users_model = self.users.users_model
        self.chat_model, self.chat_view = self.chat.chat_model, self.chat.chat_view
        self.drafts = self.chat.drafts
        self.info_panel = self.side.info_panel
        self.tray, self.status_menu = self.status_area.tray, self.status_area.status_menu
        self.connection = self.status_area.connection
        self.activity_filter = ActivityFilter(self.report_activity, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.activity_filter)

    # ------------------------------------------------------------- workplace
    @property
    def workplace(self) -> Core | None:
        return self.desk.workplace

    @property
    def _selected_user(self) -> int | None:
        return self.desk.user_id

    def attach(self, workplace: Core) -> None:
        """Start showing `workplace` (its current state, then its changes)."""
        self.complete()
        self.desk.workplace = workplace
        self.avatars.clear()
        self.avatars.fetch = workplace.avatar
        self.avatars.spawn = self.desk.spawn
        self.bridge.attach(workplace)
        for part in self.parts:
            part.attach(workplace)
        self._seen = None
        self._report_seen()

    def spawn(self, coro: Coroutine[object, object, T]) -> asyncio.Task[T]:
        """Run an intent as an owned task (cancelled on close)."""
        return self.desk.spawn(coro)

    async def shutdown(self) -> None:
        """End calls (and the PBX registration), cancel owned tasks, close the Workplace."""
        import asyncio
        import contextlib

        self.complete()
        with contextlib.suppress(TimeoutError):  # a PBX that does not answer: no longer
            async with asyncio.timeout(6):
                await self.calls.close()
        await self.desk.cancel_tasks()
        await self.chat.notifier.close()
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

    def open_user(self, user_id: int) -> None:
        """Open `user_id`'s chat, header, card and commands (what choosing the row does)."""
        self.desk.open_user(user_id)

    def rows_on_screen(self) -> range:
        return self.users.rows_on_screen()

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
        if self._attached():
            types = QtCore.QEvent.Type
            if event.type() in (types.ActivationChange, types.WindowStateChange):
                self._report_seen()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._report_seen()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._report_seen()

    def _attached(self) -> bool:
        desk: Desk | None = getattr(self, "desk", None)  # (None inside QMainWindow.__init__)
        return desk is not None and desk.workplace is not None

    def _report_seen(self) -> None:
        """Tell the Workplace whether the specialist can see the window (active, shown, not
        minimised): messages into the open chat are read only then."""
        workplace = self.workplace if self._attached() else None
        if workplace is None:
            return
        seen = self.isVisible() and self.isActiveWindow() and not self.isMinimized()
        if seen != self._seen:
            self._seen = seen
            workplace.window_seen(seen)


__all__ = ["INFO_WIDTH", "USERS_WIDTH", "MainWindow"]
