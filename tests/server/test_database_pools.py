"""PostgreSQL: a server process opens its pools whole at start (Database.warm), so a burst
right after a start does not pay for new backends; a database that gives fewer connections
does not stop the start."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.core.db import SIDE_POOL, Database, parse_url
from tests.conftest import Postgres

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def _backends(postgres: Postgres, database: str, role: str = "postgres") -> int:
    return int(
        postgres.sql(
            "SELECT count(*) FROM pg_stat_activity"
            f" WHERE datname = '{database}' AND usename = '{role}'"
        )
    )


def _one(session: Session) -> Any:
    return session.execute(text("SELECT 1")).scalar()


async def test_the_pools_are_open_whole_after_the_start(postgres: Postgres) -> None:
    url = postgres.new_database(seeded=False)
    database = url.rsplit("/", 1)[1]
    db = Database(parse_url(url))
    try:
        await db.warm()
        assert _backends(postgres, database) == 2 * SIDE_POOL  # writes and reads
        assert await db.transact(_one) == 1
        assert await db.query(_one) == 1
        assert _backends(postgres, database) == 2 * SIDE_POOL  # the same ones, none more
    finally:
        await db.close()


async def test_a_database_with_fewer_connections_still_serves(
    postgres: Postgres, caplog: pytest.LogCaptureFixture
) -> None:
    url = postgres.new_database(seeded=False)
    database = url.rsplit("/", 1)[1]
    role = f"few_{uuid.uuid4().hex[:8]}"
    postgres.sql(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 4")
    db = Database(parse_url(url.replace("postgres@", f"{role}@")))
    try:
        with caplog.at_level(logging.WARNING, logger="server.core.db"):
            await db.warm()  # returns: neither pool could open its ten
        assert "not opened whole" in caplog.text
        assert _backends(postgres, database, role) <= 4
        assert await db.transact(_one) == 1
        assert await db.query(_one) == 1
    finally:
        await db.close()
        postgres.sql(f"DROP ROLE {role}")
