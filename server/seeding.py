"""``--seed``: fill an empty database with the demo data set, once."""

from __future__ import annotations

import logging

from sqlalchemy import select

from server import derived
from server.db import Database
from server.models import Company

log = logging.getLogger(__name__)


async def seed_once(db: Database, size: str) -> None:
    """Seed unless the database already holds companies (a restart stays fast)."""
    from server.demo.seed import seed  # imported late: only a first start needs it

    async with db.write() as session:
        if await session.scalar(select(Company.id).limit(1)) is not None:
            return
        log.info("seeding %s data", size)
        await seed(session, size)
        await session.flush()
        await derived.rebuild(session)  # whatever bulk inserts left underived
