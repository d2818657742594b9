"""The per-company event log: written in the transaction of the change, read by seq."""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

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
            company_id, seq, kind, line_id, chat_id, user_id, lines, frame, text_frame(frame)
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
) -> int:
    return await session.run_sync(
        lambda sync: append_sync(
            sync,
            company_id,
            kind,
            data,
            line_id=line_id,
            chat_id=chat_id,
            user_id=user_id,
            also_line_ids=also_line_ids,
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
) -> int:
    """Add an event; its seq comes from the company's counter row, bumped (and on
    PostgreSQL locked until commit) in this same transaction. ``line_id`` is the line it is
    about (sent with it); ``also_line_ids`` the other lines it concerns, whose specialists
    see it too."""
    also = sorted(set(also_line_ids) - {line_id})
    seq = _bump(session, company_id)
    session.add(
        Event(
            company_id=company_id,
            seq=seq,
            kind=kind,
            line_id=line_id,
            chat_id=chat_id,
            user_id=user_id,
            also_line_ids=also or None,
            created_at=utcnow(),
            data=json.dumps(data, ensure_ascii=False),
        )
    )
    session.info.setdefault(COMMITTED_COMPANIES, set()).add(company_id)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": f"{company_id}:{seq}"},
        )
    return seq


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


def _bump(session: Session, company_id: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(EventCounter)
        .values(company_id=company_id, head=1)
        .on_conflict_do_update(
            index_elements=[EventCounter.company_id], set_={"head": EventCounter.head + 1}
        )
        .returning(EventCounter.head)
    )
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
            Event.created_at,
            Event.data,
        )
        .where(Event.company_id == company_id, Event.seq > after)
        .order_by(Event.seq)
        .limit(limit)
    )
    return [LogEvent.build(*row) for row in rows.tuples()]


async def prune(session: AsyncSession, keep: int) -> None:
    """Drop events older than the newest ``keep`` of each company."""
    for company_id, log_head in (
        await session.execute(select(EventCounter.company_id, EventCounter.head))
    ).tuples():
        await session.execute(
            delete(Event).where(Event.company_id == company_id, Event.seq <= log_head - keep)
        )
