"""The tray icon: shows the status and sets it (Free / Away / Busy for new tickets / DND)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.core.domain import Status
from ui.mainwindow.status import STATUS_ORDER, status_icon, status_name


class StatusMenu(QMenu):
    """The status choices; used by the tray and by the window's status button."""

    sig_status_chosen = Signal(object)
    """The specialist chose a status (app.core.domain.Status)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.status_actions: dict[Status, QAction] = {}
        for status in STATUS_ORDER:
            action = QAction(status_icon(status), status_name(status), self)
            action.setCheckable(True)
            action.setObjectName(f"status_{status.value}")
            action.triggered.connect(
                lambda _checked=False, s=status: self.sig_status_chosen.emit(s)
            )
            self._group.addAction(action)
            self.addAction(action)
            self.status_actions[status] = action

    def show_status(self, status: Status | None) -> None:
        for s, action in self.status_actions.items():
            action.setChecked(s is status)


class Tray(QObject):
    """QSystemTrayIcon when the platform has a tray; otherwise only the menu (still usable)."""

    sig_status_chosen = Signal(object)
    sig_activated = Signal()
    """The tray icon was clicked: bring the window forward."""
    sig_quit = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = StatusMenu()
        self.menu.setObjectName("trayMenu")
        self.menu.sig_status_chosen.connect(self.sig_status_chosen)
        self.menu.addSeparator()
        self.show_action = self.menu.addAction(self.tr("Show the window"))
        self.show_action.triggered.connect(self.sig_activated)
        self.quit_action = self.menu.addAction(self.tr("Quit"))
        self.quit_action.setObjectName("quit")
        self.quit_action.triggered.connect(self.sig_quit)
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(status_icon(None), self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.setToolTip("LineDesk")
            self.icon.show()
        self.status: Status | None = None

    def show_status(self, status: Status | None) -> None:
        self.status = status
        self.menu.show_status(status)
        if self.icon is not None:
            self.icon.setIcon(status_icon(status))
            self.icon.setToolTip(
                "LineDesk — " + status_name(status) if status is not None else "LineDesk"
            )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.sig_activated.emit()

    def close(self) -> None:
        if self.icon is not None:
            self.icon.hide()
        self.menu.deleteLater()
