"""Small steps of the ticket tests, through the API as its users would take them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Coroutine
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, Select, func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from server.core.db import parse_url
from server.core.models import EventCounter, Line, Specialist, Ticket, TicketState
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.tickets.conftest import Admin


async def line_id(demo: Api, name: str) -> int:
    lines = (await demo.get("/lines"))["items"]
    return int(next(line["id"] for line in lines if line["name"] == name))


async def rows(demo: Api, line: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "200"} | ({"cursor": cursor} if cursor else {})
        page = await demo.get(f"/lines/{line}/users", **params)
        found += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


async def set_status(api: Api, login: str, status: str) -> None:
    who = await api.as_user(login)
    reply = await who.call("PUT", "/me/status", {"status": status})
    assert reply.status == 200, reply.body


async def chat_of(user: Api, line: int) -> int:
    chats = (await user.get("/chats"))["items"]
    return int(next(c["id"] for c in chats if c["line"]["id"] == line))


async def write(user: Api, chat_id: int, text: str) -> dict[str, Any]:
    reply = await user.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text})
    assert reply.status == 201, reply.body
    return dict(reply.body)


HOURS_ZONE = "Europe/Moscow"


async def close_for_today(admin: Admin, name: str) -> int:
    """The line ``name`` closed all of today: working hours 07:00–17:00 (Moscow) on every
    day but today. Its id."""
    today = dt.datetime.now(ZoneInfo(HOURS_ZONE)).isoweekday()
    days = [d for d in range(1, 8) if d != today]
    return await admin.line(
        name, hours={"time_zone": HOURS_ZONE, "start": "07:00", "end": "17:00", "days": days}
    )


async def open_all_day(admin: Admin, name: str) -> None:
    """The line ``name`` open at every hour of every day (as the morning opens a closed one)."""
    days = list(range(1, 8))
    await admin.line(
        name, hours={"time_zone": HOURS_ZONE, "start": "00:00", "end": "24:00", "days": days}
    )


async def load(demo: Api, line: int) -> dict[str, Any]:
    return dict(await demo.get(f"/lines/{line}/load"))


def open_of(load_: dict[str, Any]) -> dict[str, int]:
    return {s["full_name"]: s["open"] for s in load_["specialists"]}


async def queue(admin: Admin, line: int) -> list[int]:
    """The line's queue as the server keeps it: open unheld tickets, oldest first."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from server.core.db import parse_url

    engine = create_async_engine(parse_url(admin.db_url))
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                select(Ticket.id)
                .where(
                    Ticket.line_id == line,
                    Ticket.state == TicketState.OPEN,
                    Ticket.specialist_id.is_(None),
                )
                .order_by(Ticket.opened_at, Ticket.id)
            )
            return [int(t) for t in found.scalars()]
    finally:
        await engine.dispose()


async def gather_limited(jobs: list[Any], limit: int = 20) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Any) -> Any:
        async with gate:
            return await job

    return await asyncio.gather(*(one(j) for j in jobs))


def specialist_lock(specialist_id: int) -> Select[Any]:
    return (
        select(Specialist.id).where(Specialist.id == specialist_id).with_for_update(key_share=True)
    )


@contextlib.asynccontextmanager
async def holding(
    deployment: Deployment, *locks: Executable, commit: bool = False
) -> AsyncIterator[None]:
    """Rows locked by a transaction of the test's own, as a server's transaction would hold
    them, until the block ends; rolled back then (``commit``: committed — an UPDATE among
    ``locks`` is then what those waiting for it find)."""
    engine = create_async_engine(parse_url(deployment.db_url))
    try:
        async with engine.connect() as held:
            await held.begin()
            for lock in locks:
                await held.execute(lock)
            yield
            await (held.commit() if commit else held.rollback())
    finally:
        await engine.dispose()


async def waiting_on_locks(
    admin: Admin, count: int, unless: asyncio.Task[Any] | None = None
) -> None:
    """Until ``count`` server transactions wait for a lock (pg_stat_activity), or ``unless``
    is done."""
    waiting = (
        select(func.count())
        .select_from(text("pg_stat_activity"))
        .where(text("wait_event_type = 'Lock'"), text("datname = current_database()"))
    )
    async with asyncio.timeout(30):  # polled: PostgreSQL tells nobody when one starts waiting
        while unless is None or not unless.done():
            if await admin.scalar(waiting) >= count:
                return
            await asyncio.sleep(0.05)


async def at_once(
    admin: Admin,
    deployment: Deployment,
    line: int,
    first: Coroutine[Any, Any, Any],
    second: Coroutine[Any, Any, Any],
) -> tuple[Any, Any]:
    """Two requests of the line's company in flight together: each held where it appends its
    events (the test locks the company's event counter) until both wait there or for each
    other — the first started before the second; their answers."""
    company = await admin.scalar(select(Line.company_id).where(Line.id == line))
    counter = select(EventCounter.head).where(EventCounter.company_id == company)
    async with holding(deployment, counter.with_for_update()):
        one = asyncio.create_task(first)
        await waiting_on_locks(admin, 1)
        two = asyncio.create_task(second)
        await waiting_on_locks(admin, 2)
    return await one, await two
