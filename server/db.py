"""The database: engine, sessions, migrations and the write transaction."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Set by server.eventlog.append; read here after the commit (kept here to avoid a cycle).
COMMITTED_COMPANIES = "linedesk.event_companies"
MIGRATIONS = Path(__file__).with_name("migrations")
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


class BadDatabaseUrl(ValueError):
    """The --db URL names no database this server can use."""


def parse_url(raw: str) -> URL:
    """Accept ``sqlite:///file`` / ``postgresql://…`` and their async spellings."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise BadDatabaseUrl(f"not a database URL: {raw!r}") from exc
    backend = url.get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise BadDatabaseUrl(f"unsupported database {backend!r} (use sqlite or postgresql)")
    url = url.set(drivername=ASYNC_DRIVERS[backend])
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise BadDatabaseUrl("SQLite needs a file: sqlite:///path/to/linedesk.db")
    return url


class Database:
    """One engine and its session factory; writes go through :meth:`write`."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {}
        if self.is_sqlite:
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer; serializing in-process avoids SQLITE_BUSY on lock upgrade.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.on_events_committed: Callable[[set[int]], None] | None = None

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on any error."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_lock is not None:
                await stack.enter_async_context(self._write_lock)
            session = await stack.enter_async_context(self.sessions())
            async with session.begin():
                yield session
            companies = session.info.pop(COMMITTED_COMPANIES, None)
            if companies and self.on_events_committed is not None:
                self.on_events_committed(companies)

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def close(self) -> None:
        await self.engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
