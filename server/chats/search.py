"""Search of a chat's whole history: the words, the index and the query on both databases.

* **PostgreSQL**: full-text search with the ``russian`` configuration over
  ``translate(text, 'ёЁ', 'еЕ')`` (ё and е one letter), a GIN expression index
  ``message_search`` (the query repeats the indexed expression, so the index is used).
* **SQLite**: an FTS5 table ``message_search`` of Snowball Russian stems (PyStemmer, the
  same algorithm PostgreSQL's ``russian`` uses), one row per message (rowid = the
  message's id), with the chat's id as a second column; kept by triggers that call
  ``linedesk_stems()``, a function registered on every SQLite connection (below).

Never a LIKE scan. The words of a query are split the same way as a message's (letters and
digits; quotes, ``%`` and backslashes are only separators), lowercased, ё→е, stemmed; the
stop words of Snowball's Russian list (the one PostgreSQL's ``russian`` uses) are ignored on
both databases, and a query of only stop words finds nothing and says so.

Neither the FTS5 table nor the expression index is in the models' metadata (a virtual table
and an expression index cannot be): they are made by DDL events on the messages table (a
fresh database's ``create_all``) and by the migration ``0006`` (an existing one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import Stemmer
from sqlalchemy import Engine, event

from server.core.ddl import after_create
from server.core.models import Message

WORD = re.compile(r"\w+")
INDEX = "message_search"
STEMS_FUNCTION = "linedesk_stems"
STOP_WORDS = frozenset(
    w.strip().replace("ё", "е")
    for w in (Path(__file__).with_name("russian.stop")).read_text("utf-8").split()
    if w.strip()
)
"""Snowball's Russian stop words (PostgreSQL's tsearch_data/russian.stop, BSD licence)."""

_stemmer = Stemmer.Stemmer("russian")


def normal(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A lowercased word's Snowball Russian stem (ё already е)."""
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normal form) of every word of `text`."""
    return [(m.start(), m.end(), normal(m.group())) for m in WORD.finditer(text)]


def stems(text: str | None) -> str:
    """What the SQLite index holds for a message: its words' stems, space separated."""
    if not text:
        return ""
    return " ".join(stem(w) for _s, _e, w in words(text))


class Query:
    """A query's words: the stems searched for, the stop words ignored."""

    def __init__(self, q: str) -> None:
        found = [w for _s, _e, w in words(q)]
        self.words = list(dict.fromkeys(w for w in found if w not in STOP_WORDS))
        self.ignored = list(dict.fromkeys(w for w in found if w in STOP_WORDS))
        self.stems = list(dict.fromkeys(stem(w) for w in self.words))

    @property
    def empty(self) -> bool:
        return not self.stems

    def fts5(self, chat_id: int) -> str:
        """The FTS5 MATCH expression: the chat, and every stem (each a quoted string)."""
        terms = " AND ".join(f'terms : "{s}"' for s in self.stems)
        return f'chat : "{int(chat_id)}" AND {terms}'

    def text(self) -> str:
        """The words for PostgreSQL's plainto_tsquery (its own parser splits them)."""
        return " ".join(self.words)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query's words are in a message's text."""
        wanted = set(self.stems)
        return [(s, e) for s, e, w in words(text) if stem(w) in wanted]


# -- SQLite: the function the triggers call, on every connection ---------------------------


@event.listens_for(Engine, "connect")
def _register(dbapi_connection: Any, _record: Any) -> None:
    if "sqlite" in type(dbapi_connection).__module__:
        dbapi_connection.create_function(STEMS_FUNCTION, 1, stems, deterministic=True)


# Static SQL (no value is ever formatted into it): "message_search" is INDEX, and
# "linedesk_stems" STEMS_FUNCTION.
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE message_search USING fts5(terms, chat, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO message_search (rowid, terms, chat) "
    "VALUES (new.id, linedesk_stems(new.text), new.chat_id); END",
    "CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN "
    "DELETE FROM message_search WHERE rowid = old.id; END",
    "CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN "
    "UPDATE message_search SET terms = linedesk_stems(new.text) WHERE rowid = new.id; END",
)
SQLITE_BACKFILL = (
    "INSERT INTO message_search (rowid, terms, chat) "
    "SELECT id, linedesk_stems(text), chat_id FROM messages"
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS message_search_insert",
    "DROP TRIGGER IF EXISTS message_search_delete",
    "DROP TRIGGER IF EXISTS message_search_update",
    "DROP TABLE IF EXISTS message_search",
)
PG_VECTOR = "to_tsvector('russian'::regconfig, translate(text, 'ёЁ', 'еЕ'))"
PG_DDL = (
    "CREATE INDEX message_search ON messages USING gin "
    "(to_tsvector('russian'::regconfig, translate(text, 'ёЁ', 'еЕ')))",
)
PG_DROP = ("DROP INDEX IF EXISTS message_search",)


def ddl(dialect: str) -> tuple[str, ...]:
    return SQLITE_DDL if dialect == "sqlite" else PG_DDL


after_create(Message.__table__, "sqlite", SQLITE_DDL)  # type: ignore[arg-type]
after_create(Message.__table__, "postgresql", PG_DDL)  # type: ignore[arg-type]


def is_search_object(name: str | None) -> bool:
    """The search's own objects (outside the metadata): an FTS5 table and its shadow
    tables, the GIN index."""
    return bool(name) and str(name).startswith(INDEX)
