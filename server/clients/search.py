"""Search of a line's users (``GET /lines/{id}/users?q=``): the index, and how a query runs.

What matches is unchanged: ``q`` folded (:func:`server.core.derived.fold`: lower case, ё as
е) is a substring of the user's ``search_text`` (full name, login, e-mail, company name and
INNs, folded alike) — ``LIKE '%q%'`` with ``%``, ``_`` and ``\\`` escaped. Every query keeps
that ``LIKE``; an index only narrows the candidates it is checked on, so the rows, their
order and the page are what a scan would give.

* **SQLite**: an FTS5 table ``user_search`` with the ``trigram`` tokenizer (case-sensitive:
  the text is folded already) over ``client_users.search_text`` and two newlines
  (contentless: the text is not stored twice), kept in step by triggers on
  ``client_users`` — the ORM's writes and the demo's bulk ``UPDATE`` of ``search_text``
  alike; ``user_search_terms`` (fts5vocab) lists its trigrams.
* **PostgreSQL**: the ``pg_trgm`` extension and a GIN trigram index ``user_search`` on
  ``search_text``, which the planner uses for the ``LIKE`` itself.

The page is in list order (last message newest first, then the users without messages by
name) and short (``limit``), so on SQLite a query decides between two ways (:class:`Plan`):

* *narrow* — the FTS5 hits are the candidates, sorted afterwards: cost ∝ hits. A query of
  3 characters or more is a phrase of its trigrams (quoted: the user's text is never FTS5
  syntax); one of 1–2 characters is an OR of the indexed trigrams it begins (the two
  newlines make every place it stands begin one), read from ``user_search_terms``;
* *walk* — the line's users in list order (``ix_chats_line_last_message``, then
  ``ix_client_users_full_name_id``), each checked by ``LIKE``, stopping at the page's
  end: cost ∝ limit × users / hits.

Measured on the 100 000-user line (SQLite, a page of 501): a hit costs ≈ 4 µs (15 ms for
3 800), a walked row less, but a walk is slower than its estimate when the matches stand
late in list order (``см``: the Смирновы among 100 000 names, 543 hits → narrow, 6 ms;
walked, 115 ms) — so a hit is counted as 2 walked rows (HIT_COST) and a query walks when
``hits² × 2 > (limit + 1) × users``: about 5 000 hits at limit 500, where both ways take
≈ 20 ms. Short queries are not simply walked for the same reason. The line's users with
messages are walked (newest first, stopping at the page's end) whenever there are fewer of
them than the hits cost: one FTS5 pass, not two.

Neither the FTS5 table nor the GIN index is in the models' metadata: they are made by DDL
events on ``client_users`` (a fresh database's ``create_all``) and by migration ``0021``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from server.core.ddl import after_create
from server.core.derived import fold
from server.core.models import Chat, ClientUser, LineUser

INDEX = "user_search"
HIT_COST = 2
"""What one FTS5 hit (fetched, joined, sorted) is counted as in rows of a walk (above)."""

# Static SQL (no value is ever formatted into it): "user_search" is INDEX. What is indexed
# is the search text and two newlines: every substring of 1–2 characters then starts a
# trigram (the last ones too), which user_search_terms (fts5vocab) lists by prefix.
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE user_search USING fts5(text, content='', "
    "tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE user_search_terms USING fts5vocab(user_search, 'row')",
    "CREATE TRIGGER user_search_insert AFTER INSERT ON client_users "
    "WHEN new.search_text IS NOT NULL BEGIN "
    "INSERT INTO user_search (rowid, text) VALUES (new.id, new.search_text || char(10, 10)); "
    "END",
    "CREATE TRIGGER user_search_delete AFTER DELETE ON client_users "
    "WHEN old.search_text IS NOT NULL BEGIN "
    "INSERT INTO user_search (user_search, rowid, text) "
    "VALUES ('delete', old.id, old.search_text || char(10, 10)); END",
    "CREATE TRIGGER user_search_update AFTER UPDATE OF search_text ON client_users BEGIN "
    "INSERT INTO user_search (user_search, rowid, text) "
    "SELECT 'delete', old.id, old.search_text || char(10, 10) "
    "WHERE old.search_text IS NOT NULL; "
    "INSERT INTO user_search (rowid, text) SELECT new.id, new.search_text || char(10, 10) "
    "WHERE new.search_text IS NOT NULL; END",
)
SQLITE_BACKFILL = (
    "INSERT INTO user_search (rowid, text) "
    "SELECT id, search_text || char(10, 10) FROM client_users WHERE search_text IS NOT NULL"
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS user_search_insert",
    "DROP TRIGGER IF EXISTS user_search_delete",
    "DROP TRIGGER IF EXISTS user_search_update",
    "DROP TABLE IF EXISTS user_search_terms",
    "DROP TABLE IF EXISTS user_search",
)
PG_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX user_search ON client_users USING gin (search_text gin_trgm_ops)",
)
# the extension stays: other objects may use it, and it costs nothing unused
PG_DROP = ("DROP INDEX IF EXISTS user_search",)


def ddl(dialect: str) -> tuple[str, ...]:
    return SQLITE_DDL if dialect == "sqlite" else PG_DDL


after_create(ClientUser.__table__, "sqlite", SQLITE_DDL)  # type: ignore[arg-type]
after_create(ClientUser.__table__, "postgresql", PG_DDL)  # type: ignore[arg-type]


def is_index_object(name: str | None) -> bool:
    """The search's own objects (outside the metadata): the FTS5 table and its shadow
    tables, the GIN index."""
    return bool(name) and str(name).startswith(INDEX)


def like_pattern(q: str) -> str:
    """``q`` folded, its LIKE wildcards and escape character escaped, between ``%``."""
    escaped = fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts5_string(text: str) -> str:
    """``text`` as one FTS5 string: inside double quotes every character is text (with
    the trigram tokenizer a phrase of its trigrams), a double quote is doubled."""
    return '"' + text.replace('"', '""') + '"'


def fts5_phrase(q: str) -> str:
    """``q`` folded, as one FTS5 string."""
    return fts5_string(fold(q))


def connected(today: dt.date) -> ColumnElement[bool]:
    return or_(LineUser.until.is_(None), LineUser.until >= today)


_SQLITE_HITS = text(
    "SELECT count(*) FROM (SELECT 1 FROM user_search WHERE user_search MATCH :phrase LIMIT :cap)"
)
# in the index's order (fts5vocab consumes ORDER BY term), a few at a time: each term's
# document count is counted as it is read
_SQLITE_TERMS = text(
    "SELECT term, doc FROM user_search_terms WHERE term > :after AND term < :below "
    "ORDER BY term LIMIT :batch"
)
# the line's users with messages, as many as walking them costs at most
_SQLITE_ACTIVE = text(
    "SELECT count(*) FROM (SELECT 1 FROM chats WHERE line_id = :line "
    "AND last_message_at IS NOT NULL LIMIT :cap)"
)
TERMS_BATCH = 8
MAX_TERMS = 64
"""A 1–2-character query with more trigrams than this (each an OR of the match) walks."""


@dataclass(frozen=True)
class Plan:
    """How one query runs: *narrow* (``match``: the FTS5 expression whose hits are the
    candidates; ``""``: there are none) or a walk in list order (``match`` None). Both
    keep the ``LIKE`` that decides what matches. ``walk_active``: the line's users with
    messages are walked even so (fewer of them than the hits cost)."""

    q: str
    sqlite: bool
    match: str | None = None
    walk_active: bool = False

    @property
    def narrow(self) -> bool:
        return self.match is not None

    def matching(self, walked: bool = False) -> ColumnElement[bool]:
        found = ClientUser.search_text.like(like_pattern(self.q), escape="\\")
        if self.match is None or walked:
            return found
        if not self.match:
            return false()
        hits = text("user_search MATCH :match").bindparams(match=self.match)
        ids = select(text("rowid")).select_from(text("user_search")).where(hits)
        return and_(ClientUser.id.in_(ids.scalar_subquery()), found)

    def active(self, line_id: int, today: dt.date) -> Select[ClientUser, dt.datetime | None]:
        """Users of the line with messages (the caller orders them newest first). A walk
        on SQLite starts from the line's chats by last message (``+ 0`` keeps the
        planner off the line_users index, which would read the whole line first)."""
        if not self.sqlite or (self.narrow and not self.walk_active):
            return users_of(line_id, today).where(self.matching())
        return (
            select(ClientUser, Chat.last_message_at)
            .select_from(Chat)
            .join(ClientUser, ClientUser.id == Chat.user_id)
            .join(
                LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id + 0 == line_id)
            )
            .where(Chat.line_id == line_id, connected(today), self.matching(walked=True))
        )

    def rest(self, line_id: int, today: dt.date) -> Select[ClientUser, dt.datetime | None]:
        """Users of the line (the caller keeps those without messages, by name). A walk on
        SQLite reads client users by name (``ix_client_users_full_name_id``)."""
        if self.narrow or not self.sqlite:
            return users_of(line_id, today).where(self.matching())
        return (
            select(ClientUser, Chat.last_message_at)
            .join(
                LineUser,
                and_(LineUser.user_id == ClientUser.id + 0, LineUser.line_id + 0 == line_id),
            )
            .outerjoin(Chat, and_(Chat.user_id == ClientUser.id, Chat.line_id == line_id))
            .where(connected(today), self.matching())
        )


def users_of(line_id: int, today: dt.date) -> Select[ClientUser, dt.datetime | None]:
    """Every user connected to the line, with their chat's last message time."""
    return (
        select(ClientUser, Chat.last_message_at)
        .join(LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id))
        .outerjoin(Chat, and_(Chat.user_id == ClientUser.id, Chat.line_id == line_id))
        .where(connected(today))
    )


