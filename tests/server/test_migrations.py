"""Alembic builds the schema of server/models.py exactly, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from server.db import Database, parse_url
from server.models import Base
from tests.conftest import Postgres

pytestmark = pytest.mark.server


def differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_migrations_match_the_models(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/fresh.db"
    else:
        postgres: Postgres = request.getfixturevalue("postgres")
        url = postgres.new_database(seeded=False)
    db = Database(parse_url(url))
    try:
        await db.migrate()
        async with db.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await db.close()
