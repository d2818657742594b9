"""The outbox: own messages waiting for the server, in a local SQLite file.

A message is written here before anything is sent, so it survives a lost
connection and a restart of the program. Delivery is an idempotent
`PUT /chats/{chat}/messages/{client_msg_id}`: sending the same item twice
(e.g. the program died after the server stored it) yields the original
message, so each message reaches the server exactly once.

States: `pending` (waits / being sent) → removed once the server has it;
`failed` (a permanent 4xx; `error` says why) → `retry()` makes it pending again.
Stdlib sqlite3 on purpose: tiny, synchronous, and cheap to import.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.domain import Message
from app.core.problems import ProblemCode
from app.net.api import ApiClient, ApiError, BadRequest, ForeignReply, NotFound, Unauthorized

log = logging.getLogger("linedesk.outbox")

PENDING = "pending"
FAILED = "failed"
RETRY_FIRST_S = 1.0
RETRY_MAX_S = 30.0
"""A send that waits goes again after 2, 4, 8 … seconds, at most :data:`RETRY_MAX_S`."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_msg_id TEXT NOT NULL UNIQUE,
    account       TEXT NOT NULL,
    chat_id       INTEGER NOT NULL,
    text          TEXT NOT NULL,
    quote_id      INTEGER,
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    error         TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_account ON outbox (account, state, seq);
"""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    client_msg_id: str
    account: str
    chat_id: int
    text: str
    quote_id: int | None
    created_at: datetime
    state: str
    error: ProblemCode | None  # why it failed (state failed)
    attempts: int
    quote_text: str = ""  # the part of the quoted message quoted ("": all of it)


@dataclass(frozen=True, slots=True)
class Delivered:
    item: OutboxItem
    message: Message


@dataclass(frozen=True, slots=True)
class Failed:
    item: OutboxItem
    error: ProblemCode


Result = Delivered | Failed


class Outbox:
    """One SQLite file, shared by every account; each item belongs to `account`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(outbox)")}
        if "quote_text" not in columns:  # an outbox written before quote fragments
            self._db.execute("ALTER TABLE outbox ADD COLUMN quote_text TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        self._db.close()

    # -- storage ------------------------------------------------------------------

    def add(
        self,
        account: str,
        chat_id: int,
        text: str,
        quote_id: int | None = None,
        client_msg_id: str | None = None,
        quote_text: str = "",
    ) -> OutboxItem:
        item = OutboxItem(
            client_msg_id=client_msg_id or str(uuid.uuid4()),
            account=account,
            chat_id=chat_id,
            text=text,
            quote_id=quote_id,
            quote_text=quote_text,
            created_at=datetime.now(UTC),
            state=PENDING,
            error=None,
            attempts=0,
        )
        self._db.execute(
            "INSERT INTO outbox"
            " (client_msg_id, account, chat_id, text, quote_id, quote_text, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                item.client_msg_id,
                account,
                chat_id,
                text,
                quote_id,
                quote_text,
                item.created_at.isoformat(),
            ),
        )
        return item

    def get(self, client_msg_id: str) -> OutboxItem | None:
        row = self._db.execute(_SELECT + " WHERE client_msg_id = ?", (client_msg_id,)).fetchone()
        return None if row is None else _item(row)

    def items(self, account: str, chat_id: int | None = None) -> list[OutboxItem]:
        """Pending and failed items of an account (optionally one chat), oldest first."""
        if chat_id is None:
            rows = self._db.execute(_SELECT + " WHERE account = ? ORDER BY seq", (account,))
        else:
            rows = self._db.execute(
                _SELECT + " WHERE account = ? AND chat_id = ? ORDER BY seq",
                (account, chat_id),
            )
        return [_item(r) for r in rows]

    def pending(self, account: str) -> list[OutboxItem]:
        return [i for i in self.items(account) if i.state == PENDING]

    def rekey(self, old: str, new: str) -> None:
        """What waits under `old` (an account's key before the server had an id) is `new`'s."""
        self._db.execute("UPDATE outbox SET account = ? WHERE account = ?", (new, old))

    def remove(self, client_msg_id: str) -> None:
        self._db.execute("DELETE FROM outbox WHERE client_msg_id = ?", (client_msg_id,))

    def mark_failed(self, client_msg_id: str, error: ProblemCode) -> None:
        self._db.execute(
            "UPDATE outbox SET state = 'failed', error = ? WHERE client_msg_id = ?",
            (error.value, client_msg_id),
        )

    def retry(self, client_msg_id: str) -> OutboxItem | None:
        self._db.execute(
            "UPDATE outbox SET state = 'pending', error = '' WHERE client_msg_id = ?",
            (client_msg_id,),
        )
        return self.get(client_msg_id)

    def _attempted(self, client_msg_id: str) -> None:
        self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1 WHERE client_msg_id = ?", (client_msg_id,)
        )

    # -- delivery -------------------------------------------------------------------

    async def flush(
        self,
        api: ApiClient,
        account: str,
        on_result: Callable[[Result], Awaitable[None] | None] | None = None,
    ) -> list[Result]:
        """Send every pending item of `account`, oldest first.

        Stops at the first transient error (server unreachable, 5xx, a reply not ours) or at
        a session the server no longer knows (401), and re-raises it so the caller can wait
        and try again (after the next sign-in); order is kept.
        """
        results: list[Result] = []
        for item in self.pending(account):
            if self.get(item.client_msg_id) is None:  # delivered meanwhile (another flush)
                continue
            self._attempted(item.client_msg_id)
            t0 = time.monotonic()
            result: Result
            try:
                msg = await api.put_message(
                    item.chat_id, item.client_msg_id, item.text, item.quote_id, item.quote_text
                )
            except Unauthorized:
                # the session ended, not the message: it waits for the next sign-in
                log.info("outbox: %s waits for a new session", item.client_msg_id)
                raise
            except (BadRequest, NotFound) as e:
                reason = _reason(e)
                log.warning("outbox: %s rejected: %s", item.client_msg_id, e)
                self.mark_failed(item.client_msg_id, reason)
                result = Failed(item, reason)
            except ApiError as e:
                # a reply that is no answer of ours (a proxy's own page, a reply cut short) says
                # nothing of the message: it waits and goes again under its key, which the
                # server knows if it has it (failed, it needed a Retry by hand for each)
                if goes_again(e):
                    log.info("outbox: %s waits: %s", item.client_msg_id, e)
                    raise
                reason = _reason(e)
                self.mark_failed(item.client_msg_id, reason)
                result = Failed(item, reason)
            else:
                self.remove(item.client_msg_id)
                log.info(
                    "outbox: %s delivered as %s in %.0f ms",
                    item.client_msg_id,
                    msg.id,
                    (time.monotonic() - t0) * 1000,
                )
                result = Delivered(item, msg)
            results.append(result)
            if on_result is not None:
                r = on_result(result)
                if r is not None:
                    await r
        return results


