"""``--seed``: fill an empty database with the demo data set, once."""

from __future__ import annotations

import logging

from sqlalchemy import select
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

    return await db.transact(body)
