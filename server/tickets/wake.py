"""The queue's wake-up: a ticket queued on PostgreSQL meets a place freed at the same moment.

A decision that finds nobody with room queues its ticket holding nobody
(server/tickets/routing.py). A finish, a status change to Free or a transfer that frees a
place at that moment drains the queue under its specialist's lock, but cannot see the
ticket before its commit, and the decision could not see the place before the other's
commit: the ticket would wait beside a free place (the lost wake-up). So both look again
after their commit — the queued ticket's transaction marks its line, the one that freed a
place marks that specialist's lines (:data:`server.core.db.WAKE_LINES`), and
:class:`Waker` reads, after the commit, whether those lines still have a queue, and if so
who there is Free with room at the queue's tiers (only the freed specialist, for a freed
place), and drains the queue to them, each in a transaction of its own. Whichever of the
two commits last reads after both commits, so it sees the other: no lock is needed for
that, and nothing waits.

The looks at a line are one at a time in a process, and the commits that mark it while one
runs share the next (which starts after them). SQLite has one writer: a drain there sees
every queued ticket, and nothing is marked.

A process stopped between a commit and its look leaves the ticket queued: the sweep
(:data:`SWEEP`) drains every line's queue to its Free specialists with room — which also
sends out a line's queue when its working hours begin."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from contract.tickets import Tier
from server.core.db import WAKE_LINES, Database
from server.core.models import Line, Ticket, TicketState
from server.core.state import STATE
from server.core.sweeps import Sweep
from server.tickets import lifecycle, retry, routing, tiers
from server.tickets.hours import line_open_now
from server.tickets.models import Escalation
from server.tickets.routing import ANYONE
from server.tickets.steps import announce

log = logging.getLogger(__name__)
MOST = 100  # Free specialists with room drained per look (a line's queue rarely needs two)

_QUEUED = (Ticket.state == TicketState.OPEN, Ticket.specialist_id.is_(None))
_QUEUE_TIERS = (  # whether the line's queued tickets are at the second tier: one row each
    select(exists().where(Escalation.ticket_id == Ticket.id))
    .where(Ticket.line_id == bindparam("line_id"), *_QUEUED)
    .distinct()
)


def with_room(session: Session, *, line_id: int, who: frozenset[int]) -> list[int]:
    """Whom the line's queue goes to, as committed now: its Free specialists with room at
    the tiers its queued tickets are at (``who``: of these; ANYONE among them: any). None
    when the line is closed or has no queue."""
    if not line_open_now(session, line_id):
        return []
    escalated = set(session.scalars(_QUEUE_TIERS, {"line_id": line_id}))
    if not escalated:
        return []
    at: set[Tier | None] = {None}
    if tiers.tiered(session, line_id):
        at = {Tier.SECOND if e else Tier.FIRST for e in escalated}
    found: list[int] = []
    for tier in at:
        for c in routing.candidates(session, line_id, first=who, limit=MOST, tier=tier):
            if ANYONE in who or c.id in who:
                found.append(c.id)
    return found


def give_queue(session: Session, *, line_id: int, specialist_id: int) -> int:
    """The queue to this specialist while they are Free with room (under their lock), with
    its events; how many tickets they were given. It frees no place: no look after it."""
    company_id = int(session.scalar(select(Line.company_id).where(Line.id == line_id)) or 0)
    given = lifecycle.given_from_queue(session, company_id, specialist_id, freed=False)
    announce(session, company_id)
    return given


async def drain_line(db: Database, line_id: int, who: frozenset[int] = frozenset({ANYONE})) -> int:
    """The line's queue to its Free specialists with room (``who``: of these); how many
    tickets were given."""
    given = 0
    for specialist_id in await db.query(functools.partial(with_room, line_id=line_id, who=who)):
        given += await retry.transact(
            db, functools.partial(give_queue, line_id=line_id, specialist_id=specialist_id)
        )
    return given


class Waker:
    """The looks after commits that marked lines: one at a time per line, the commits that
    mark it while one runs looked at by the next."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.running: dict[int, asyncio.Task[int]] = {}
        self.again: dict[int, set[int]] = {}

    def marked(self, marks: set[tuple[int, int]]) -> None:
        """``marks``: (line, specialist) — a place of theirs freed, or ANYONE: a ticket queued."""
        lines: dict[int, set[int]] = {}
        for line_id, specialist_id in marks:
            lines.setdefault(line_id, set()).add(specialist_id)
        for line_id, who in lines.items():
            if line_id in self.running:
                self.again.setdefault(line_id, set()).update(who)
            else:
                self._start(line_id, who)

    def _start(self, line_id: int, who: set[int]) -> None:
        look = drain_line(self.db, line_id, frozenset(who))
        task = asyncio.get_running_loop().create_task(look)
        self.running[line_id] = task
        task.add_done_callback(functools.partial(self._done, line_id))

    def _done(self, line_id: int, task: asyncio.Task[int]) -> None:
        del self.running[line_id]
        if task.cancelled():
            return
        if task.exception() is not None:  # the sweep drains the line later
            log.error("the queue of line %s was not looked at", line_id, exc_info=task.exception())
        who = self.again.pop(line_id, None)
        if who:
            self._start(line_id, who)

    async def close(self) -> None:
        self.again.clear()
        for task in self.running.values():
            task.cancel()
        while self.running:
            await asyncio.wait(list(self.running.values()))


async def background(app: web.Application) -> AsyncIterator[None]:
    """The server's waker for as long as it runs (a cleanup context)."""
    db = app[STATE].db
    waker = Waker(db)
    db.after_commit[WAKE_LINES] = waker.marked
    yield
    db.after_commit.pop(WAKE_LINES, None)
    await waker.close()


_LINES_WITH_A_QUEUE = select(Ticket.line_id).where(*_QUEUED).distinct()


async def sweep(db: Database) -> int:
    """Every line's queue drained to its Free specialists with room; how many tickets."""
    given = 0
    for line_id in await db.query(lambda session: list(session.scalars(_LINES_WITH_A_QUEUE))):
        try:
            given += await drain_line(db, line_id)
        except Exception:  # the other lines still get theirs; this one at the next turn
            log.exception("the queue of line %s was not drained", line_id)
    return given


SWEEP = Sweep("queued tickets beside a free place", sweep)
