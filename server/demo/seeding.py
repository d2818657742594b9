"""``--seed``: fill an empty database with the demo data set, once."""

from __future__ import annotations

import logging

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.core.db import Database
from server.core.models import Company

log = logging.getLogger(__name__)


async def seed_once(db: Database, size: str) -> bool:
    """Seed unless the database already holds companies (a restart stays fast); True when
    this call seeded.

    One write transaction (``Database.transact``: on SQLite whole in the writer thread with
    the synchronous driver; the seed's data is written by Core executemany statements)."""
    from server.demo.seed import seed_sync  # imported late: only a first start needs it

    def body(session: Session) -> bool:
        if session.scalar(select(Company.id).limit(1)) is not None:
            return False
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