async def plan(session: AsyncSession, sqlite: bool, line_id: int, q: str, limit: int) -> Plan:
    """The cheaper way for ``q`` and a page of ``limit`` rows (see the module's text)."""
    if not sqlite:
        return Plan(q, sqlite)
    users = int(await session.scalar(select(func.max(ClientUser.id))) or 0)
    cap = math.isqrt((limit + 1) * users // HIT_COST) + 1
    folded = fold(q)
    if len(folded) >= 3:
        match = fts5_string(folded)
        hits = int(await session.scalar(_SQLITE_HITS, {"phrase": match, "cap": cap}) or 0)
    else:
        terms, hits = await _terms_starting(session, folded, cap)
        match = " OR ".join(map(fts5_string, terms))
    if hits >= cap:
        return Plan(q, sqlite)
    costs = hits * HIT_COST
    active = await session.scalar(_SQLITE_ACTIVE, {"line": line_id, "cap": costs})
    return Plan(q, sqlite, match, walk_active=int(active or 0) < costs)


async def _terms_starting(session: AsyncSession, prefix: str, cap: int) -> tuple[list[str], int]:
    """The indexed trigrams that start with ``prefix`` (1–2 characters: every place it
    stands starts one, the text ends with two newlines) and how many users' texts hold
    them (at most: a text may hold several) — or ``cap`` as soon as it is that many or
    there are more than MAX_TERMS trigrams: a walk is cheaper then."""
    terms: list[str] = []
    hits = 0
    params = {"after": prefix, "below": prefix + "\U0010ffff", "batch": TERMS_BATCH}
    while True:
        rows = (await session.execute(_SQLITE_TERMS, params)).all()
        for term, documents in rows:
            terms.append(str(term))
            hits += int(documents)
        if hits >= cap or len(terms) > MAX_TERMS:
            return terms, cap
        if len(rows) < TERMS_BATCH:
            return terms, hits
        params["after"] = terms[-1]