def goes_again(e: ApiError) -> bool:
    """Whether a send that failed so is sent again under its key, as it is: the network, a
    5xx, a time-out, a reply that is no answer of ours say nothing of the message (the
    server answers a repeated key with the original). Any send by key follows this."""
    return e.transient or isinstance(e, ForeignReply)


def backoff(delay: float) -> float:
    """The wait before the next try of a send that waits, after `delay` (the policy of
    every send by key: the outbox's courier, a file's message)."""
    return min(delay * 2, RETRY_MAX_S)


def _reason(e: ApiError) -> ProblemCode:
    if isinstance(e, BadRequest):
        fields = {f for f, _ in e.errors}
        low = (e.detail + " " + " ".join(m for _, m in e.errors)).lower()
        if "text" in fields or "text" in low:
            if "long" in low or "10000" in low or "10 000" in low or "at most" in low:
                return ProblemCode.MESSAGE_TOO_LONG
            if "empty" in low or "required" in low or "at least" in low:
                return ProblemCode.MESSAGE_EMPTY
        return ProblemCode.MESSAGE_REJECTED if e.code is ProblemCode.BAD_REQUEST else e.code
    return e.code


_SELECT = (
    "SELECT client_msg_id, account, chat_id, text, quote_id, created_at, state, error, attempts,"
    " quote_text FROM outbox"
)


def _item(r: tuple[object, ...]) -> OutboxItem:
    return OutboxItem(
        client_msg_id=str(r[0]),
        account=str(r[1]),
        chat_id=int(r[2]),  # type: ignore[call-overload]
        text=str(r[3]),
        quote_id=None if r[4] is None else int(r[4]),  # type: ignore[call-overload]
        created_at=datetime.fromisoformat(str(r[5])),
        state=str(r[6]),
        error=ProblemCode.stored(str(r[7] or "")),
        attempts=int(r[8]),  # type: ignore[call-overload]
        quote_text=str(r[9] or ""),
    )
