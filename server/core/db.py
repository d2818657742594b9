"""The database: engine, sessions, migrations and the write transaction."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker

# the features' own tables, on the shared Base (create_all and the migrations' check see them)
import server.clients.models
import server.groups.models  # noqa: F401
from server.core.sideloop import SideLoop

if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")
log = logging.getLogger(__name__)

# Set by server.events.log.append; read here after the commit (kept here to avoid a cycle).
COMMITTED_COMPANIES = "linedesk.event_companies"
# Set by server.tickets.routing on PostgreSQL: the queues looked at again after the commit,
# as (line, specialist) — a ticket queued (anyone), a place freed (theirs): tickets/wake.py.
WAKE_LINES = "linedesk.wake_lines"
SIDE_POOL = 10  # PostgreSQL: connections a process keeps for writes, and as many for reads
# The array types the statements send (asyncpg asks each new connection about an array type
# the first time a statement uses it: the same cold catalog query; Database.warm).
_ARRAY_TYPES = (
    "SELECT CAST(NULL AS INTEGER[]), CAST(NULL AS TEXT[]), CAST(NULL AS VARCHAR[]),"
    " CAST(NULL AS TIMESTAMP[])"
)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
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


class DatabaseUnavailable(Exception):
    """PostgreSQL gave no connection — refused (a restart, a failover, an administrator),
    unreachable, or every pooled one busy past the pool's wait: nothing was done, the same
    request may be sent again (503 with Retry-After, server/core/problems.py)."""


async def _connected(session: AsyncSession) -> None:
    """Take the session's connection now, so a database that gives none is told apart
    from a failure of the work itself (the first statement would take it otherwise)."""
    try:
        await session.connection()
    except (DBAPIError, OSError, PoolTimeout) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseUnavailable(reason) from exc


class Database:
    """One engine and its session factory; writes go through :meth:`write`."""

    def __init__(self, url: URL) -> None:
        # Every feature's schema hooks before the first connection: the chat search's SQLite
        # function is registered on each new connection by server.chats.search, and a
        # connection opened before that import never gets it (its triggers then fail with
        # "no such function: linedesk_stems" — the demo seed on a fresh database did).
        import server.models  # noqa: F401

        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {}
        if self.is_sqlite:
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=5, max_overflow=15)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            _drop_dead_on_checkout(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer; serializing in-process avoids SQLITE_BUSY on lock upgrade.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        # What a committed transaction leaves to be done after it, by its session.info key
        # (COMMITTED_COMPANIES: the events' doorbell; WAKE_LINES: the queue's wake-up);
        # each handler gets the set the transaction gathered there.
        self.after_commit: dict[str, Callable[[set[Any]], None]] = {}
        # SQLite: hot write transactions run whole in one writer thread (see transact).
        self._sync_engine: Engine | None = None
        self._sync_sessions: sessionmaker[Session] | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._reader: ThreadPoolExecutor | None = None
        if self.is_sqlite:
            self._sync_engine = create_engine(
                url.set(drivername="sqlite"),
                connect_args={"timeout": 30, "check_same_thread": False},
            )
            event.listen(self._sync_engine, "connect", _sqlite_pragmas)
            self._sync_sessions = sessionmaker(self._sync_engine, expire_on_commit=False)
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
            self._reader = ThreadPoolExecutor(2, thread_name_prefix="sqlite-reader")
        # PostgreSQL: transact/query run on a loop of their own with their own pools (see
        # transact); engines are lazy, so a Database that never transacts opens nothing there.
        self._side: SideLoop | None = None
        if not self.is_sqlite:
            self._side = SideLoop("postgres-io")
            # LIFO: the connections used last serve next, so a quiet spell keeps traffic on
            # a few warm backends; a connection's first use of each statement is a Parse
            # round trip (asyncpg prepares it; SQLAlchemy caches it per connection) — 70 to
            # 100 of them in the delivery benchmark's first second, against 30 to 60 so.
            # No overflow: an overflow connection is closed when it is given back, so a burst
            # opened and closed them over and over, each a new backend (connect, sign-in, its
            # statements prepared again): 43 connections in the 188-ticket burst, 24 without.
            writes = create_async_engine(
                url, pool_size=SIDE_POOL, max_overflow=0, pool_use_lifo=True
            )
            reads = create_async_engine(
                url, pool_size=SIDE_POOL, max_overflow=0, pool_use_lifo=True
            )
            self._side_engines = (writes, reads)
            for engine in self._side_engines:
                _drop_dead_on_checkout(engine)
            self._side_writes = async_sessionmaker(writes, expire_on_commit=False)
            self._side_reads = async_sessionmaker(reads, expire_on_commit=False)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            if not self.is_sqlite:
                await _connected(session)
            yield session

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on any error."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_lock is not None:
                await stack.enter_async_context(self._write_lock)
            session = await stack.enter_async_context(self.sessions())
            async with session.begin():
                if not self.is_sqlite:
                    await _connected(session)
                yield session
            self._committed(session.info)

    async def transact(self, body: Callable[[Session], T]) -> T:
        """``body(session)`` as one write transaction, committed unless it raises.

        On SQLite the whole transaction runs in the writer thread: one hand-over instead of
        ~3 event-loop round trips per statement (aiosqlite), so the write lock is held for
        the SQL alone, not for every other task the loop runs meanwhile.

        On PostgreSQL it runs on the side loop (its own thread, asyncio, asyncpg) with a pool
        of its own: each statement's round trip then waits for that quiet loop, not for the
        main loop's fan-out and requests. A transaction holds its chat's row lock and the
        company's event counter lock until it commits; paced by a busy main loop (≈10
        statements × up to 60 ms of loop lag) those locks were held for hundreds of ms,
        sends of both processes queued behind them, held every pooled connection while they
        waited and starved the tails' reads: seconds of delay (docs/benchmarks.md)."""
        if self._side is not None:
            done = asyncio.wrap_future(self._side.submit(self._transact_side(body)))
            done.add_done_callback(self._rang)  # rings even if the caller was cancelled
            try:
                result, _info = await asyncio.shield(done)
            finally:
                if not done.done():  # cancelled: the transaction finishes (or fails) whole
                    await asyncio.wait([done])
            return result
        if self._writer is None:
            async with self.write() as session:
                return await session.run_sync(body)
        assert self._write_lock is not None
        async with self._write_lock:
            done = asyncio.wrap_future(self._writer.submit(self._transact_sync, body))
            done.add_done_callback(self._rang)  # rings even if the caller was cancelled
            try:
                result, _info = await asyncio.shield(done)
            finally:
                if not done.done():  # cancelled: keep the lock until the thread is done
                    await asyncio.wait([done])
        return result

    async def _transact_side(self, body: Callable[[Session], T]) -> tuple[T, dict[Any, Any]]:
        async with self._side_writes() as session:
            async with session.begin():
                await _connected(session)
                result = await session.run_sync(body)
            return result, dict(session.info)

    async def _query_side(self, body: Callable[[Session], T]) -> T:
        async with self._side_reads() as session:
            await _connected(session)
            return await session.run_sync(body)

    async def query(self, body: Callable[[Session], T]) -> T:
        """``body(session)`` reading only; on SQLite whole in a reader thread (one hand-over,
        as in :meth:`transact`; on PostgreSQL on the side loop, with its own small pool, so a
        tail's read of the log never waits for the main loop or for writers' connections)."""
        if self._side is not None:
            return await self._side.run(self._query_side(body))
        if self._reader is None:
            async with self.read() as session:
                return await session.run_sync(body)
        return await asyncio.wrap_future(self._reader.submit(self._query_sync, body))

    async def warm(self) -> None:
        """PostgreSQL: open the side loop's pools whole before the first request, each
        connection told the array types the statements send. A new connection costs both
        sides CPU — PostgreSQL starts a backend; asyncpg asks it about the JSON types and,
        at the first statement with each, the array types (a recursive catalog query,
        planned cold: 10–30 ms of PostgreSQL's CPU each time) — and a burst right after a
        start (a restart in working hours) paid for 20 connections and 40 such questions
        (docs/benchmarks.md).
        A database that gives fewer connections is no reason not to start: said, and the
        pools open connections when asked, as they would without this."""
        if self._side is not None:
            await self._side.run(self._warm_side())

    async def _warm_side(self) -> None:
        async def held(engine: AsyncEngine, everyone: asyncio.Barrier) -> None:
            try:
                async with engine.connect() as connection:
                    await everyone.wait()  # all open at once: the pool makes each of them
                    await connection.exec_driver_sql(_ARRAY_TYPES)
            except BaseException:
                await everyone.abort()  # (the others stop waiting and give theirs back)
                raise

        for engine in self._side_engines:
            everyone = asyncio.Barrier(SIDE_POOL)
            opened = await asyncio.gather(
                *(held(engine, everyone) for _ in range(SIDE_POOL)), return_exceptions=True
            )
            failed = [e for e in opened if isinstance(e, Exception)]
            if failed:  # those opened are closed: held idle, they would starve the other pool
                log.warning("PostgreSQL pool not opened whole at start: %s", failed[0])
                await engine.dispose()

    async def _dispose_side(self) -> None:
        for engine in self._side_engines:
            await engine.dispose()

    def _query_sync(self, body: Callable[[Session], T]) -> T:
        assert self._sync_sessions is not None
        with self._sync_sessions() as session:
            return body(session)

    def _transact_sync(self, body: Callable[[Session], T]) -> tuple[T, dict[Any, Any]]:
        assert self._sync_sessions is not None
        with self._sync_sessions() as session:
            with session.begin():
                result = body(session)
            return result, dict(session.info)

    def _rang(self, done: asyncio.Future[tuple[Any, dict[Any, Any]]]) -> None:
        if not done.cancelled() and done.exception() is None:
            self._committed(done.result()[1])

    def _committed(self, info: dict[Any, Any]) -> None:
        for key, handler in self.after_commit.items():
            gathered = info.pop(key, None)
            if gathered:
                try:  # committed already: one handler's failure stops neither the others
                    handler(gathered)  # nor the request's answer
                except Exception:
                    log.exception("after a commit: %s", key)

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision. A schema already there costs one
        query: Alembic (≈50 ms to import) is loaded only when there is something to do.
        An empty database (a first start) gets the models' schema at once and the head
        revision stamped (:func:`_create_fresh`), in the same transaction; a database with
        tables is upgraded by Alembic's migrations."""
        async with self.engine.begin() as connection:
            if not await connection.run_sync(_at_head):
                await connection.run_sync(_create_or_upgrade)

    async def close(self) -> None:
        await self.engine.dispose()
        if self._side is not None:
            await asyncio.to_thread(self._side.close, self._dispose_side())
        for pool in (self._writer, self._reader):
            if pool is not None:
                pool.shutdown(wait=True)
        if self._sync_engine is not None:
            self._sync_engine.dispose()


