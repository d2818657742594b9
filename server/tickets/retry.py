"""A ticket change retried when PostgreSQL breaks a deadlock by aborting it.

Ticket changes lock rows in one order (server/tickets/routing.py), but foreign-key checks
take share locks on the rows a new row refers to, and two transactions can still meet in a
circle there (a Start work and the auto-finish sweep, both about the same specialist, seen
in tests/tickets/test_flows.py). PostgreSQL then aborts one of them whole (SQLSTATE 40P01;
nothing of it is kept), and running it again is the standard remedy: the second run sees
the first's committed outcome and decides again."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.core.db import Database

T = TypeVar("T")
log = logging.getLogger(__name__)
RETRIED = ("40P01", "40001")  # deadlock detected, serialization failure
ATTEMPTS = 4


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code is None:  # asyncpg through SQLAlchemy's adapter: the cause carries it
        code = getattr(getattr(exc.orig, "__cause__", None), "sqlstate", None)
    return code in RETRIED


async def transact(db: Database, body: Callable[[Session], T]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await db.transact(body)
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not _retryable(exc):
                raise
            log.info("a ticket change met a deadlock; run again (%d)", attempt)
            await asyncio.sleep(random.uniform(0.005, 0.05) * attempt)
    raise AssertionError("unreachable")
