"""``--seed``: fill an empty database with the demo data set, once; the embedded demo's
own database once a day (``--reseed-stale-demo``).

The demo's dates are relative to the day it was seeded: users whose line access ends within
a month, ITS contracts ending soon, birthdays today, open tickets with this morning's
messages. A demo database kept and started again days later (the program's embedded demo
keeps ``demo.sqlite3``) showed a stale world: those accesses and contracts over, the open
tickets finished by the idle sweep as soon as it started. So, asked by the embedded demo
(``--reseed-stale-demo``, app/demo/server.py) and by it alone, a database the demo seed made
on an earlier (UTC) day is emptied and seeded again — as a new server (a new installation
id: what a client kept for the old one is not mixed in). What was done in the demo that day
goes with it. A server started with ``--seed demo`` alone (the README's first accounts of a
production database) never empties anything; nor does the embedded demo a database the demo
seed did not make (``demo_seeded_on`` NULL) or one seeded today (a restart stays fast).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.core.db import Database
from server.core.installation import demo_seeded_on
from server.core.models import Company, utcnow

log = logging.getLogger(__name__)


def stale(seeded_on: dt.date | None, today: dt.date) -> bool:
    """A demo database seeded before `today` (never one the demo seed did not make)."""
    return seeded_on is not None and seeded_on < today


def empty(session: Session) -> None:
    """Delete every row of every table (dependants first; the search indexes and the ticket
    loads follow by their triggers). The schema and its Alembic revision stay."""
    from server.models import Base  # every feature's tables

    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())


async def seed_once(db: Database, size: str, *, reseed_stale: bool = False) -> bool:
    """Seed unless the database already holds companies, or (``reseed_stale``: the program's
    embedded demo alone, ``--reseed-stale-demo``) seed again a demo database seeded on an
    earlier day; True when this call seeded. A server started with ``--seed demo`` on a
    database people work in (the README's first accounts) never empties it.

    One write transaction (``Database.transact``: on SQLite whole in the writer thread with
    the synchronous driver; the seed's data is written by Core executemany statements)."""
    from server.demo.seed import seed_sync  # imported late: only a first start needs it

    def body(session: Session) -> bool:
        if session.scalar(select(Company.id).limit(1)) is not None:
            seeded_on = demo_seeded_on(session)
            if not (reseed_stale and stale(seeded_on, utcnow().date())):
                return False
            log.info("the demo data of %s is out of date: seeding it again", seeded_on)
            empty(session)
        log.info("seeding %s data", size)
        seed_sync(session, size)  # ends with server.core.derived.rebuild_sync
        return True

    seeded = await db.transact(body)
    if seeded and not db.is_sqlite:
        # the planner's statistics of the tables just filled, now rather than when autovacuum
        # gets to them: without them a users search (server/clients/search.py) read the whole
        # 100 000-user line for a query most users match (≈ 500 ms instead of ≈ 8 ms)
        async with db.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    return seeded
