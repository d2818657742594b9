"""A chat alert (app/chat/alerts.py: a client wrote to a chat not in view, not in Do not
disturb) shown to the specialist: the tray's message (which opens that chat when clicked)
and the taskbar's attention flag. The freedesktop D-Bus notification and the sound are not
here yet (docs/chat.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from ui.common.text import marked

if TYPE_CHECKING:
    from app.core import changes as ch
    from ui.chat.pane import ChatPane


class ChatNotifier(QObject):
    sig_shown = Signal(str, str)
    """A notification went out: its title and text."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.user_id: int | None = None  # whose chat the last notification opens
        self._bound: QSystemTrayIcon | None = None

    def _tray_icon(self) -> QSystemTrayIcon | None:
        tray = getattr(self._pane.window(), "tray", None)
        icon = getattr(tray, "icon", None)
        if isinstance(icon, QSystemTrayIcon) and icon is not self._bound:
            icon.messageClicked.connect(self.clicked)
            self._bound = icon
        return icon if isinstance(icon, QSystemTrayIcon) else None

    def on_alert(self, change: ch.ChatAlert) -> None:
        title = marked(change.name) or self.tr("New message")
        body = marked(change.preview) or self.tr("A file")
        self.user_id = change.user_id
        icon = self._tray_icon()
        if icon is not None and icon.supportsMessages():
            icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(self._pane.window())  # the taskbar's attention
        self.sig_shown.emit(title, body)

    def clicked(self) -> None:
        """The notification was clicked: the window forward, that user's chat open."""
        user_id, self.user_id = self.user_id, None
        window = self._pane.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if user_id is not None:
            self._pane.open_from_alert(user_id)
