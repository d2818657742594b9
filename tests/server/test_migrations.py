"""Alembic builds the schema of server/core/models.py exactly, on both databases; a fresh
database (``create_all`` + the head revision stamped) ends up the same as a migrated one."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from server.chats.search import is_search_object
from server.clients.search import is_index_object
from server.core import db as dbmod
from server.core.db import Database, head_revisions, parse_url
from server.models import Base
from tests.conftest import Postgres

pytestmark = pytest.mark.server


def differences(connection: Connection) -> list[object]:
    # the chat search's FTS5 table / GIN expression index (server/chats/search.py, migration
    # 0006) and the user search's FTS5 table / GIN trigram index (server/clients/search.py,
    # migration 0021) are outside the metadata: made by DDL events, not compared
    options = {
        "include_name": lambda name, _type, _parents: (
            not (is_search_object(name) or is_index_object(name))
        ),
    }
    context = MigrationContext.configure(connection, opts=options)
    return list(compare_metadata(context, Base.metadata))


def revision(connection: Connection) -> set[str]:
    return set(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def empty_url(backend: str, tmp_path: object, name: str, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/{name}.db"
    postgres: Postgres = request.getfixturevalue("postgres")
    return postgres.new_database(seeded=False)


async def test_migrations_match_the_models(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    """The migrations themselves (the path of every existing database)."""
    db = Database(parse_url(empty_url(backend, tmp_path, "migrated", request)))
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(dbmod._upgrade)
        async with db.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            assert await connection.run_sync(revision) == head_revisions()
    finally:
        await db.close()


async def test_a_fresh_database_gets_the_migrated_schema(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    """`migrate` on an empty database (create_all + stamp): what Alembic would have built,
    at the head revision, and a second `migrate` has nothing to do."""
    db = Database(parse_url(empty_url(backend, tmp_path, "fresh", request)))
    try:
        await db.migrate()
        async with db.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            assert await connection.run_sync(revision) == head_revisions()
            assert await connection.run_sync(dbmod._at_head)
        await db.migrate()
    finally:
        await db.close()
