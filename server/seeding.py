"""``--seed``: fill an empty database with the demo data set, once."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import Database
from server.models import Company

log = logging.getLogger(__name__)


async def seed_once(db: Database, size: str) -> None:
    """Seed unless the database already holds companies (a restart stays fast).

    One write transaction (``Database.transact``: on SQLite whole in the writer thread with
    the synchronous driver; the seed's data is written by Core executemany statements)."""
    from server.demo.seed import seed_sync  # imported late: only a first start needs it

    def body(session: Session) -> None:
        if session.scalar(select(Company.id).limit(1)) is not None:
            return
        log.info("seeding %s data", size)
        seed_sync(session, size)  # ends with server.derived.rebuild_sync

    await db.transact(body)
