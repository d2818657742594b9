"""Alembic builds the schema of server/core/models.py exactly, on both databases; a fresh
database (``create_all`` + the head revision stamped) ends up the same as a migrated one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from server.chats.search import is_search_object
from server.clients.search import is_index_object
from server.core import db as dbmod
from server.core.db import Database, head_revisions, parse_url
from server.core.models import Chat, ClientUser, Company, Line, Specialist, Ticket, TicketState
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


def _to(target: str, down: bool = False) -> Callable[[Connection], None]:
    def upgrade(connection: Connection) -> None:
        from alembic import command

        config = dbmod.alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    return upgrade


async def test_ticket_loads_are_counted_from_the_tickets_already_there(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    """Migration 0022 on a database with tickets: each specialist's kept open tickets are
    what is there (held and open; closed and queued ones do not count), and the triggers
    keep them from then on."""
    db = Database(parse_url(empty_url(backend, tmp_path, "loads", request)))
    opened = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    tickets = [  # (holder, state): two open of 1's, one closed and one open of 2's, a queued one
        (1, TicketState.OPEN),
        (1, TicketState.OPEN),
        (2, TicketState.CLOSED),
        (None, TicketState.OPEN),
        (2, TicketState.OPEN),
    ]
    rows = (
        insert(Company).values([{"id": 1, "name": "S", "serving": True}, {"id": 2, "name": "C"}]),
        insert(Line).values(id=1, company_id=1, name="L", public_name="L"),
        insert(Specialist).values(
            [{"id": i, "company_id": 1, "login": f"s{i}"} for i in (1, 2, 3)]
        ),
        insert(ClientUser).values(id=1, company_id=2, login="u"),
        insert(Chat).values(id=1, line_id=1, user_id=1),
        insert(Ticket).values(
            [
                {"id": n, "chat_id": 1, "line_id": 1, "user_id": 1, "specialist_id": holder}
                | {"state": state, "opened_at": opened}
                for n, (holder, state) in enumerate(tickets, 1)
            ]
        ),
    )
    loads = "SELECT specialist_id, open_tickets FROM ticket_loads WHERE open_tickets <> 0"
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_to("0021"))
            for statement in rows:
                await connection.execute(statement)
            await connection.run_sync(_to("head"))
            assert sorted((await connection.exec_driver_sql(loads)).all()) == [(1, 2), (2, 1)]
            # then kept: a move, a finish, a queued one taken, a new one
            await connection.exec_driver_sql("UPDATE tickets SET specialist_id = 3 WHERE id = 1")
            await connection.exec_driver_sql("UPDATE tickets SET state = 'closed' WHERE id = 5")
            await connection.exec_driver_sql("UPDATE tickets SET specialist_id = 2 WHERE id = 4")
            await connection.execute(
                insert(Ticket).values(id=6, chat_id=1, line_id=1, user_id=1, specialist_id=3)
            )
            assert sorted((await connection.exec_driver_sql(loads)).all()) == [
                (1, 1),
                (2, 1),
                (3, 2),
            ]
    finally:
        await db.close()


async def test_disconnections_come_and_go_with_migration_0023(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    """Migration 0023 on a database with a line, a specialist and a user: a disconnection is
    kept (one per line and user), and a downgrade to 0022 takes the table away."""
    db = Database(parse_url(empty_url(backend, tmp_path, "disconnections", request)))
    rows = (
        insert(Company).values([{"id": 1, "name": "S", "serving": True}, {"id": 2, "name": "C"}]),
        insert(Line).values(id=1, company_id=1, name="L", public_name="L"),
        insert(Specialist).values(id=1, company_id=1, login="s1"),
        insert(ClientUser).values(id=1, company_id=2, login="u"),
    )
    ban = (
        "INSERT INTO line_disconnections (line_id, user_id, by_id, at, reason)"
        " VALUES (1, 1, 1, '2026-12-06 08:00:00', 'повторное нарушение')"
    )
    tables = "SELECT count(*) FROM line_disconnections"

    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_to("0022"))
            for statement in rows:
                await connection.execute(statement)
            await connection.run_sync(_to("head"))
            await connection.exec_driver_sql(ban)
            assert (await connection.exec_driver_sql(tables)).scalar() == 1
        with pytest.raises(IntegrityError):
            async with db.engine.begin() as connection:
                await connection.exec_driver_sql(ban)
        async with db.engine.begin() as connection:
            await connection.run_sync(_to("0022", down=True))
            assert await connection.run_sync(revision) == {"0022"}
            await connection.exec_driver_sql("SELECT count(*) FROM lines")  # the rest is there
    finally:
        await db.close()
