"""Half-written replies, one per chat: what is typed stays with its chat.

Opening another user keeps the composer's text as the draft of the chat it was typed for and
shows the new chat's own draft (or nothing), so a reply is never carried into another user's
chat — where Enter would send it to the wrong person. The drafts are kept by the Workplace
(app/store/drafts.py) across restarts; the text being typed is saved `SAVE_AFTER_MS` after the last
keystroke, so a crash loses at most that moment.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

SAVE_AFTER_MS = 800


class DraftStore(Protocol):
    """Where drafts are kept (the Workplace)."""

    def draft(self, chat_id: int) -> str: ...

    def keep_draft(self, chat_id: int, text: str) -> None: ...


class Drafts(QObject):
    def __init__(self, composer: QPlainTextEdit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: DraftStore | None = None
        self.chat_id: int | None = None  # the chat the composer types into now
        self._composer = composer
        self._showing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.save)
        composer.textChanged.connect(self._typed)

    def switch(self, chat_id: int | None) -> None:
        """The composer now types into `chat_id`'s chat (None: a chat not known yet)."""
        if chat_id == self.chat_id:
            return
        self.save()
        self.chat_id = chat_id
        text = self.store.draft(chat_id) if self.store is not None and chat_id else ""
        self._showing = True
        try:
            self._composer.setPlainText(text)
            self._composer.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._showing = False

    def sent(self) -> None:
        """The composer's text went out as a message: no draft is left of it."""
        self._timer.stop()
        if self.store is not None and self.chat_id is not None:
            self.store.keep_draft(self.chat_id, "")

    def save(self) -> None:
        self._timer.stop()
        if self.store is not None and self.chat_id is not None:
            self.store.keep_draft(self.chat_id, self._composer.toPlainText())

    def _typed(self) -> None:
        if not self._showing and self.chat_id is not None:
            self._timer.start()
