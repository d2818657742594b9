"""Half-written replies, one per chat: what is typed stays with its chat.

Opening another user keeps the composer's text under the chat it was typed for and shows the
new chat's own draft (or nothing), so a reply is never carried into another user's chat —
where Enter would send it to the wrong person. Kept while the program runs."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

Key = tuple[int | None, int]  # (line, user)


class Drafts:
    def __init__(self) -> None:
        self._texts: dict[Key, str] = {}
        self.key: Key | None = None  # the chat the composer types into now

    def switch(self, key: Key, composer: QPlainTextEdit) -> None:
        """The composer now types into `key`'s chat."""
        if key == self.key:
            return
        text = composer.toPlainText()
        if self.key is not None and text.strip():
            self._texts[self.key] = text
        self.key = key
        composer.setPlainText(self._texts.pop(key, ""))
        composer.moveCursor(QTextCursor.MoveOperation.End)
