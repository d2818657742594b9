"""The per-company event log: written in the transaction of the change, read by seq."""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, delete, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from server.core.db import COMMITTED_COMPANIES
from server.core.models import Event, EventCounter, Line, LineUser, utcnow
from server.core.present import iso
from server.events.audience import lines_of

NOTIFY_CHANNEL = "linedesk_events"


def text_frame(payload: str) -> bytes:
    """``payload`` as one unmasked, uncompressed WebSocket text frame (RFC 6455 5.2): what a
    server sends, byte for byte the same for every recipient, so it is built once."""
    data = payload.encode()
    size = len(data)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + data


@dataclass(frozen=True, slots=True)
class LogEvent:
    """An event as read from the log, with its wire frame built once. ``lines``: every line
    it concerns (``line_id`` and the others it also concerns), what the audience rule reads."""

    company_id: int
    seq: int
    kind: str
    line_id: int | None
    chat_id: int | None
    user_id: int | None
    lines: frozenset[int]
    frame: str
    wire: bytes  # ``frame`` as a WebSocket text frame
    audience: frozenset[str] | None = None  # the only accounts that see it (a group's)
    hidden_from: None = None  # nobody: an event reaches its author's streams too

    @classmethod
    def build(
        cls,
        company_id: int,
        seq: int,
        kind: str,
        line_id: int | None,
        chat_id: int | None,
        user_id: int | None,
        also_line_ids: list[int] | None,
        audience: list[str] | None,
        created_at: dt.datetime,
        data: str,
    ) -> LogEvent:
        head = json.dumps(
            {
                "type": "event",
                "seq": seq,
                "kind": kind,
                "line_id": line_id,
                "chat_id": chat_id,
                "user_id": user_id,
                "at": iso(created_at),
            },
            ensure_ascii=False,
        )
        frame = head[:-1] + ', "data": ' + data + "}"
        lines = lines_of(line_id, also_line_ids)
        return cls(
            company_id,
            seq,
            kind,
            line_id,
            chat_id,
            user_id,
            lines,
            frame,
            text_frame(frame),
            None if audience is None else frozenset(audience),
        )


async def append(
    session: AsyncSession,
    company_id: int,
    kind: str,
    data: dict[str, Any],
    *,
    line_id: int | None = None,
    chat_id: int | None = None,
    user_id: int | None = None,
    also_line_ids: Collection[int] = (),
    audience: Collection[str] | None = None,
) -> None:
    await session.run_sync(
        lambda sync: append_sync(
            sync,
            company_id,
            kind,
            data,
            line_id=line_id,
            chat_id=chat_id,
            user_id=user_id,
            also_line_ids=also_line_ids,
            audience=audience,
        )
    )


def append_sync(
    session: Session,
    company_id: int,
    kind: str,
    data: dict[str, Any],
    *,
    line_id: int | None = None,
    chat_id: int | None = None,
    user_id: int | None = None,
    also_line_ids: Collection[int] = (),
    audience: Collection[str] | None = None,
) -> None:
    """Add an event to this transaction. ``line_id`` is the line it is about (sent with it);
    ``also_line_ids`` the other lines it concerns, whose specialists see it too;
    ``audience`` (a group's members, "kind:id"), if given, the only accounts that see it.

    Its seq is given at commit (:func:`_write_staged`): the company's counter row, bumped
    and locked until the commit, serializes the writers of a company, so the lock is taken
    by the transaction's last statement and held for one round trip, not for the rest of
    the transaction (on PostgreSQL it was held across every statement after the append,
    each one waiting for a busy event loop: the stall of docs/benchmarks.md)."""
    also = sorted(set(also_line_ids) - {line_id})
    staged: dict[int, list[dict[str, Any]]] = session.info.setdefault(STAGED, {})
    staged.setdefault(company_id, []).append(
        {
            "kind": kind,
            "line_id": line_id,
            "chat_id": chat_id,
            "user_id": user_id,
            "also_line_ids": also or None,
            "audience": None if audience is None else sorted(audience),
            "created_at": utcnow(),
            "data": json.dumps(data, ensure_ascii=False),
        }
    )
    session.info.setdefault(COMMITTED_COMPANIES, set()).add(company_id)


STAGED = "linedesk.staged_events"


@event.listens_for(Session, "before_commit")
def _write_staged(session: Session) -> None:
    """The staged events, written last: everything else is flushed first, then one
    statement per company (in company order, so two writers never wait on each other's
    counters crosswise) bumps the counter, inserts the events and, on PostgreSQL, rings the
    doorbell (NOTIFY is delivered at commit)."""
    staged: dict[int, list[dict[str, Any]]] | None = session.info.pop(STAGED, None)
    if not staged:
        return
    session.flush()
    postgres = session.get_bind().dialect.name == "postgresql"
    for company_id in sorted(staged):
        rows = staged[company_id]
        if postgres:
            session.execute(*_append_pg(company_id, rows))
        else:
            last = _bump(session, company_id, len(rows))
            first = last - len(rows) + 1
            session.execute(
                insert(Event),
                [{"company_id": company_id, "seq": first + i, **row} for i, row in enumerate(rows)],
            )


@event.listens_for(Session, "after_soft_rollback")
def _drop_staged(session: Session, _previous: Any) -> None:
    session.info.pop(STAGED, None)


