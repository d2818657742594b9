"""The event log's write path (issue 8): an event's seq is given at the commit, so the
company's counter — the one lock every writer of a company takes, in every server
process — is held for the transaction's last statement, not from the append on.

Before, the counter row was bumped (and locked) at the append and held across every later
statement of the transaction; on PostgreSQL each statement is a round trip through a busy
event loop, so with two processes posting 50 messages/s the writers queued behind it, held
every pooled connection while they waited, and the tails could not read the log: seconds
of delay (docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from server.core.db import Database, parse_url
from server.core.models import Company, Event
from server.events import log as eventlog
from tests.conftest import Postgres

pytestmark = pytest.mark.server


@pytest.fixture
async def db(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> AsyncIterator[Database]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/log.db"
    else:
        postgres: Postgres = request.getfixturevalue("postgres")
        url = postgres.new_database(seeded=False)
    database = Database(parse_url(url))
    await database.migrate()
    async with database.write() as session:
        session.add_all([Company(id=1, name="A"), Company(id=2, name="B")])
    try:
        yield database
    finally:
        await database.close()


def _log(session: Session) -> list[tuple[int, int, str]]:
    rows = session.execute(
        select(Event.company_id, Event.seq, Event.kind).order_by(Event.company_id, Event.seq)
    )
    return [(int(c), int(s), str(k)) for c, s, k in rows]


def _append(kinds: list[tuple[int, str]], session: Session) -> None:
    for company_id, kind in kinds:
        eventlog.append_sync(session, company_id, kind, {"n": kind}, line_id=7)


class _Abandoned(Exception):
    pass


def _append_then_fail(session: Session) -> None:
    eventlog.append_sync(session, 1, "rolled.back", {}, line_id=7)
    raise _Abandoned


async def test_the_events_of_a_transaction_are_numbered_at_its_commit(db: Database) -> None:
    """Several events of two companies in one transaction: each company's run of seqs is
    gap-free and in append order; a rolled-back transaction writes none and uses no seq; the
    tail's read gives them back with their frames."""
    await db.transact(functools.partial(_append, [(1, "a1"), (2, "b1"), (1, "a2"), (1, "a3")]))
    with pytest.raises(_Abandoned):
        await db.transact(_append_then_fail)
    await db.transact(functools.partial(_append, [(1, "a4")]))
    assert await db.query(_log) == [
        (1, 1, "a1"), (1, 2, "a2"), (1, 3, "a3"), (1, 4, "a4"), (2, 1, "b1"),
    ]  # fmt: skip
    read = await db.query(
        functools.partial(eventlog.read_after_sync, company_id=1, after=1, limit=10)
    )
    assert [(e.seq, e.kind, e.lines) for e in read] == [
        (2, "a2", frozenset({7})), (3, "a3", frozenset({7})), (4, "a4", frozenset({7})),
    ]  # fmt: skip
    assert '"seq": 2' in read[0].frame and '"data": {"n": "a2"}' in read[0].frame


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_writer_does_not_hold_the_log_until_its_commit(db: Database) -> None:
    """A transaction that appended an event and is still running (its later statements wait
    for the event loop) does not stop another writer of the same company: the other one
    commits first and gets the lower seq. Before, it waited on the counter's row lock until
    the first committed (here: never, so PostgreSQL's lock_timeout ends it)."""

    def second(session: Session) -> None:
        session.execute(text("SET LOCAL lock_timeout = '5s'"))  # a failure, not a wait
        eventlog.append_sync(session, 1, "second", {}, line_id=7)

    async with db.write() as session:
        await eventlog.append(session, 1, "first", {}, line_id=7)
        await session.execute(select(Company.id))  # the transaction goes on …
        await asyncio.shield(db.transact(second))  # … while another writer commits
    assert await db.query(_log) == [(1, 1, "second"), (1, 2, "first")]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_send_commits_while_the_event_loop_is_busy(db: Database) -> None:
    """On PostgreSQL ``transact`` runs on a loop of its own: a transaction (and the locks it
    holds) is not paced by the main loop, which may be busy writing a fan-out. Here the
    main loop is blocked outright while the transaction commits."""
    began, committed = threading.Event(), threading.Event()

    def body(session: Session) -> None:
        eventlog.append_sync(session, 1, "sent", {}, line_id=7)
        began.set()

    def on_commit(session: Session) -> None:
        committed.set()

    event.listen(Session, "after_commit", on_commit)
    try:
        sending = asyncio.ensure_future(db.transact(body))
        await asyncio.to_thread(began.wait)
        blocked = committed.wait(30)  # the main loop is blocked for as long as this waits
        await sending
    finally:
        event.remove(Session, "after_commit", on_commit)
    assert blocked, "the transaction needed the blocked main loop to commit"
    assert await db.query(_log) == [(1, 1, "sent")]