def head_revisions() -> set[str]:
    """The newest revisions in migrations/versions, read from the files' `revision` and
    `down_revision` lines (empty when they cannot be read: then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("[!_]*.py"):
        text = path.read_text(encoding="utf-8")
        own = re.search(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", text, re.M)
        down = re.search(r"^down_revision\b[^=]*=(.*)$", text, re.M)
        if own is None or down is None:
            return set()
        revisions.add(own.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return revisions - parents


def _at_head(connection: Connection) -> bool:
    """True when the database's Alembic revision is the newest one."""
    heads = head_revisions()
    if not heads or not inspect(connection).has_table("alembic_version"):
        return False
    current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
    return set(current) == heads


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _create_or_upgrade(connection: Connection) -> None:
    heads = head_revisions()
    if len(heads) == 1 and not inspect(connection).get_table_names():
        _create_fresh(connection, heads.pop())
    else:
        _upgrade(connection)


def _create_fresh(connection: Connection, head: str) -> None:
    """An empty database: ``create_all`` the models (what the migrations build, checked by
    tests/server/test_migrations.py) and stamp ``head`` as Alembic does (``alembic_version``
    with its primary key ``alembic_version_pkc``), without importing Alembic (≈80 ms)."""
    from server.models import Base  # every feature's tables, not only the core's

    Base.metadata.create_all(connection)
    connection.exec_driver_sql(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    )
    connection.execute(
        text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head}
    )


def _upgrade(connection: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _drop_dead_on_checkout(engine: AsyncEngine) -> None:
    """A pooled PostgreSQL connection whose server end is gone (a restart, an administrator's
    ``pg_terminate_backend``, an idle timeout) is replaced before it is handed out.

    asyncpg sees the backend's goodbye and the closed socket on its loop as they come, so
    this costs no round trip. SQLAlchemy's ``pool_pre_ping`` would ask the server instead:
    through asyncpg that is BEGIN, ``;`` and ROLLBACK on every checkout — six of the ≈29
    round trips of a ticket-opening send (docs/benchmarks.md, issue 9)."""

    def alive(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_connection._connection.is_closed():
            raise DisconnectionError("the PostgreSQL connection was closed")  # the pool retries

    event.listen(engine.sync_engine, "checkout", alive)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
