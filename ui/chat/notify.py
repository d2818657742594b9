"""A chat alert (app/chat/alerts.py: a client wrote to a chat not in view, not in Do not
disturb; or anything happened in a favourite's chat — a colleague's message, a ticket step)
shown to the specialist: a desktop notification that opens that chat when clicked,
and the taskbar's attention flag. The sound is the core's (app/chat/sounds.py); its
settings are the Notifications page (ui/chat/settings_page.py).

The desktop notification goes through a seam, `DesktopSeam`:
- on Linux, the freedesktop notification service on the session bus (app/chat/freedesktop.py),
  one notification per chat, replaced by the chat's next one;
- elsewhere, or on a Linux desktop without that service, the tray icon's message
  (`QSystemTrayIcon.showMessage`; on Windows 10/11 the shell shows it as a toast). Windows'
  own counterpart of the D-Bus service is the WinRT toast API (docs/chat.md).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from ui.chat import settings_page
from ui.common.text import marked, one_line

if TYPE_CHECKING:
    from app.chat.freedesktop import DesktopNotes
    from app.core import changes as ch
    from ui.chat.pane import ChatPane

log = logging.getLogger("linedesk.ui.chat.notify")
assert settings_page.__name__  # the Notifications page is registered with the chat
RETRY_S = 60.0  # a desktop without a notification service is asked again after this


class ChatNotifier(QObject):
    sig_shown = Signal(str, str)
    """A notification went out: its title and text."""
    sig_desktop = Signal(str)
    """How the last notification was shown: "desktop" (D-Bus) or "tray"."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.user_id: int | None = None  # whose chat the last tray message opens
        self._users: dict[int, int | None] = {}  # chat → its user (a desktop note's click)
        self._bound: QSystemTrayIcon | None = None
        self.desktop: DesktopNotes | None = None
        self.bus = "SESSION"  # the D-Bus to use (tests: a private one)
        self._next_try = 0.0
        self.use_desktop = sys.platform.startswith("linux")

    def _tray_icon(self) -> QSystemTrayIcon | None:
        tray = getattr(self._pane.window(), "tray", None)
        icon = getattr(tray, "icon", None)
        if isinstance(icon, QSystemTrayIcon) and icon is not self._bound:
            icon.messageClicked.connect(self.clicked)
            self._bound = icon
        return icon if isinstance(icon, QSystemTrayIcon) else None

    def on_alert(self, change: ch.ChatAlert) -> None:
        title = one_line(change.name) or self.tr("New message")
        if change.step is not None:  # in a favourite's chat (app/chat/alerts.py)
            from ui.tickets.steps import step_text

            body = step_text(change.step)  # people's words in it come marked and isolated
        else:
            body = marked(change.preview) or self.tr("A file")
        if change.repeat:
            body = self.tr("Still not opened: %1").replace("%1", body)
        self._users[change.chat_id] = change.user_id
        self.user_id = change.user_id
        if self.use_desktop:
            self._pane.spawn(self._show_desktop(change.chat_id, change.user_id, title, body))
        else:
            self._show_tray(change.user_id, title, body)
        QApplication.alert(self._pane.window())  # the taskbar's attention
        self.sig_shown.emit(title, body)

    def _show_tray(self, user_id: int | None, title: str, body: str) -> None:
        self.user_id = user_id  # the tray's message is one: a click opens the last one's chat
        icon = self._tray_icon()
        if icon is not None and icon.supportsMessages():
            icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8000)
        self.sig_desktop.emit("tray")

    async def _show_desktop(self, chat_id: int, user_id: int | None, title: str, body: str) -> None:
        notes = await self._desktop_notes()
        if notes is not None:
            try:
                await notes.show(chat_id, title, body)
            except Exception as exc:  # the service went away: the tray, and ask again later
                log.info("desktop notification failed: %s", exc)
                await self.close()
                self._next_try = time.monotonic() + RETRY_S
            else:
                self.sig_desktop.emit("desktop")
                return
        self._show_tray(user_id, title, body)

    async def _desktop_notes(self) -> DesktopNotes | None:
        if self.desktop is not None and self.desktop.started:
            return self.desktop
        if time.monotonic() < self._next_try:
            return None
        from app.chat.freedesktop import DesktopNotes

        notes = DesktopNotes(self._desktop_clicked, self.bus)
        if await notes.start():
            self.desktop = notes
            return notes
        self._next_try = time.monotonic() + RETRY_S
        return None

    def _desktop_clicked(self, chat_id: int) -> None:
        self.user_id = self._users.get(chat_id)
        self.clicked()

    def clicked(self) -> None:
        """The notification was clicked: the window forward, that user's chat open."""
        user_id, self.user_id = self.user_id, None
        window = self._pane.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if user_id is not None:
            self._pane.open_from_alert(user_id)

    async def close(self) -> None:
        notes, self.desktop = self.desktop, None
        if notes is not None:
            await notes.close()
