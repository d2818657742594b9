"""The status area: the specialist's status (the status bar's button and the tray), the
connection indicator and the status bar's messages, the window's title and the name at the
top left (who is signed in; a click opens their profile). Built after the first paint (it
needs the core's types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import QMainWindow, QStatusBar, QToolButton

from ui.common.text import one_line
from ui.mainwindow.parts import ConnectionIndicator
from ui.mainwindow.status import status_icon, status_name
from ui.mainwindow.tray import StatusMenu, Tray

if TYPE_CHECKING:
    from app.core import changes as ch
    from app.core.domain import Me, Status
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core


ME_ICON = 24


class StatusArea(QObject):
    _desk: Desk

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._status: Status | None = None
        window.setWindowIcon(status_icon(None))
        self.status_menu = StatusMenu(window)
        self.status_menu.setObjectName("windowStatusMenu")
        self.status_menu.sig_status_chosen.connect(self.choose_status)
        self.status_button = QToolButton()
        self.status_button.setObjectName("statusButton")
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_button.setMenu(self.status_menu)
        self.status_button.setAutoRaise(True)
        self.status_button.setIconSize(QSize(16, 16))
        self.connection = ConnectionIndicator()
        self.connection.sig_reconnect.connect(self.reconnect_now)
        self.statusBar().addPermanentWidget(self.status_button)
        self.statusBar().addPermanentWidget(self.connection)
        self.tray = Tray(window)
        self.tray.sig_status_chosen.connect(self.choose_status)
        self._show_status(self._status)
        self.me_button = QToolButton()  # seed 000 2.1: my name top left opens my profile
        self.me_button.setObjectName("meButton")
        self.me_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.me_button.setAutoRaise(True)
        self.me_button.setIconSize(QSize(ME_ICON, ME_ICON))
        self.me_button.setToolTip(self.tr("My profile"))
        self.me_button.hide()  # until someone is signed in

    def complete(self, desk: Desk) -> None:
        from ui.mainwindow.actions import MainAction

        self._desk = desk
        self.me_button.clicked.connect(lambda: desk.actions[MainAction.PROFILE].trigger())
        top = getattr(self._window, "users", None)  # the left pane, above the line's list
        if top is not None and top.layout() is not None:
            top.layout().insertWidget(0, self.me_button)

    def statusBar(self) -> QStatusBar:
        """The window's (so the handlers read as they did in the window)."""
        return self._window.statusBar()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.SignedIn, self._on_signed_in)
        bridge.handle(ch.MeChanged, lambda change: self._show_me(change.me))
        bridge.handle(ch.StatusChanged, self._on_status_changed)
        bridge.handle(ch.ConnectionChanged, self._on_connection_changed)
        bridge.handle(ch.UnreadChanged, lambda change: self.tray.show_unread(change.total))

    def attach(self, workplace: Core) -> None:
        if workplace.me is not None:
            self._show_me(workplace.me)
        self._show_status(workplace.status)

    # ------------------------------------------------------------- intents
    def choose_status(self, status: Status) -> None:
        self._show_status(self._status)  # keep showing the server's truth until it answers
        if self._desk.workplace is not None:
            self._desk.spawn(self._desk.workplace.set_status(status))

    def reconnect_now(self) -> None:
        """The specialist asked not to wait for the next attempt."""
        if self._desk.workplace is not None:
            self._desk.workplace.reconnect_now()

    # ------------------------------------------------------------- changes
    def _on_signed_in(self, change: ch.SignedIn) -> None:
        self._show_me(change.me)

    def _show_me(self, me: Me) -> None:
        from ui.clients.avatars import initials_pixmap

        name = one_line(me.full_name)
        self._window.setWindowTitle(f"LineDesk — {name}")
        self._show_status(me.status)
        self.me_button.setText(name.replace("&", "&&"))  # an "&" in a name is no shortcut
        dpr = self._window.devicePixelRatioF()
        self.me_button.setIcon(initials_pixmap(me.full_name, ME_ICON, self.me_button.font(), dpr))
        self.me_button.show()

    def _on_status_changed(self, change: ch.StatusChanged) -> None:
        self._show_status(change.status)

    def _show_status(self, status: Status | None) -> None:
        self._status = status
        self.tray.show_status(status)
        self.status_menu.show_status(status)
        self.status_button.setIcon(status_icon(status))
        self.status_button.setText(status_name(status) if status is not None else "—")
        self.status_button.setToolTip(self.tr("Your status"))

    def _on_connection_changed(self, change: ch.ConnectionChanged) -> None:
        from app.core.domain import ConnectionState
        from ui.common.problem_texts import problem_text
        from ui.mainwindow.parts import PROBLEM_SHOWN_MS

        cause = problem_text(change.cause)
        self.connection.show_state(change.state, cause, change.retry_in)
        if change.state is ConnectionState.CONNECTED:
            self.statusBar().clearMessage()
        elif cause:
            self.statusBar().showMessage(cause, PROBLEM_SHOWN_MS)
