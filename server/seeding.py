"""``--seed``: fill an empty database with the demo data set, once."""

from __future__ import annotations

import importlib
import logging

from sqlalchemy import select

from server import derived
from server.db import Database
from server.models import Company

log = logging.getLogger(__name__)
SIZES = {"demo": "demo", "large": "large"}


class SeedUnavailable(RuntimeError):
    """The demo data module (server/demo/seed.py) is not installed."""


async def seed_once(db: Database, size: str) -> bool:
    """Seed unless the database already holds companies; True when it seeded."""
    async with db.write() as session:
        if await session.scalar(select(Company.id).limit(1)) is not None:
            return False
        try:
            module = importlib.import_module("server.demo.seed")
        except ModuleNotFoundError as exc:
            raise SeedUnavailable("demo data is not available (server/demo/seed.py)") from exc
        log.info("seeding %s data", size)
        await module.seed(session, SIZES[size])
        await session.flush()
        await derived.rebuild(session)
    return True
