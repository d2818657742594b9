"""Drafts: the specialist's half-written replies, one per chat, in a local SQLite file.

Typed text is the specialist's work like a sent message is: it survives switching chats, a
restart of the program and a crash (the window saves it a moment after typing stops). Kept
per account, keyed by chat; an empty draft is no draft. Stdlib sqlite3, like the outbox:
tiny, synchronous, cheap to import.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

MAX_CHARS = 100_000  # a draft longer than this is cut (the composer refuses past 10 000 to send)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    account    TEXT NOT NULL,
    chat_id    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (account, chat_id)
);
"""


class Drafts:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, account: str, chat_id: int) -> str:
        row = self._db.execute(
            "SELECT text FROM drafts WHERE account = ? AND chat_id = ?", (account, chat_id)
        ).fetchone()
        return str(row[0]) if row else ""

    def put(self, account: str, chat_id: int, text: str) -> None:
        """Keep `text` as the chat's draft (blank: none)."""
        if text.strip():
            self._db.execute(
                "INSERT INTO drafts (account, chat_id, text, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (account, chat_id) DO UPDATE SET "
                "text = excluded.text, updated_at = excluded.updated_at",
                (account, chat_id, text[:MAX_CHARS], time.time()),
            )
        else:
            self._db.execute(
                "DELETE FROM drafts WHERE account = ? AND chat_id = ?", (account, chat_id)
            )

    def chats(self, account: str) -> list[int]:
        """The chats of `account` with a draft, the latest first."""
        rows = self._db.execute(
            "SELECT chat_id FROM drafts WHERE account = ? ORDER BY updated_at DESC", (account,)
        )
        return [int(r[0]) for r in rows]
