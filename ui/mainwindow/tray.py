"""The tray icon: shows the status and sets it (Free / Away / Busy for new tickets / DND),
and the count of client messages not read yet (a red badge on the icon, in its tooltip)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QIcon, QPainter
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
        self.unread = 0
        self.tooltip = "LineDesk"

    def show_status(self, status: Status | None) -> None:
        self.status = status
        self.menu.show_status(status)
        self._render()

    def show_unread(self, count: int) -> None:
        """`count` client messages not read yet: a badge on the icon (none for 0)."""
        self.unread = max(0, count)
        self._render()

    def _render(self) -> None:
        parts = ["LineDesk"]
        if self.status is not None:
            parts.append(status_name(self.status))
        if self.unread:
            parts.append(self.tr("%n unread", "", self.unread))
        self.tooltip = " — ".join(parts)
        self.show_action.setText(
            self.tr("Show the window (%n unread)", "", self.unread)
            if self.unread
            else self.tr("Show the window")
        )
        if self.icon is not None:
            self.icon.setIcon(with_unread(status_icon(self.status), self.unread))
            self.icon.setToolTip(self.tooltip)

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


def with_unread(icon: QIcon, count: int) -> QIcon:
    """`icon` with a red badge saying `count` in its top right corner (as it is for 0)."""
    if count <= 0:
        return icon
    text = str(count) if count < 100 else "99+"
    out = QIcon()
    for px in (16, 22, 32, 64):
        pixmap = icon.pixmap(px, px)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = px * 0.62
        badge = QRectF(px - side, 0, side, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e0322b"))
        painter.drawEllipse(badge)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(6, int(side * (0.7 if len(text) == 1 else 0.5))))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter.value), text)
        painter.end()
        out.addPixmap(pixmap)
    return out