def _append_pg(company_id: int, rows: list[dict[str, Any]]) -> tuple[TextClause, dict[str, Any]]:
    """Bump, insert and NOTIFY as one statement (data-modifying CTEs run once, whether or
    not the query reads them): the counter's row lock is then held from this statement to
    the COMMIT that follows it. One text for any number of events (their columns as arrays,
    unnested): compiled once, not built and compiled again for every send."""
    at = [row["created_at"].astimezone(dt.UTC).replace(tzinfo=None) for row in rows]
    return _APPEND_PG, {
        "company_id": company_id,
        "n": len(rows),
        "kinds": [row["kind"] for row in rows],
        "line_ids": [row["line_id"] for row in rows],
        "chat_ids": [row["chat_id"] for row in rows],
        "user_ids": [row["user_id"] for row in rows],
        "also": [_json_or_null(row["also_line_ids"]) for row in rows],
        "audience": [_json_or_null(row["audience"]) for row in rows],
        "created": at,
        "data": [row["data"] for row in rows],
        "channel": NOTIFY_CHANNEL,
        "prefix": f"{company_id}:",
    }


def _json_or_null(value: list[Any] | None) -> str | None:
    return None if value is None else json.dumps(value)


_APPEND_PG = text(
    """
WITH bumped AS (
    INSERT INTO event_counters (company_id, head)
    VALUES (CAST(:company_id AS INTEGER), CAST(:n AS BIGINT))
    ON CONFLICT (company_id) DO UPDATE SET head = event_counters.head + CAST(:n AS BIGINT)
    RETURNING head
), written AS (
    INSERT INTO events (company_id, seq, kind, line_id, chat_id, user_id, also_line_ids,
                        audience, created_at, data)
    SELECT CAST(:company_id AS INTEGER), bumped.head - CAST(:n AS BIGINT) + r.ord, r.kind,
           r.line_id, r.chat_id, r.user_id, CAST(r.also AS JSON), CAST(r.audience AS JSON),
           r.created_at, r.data
    FROM bumped, unnest(
        CAST(:kinds AS VARCHAR[]), CAST(:line_ids AS INTEGER[]), CAST(:chat_ids AS INTEGER[]),
        CAST(:user_ids AS INTEGER[]), CAST(:also AS TEXT[]), CAST(:audience AS TEXT[]),
        CAST(:created AS TIMESTAMP[]), CAST(:data AS TEXT[])
    ) WITH ORDINALITY AS r(kind, line_id, chat_id, user_id, also, audience, created_at, data, ord)
)
SELECT pg_notify(CAST(:channel AS TEXT), CAST(:prefix AS TEXT) || CAST(bumped.head AS TEXT))
FROM bumped
"""
)


async def user_rows_updated(session: AsyncSession, changes: Mapping[int, dict[str, Any]]) -> None:
    """``user.updated`` for client-user rows whose UserRow fields changed: ``changes`` maps a
    user id to those fields. One event per line the user is a user of, scoped to that line
    and user, in the log of the company serving the line."""
    if not changes:
        return
    rows = await session.execute(
        select(Line.company_id, LineUser.line_id, LineUser.user_id)
        .join(Line, Line.id == LineUser.line_id)
        .where(LineUser.user_id.in_(list(changes)))
        .order_by(LineUser.line_id, LineUser.user_id)
    )
    for company_id, line_id, user_id in rows:
        await append(
            session,
            company_id,
            "user.updated",
            {"id": user_id, **changes[user_id]},
            line_id=line_id,
            user_id=user_id,
        )


def _bump_statement(dialect: str, company_id: int, n: int) -> ReturningInsert[Any]:
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert_(EventCounter)
        .values(company_id=company_id, head=n)
        .on_conflict_do_update(
            index_elements=[EventCounter.company_id], set_={"head": EventCounter.head + n}
        )
        .returning(EventCounter.head)
    )


def _bump(session: Session, company_id: int, n: int) -> int:
    """The counter moved on by ``n``; its new head."""
    statement = _bump_statement(session.get_bind().dialect.name, company_id, n)
    return int(session.execute(statement).scalar_one())


async def head(session: AsyncSession, company_id: int) -> int:
    value = await session.scalar(
        select(EventCounter.head).where(EventCounter.company_id == company_id)
    )
    return int(value or 0)


async def oldest(session: AsyncSession, company_id: int, log_head: int) -> int:
    """The lowest seq still kept (``head + 1`` when the log is empty)."""
    value = await session.scalar(select(func.min(Event.seq)).where(Event.company_id == company_id))
    return int(value) if value is not None else log_head + 1


async def read_after(
    session: AsyncSession, company_id: int, after: int, limit: int
) -> list[LogEvent]:
    return await session.run_sync(lambda sync: read_after_sync(sync, company_id, after, limit))


def read_after_sync(session: Session, company_id: int, after: int, limit: int) -> list[LogEvent]:
    """One query; plain columns (no ORM objects: this runs once per doorbell and replay)."""
    rows = session.execute(
        select(
            Event.company_id,
            Event.seq,
            Event.kind,
            Event.line_id,
            Event.chat_id,
            Event.user_id,
            Event.also_line_ids,
            Event.audience,
            Event.created_at,
            Event.data,
        )
        .where(Event.company_id == company_id, Event.seq > after)
        .order_by(Event.seq)
        .limit(limit)
    )
    return [LogEvent.build(*tuple(row)) for row in rows]


async def prune(session: AsyncSession, keep: int) -> None:
    """Drop events older than the newest ``keep`` of each company."""
    for company_id, log_head in await session.execute(
        select(EventCounter.company_id, EventCounter.head)
    ):
        await session.execute(
            delete(Event).where(Event.company_id == company_id, Event.seq <= log_head - keep)
        )
