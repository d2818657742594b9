"""Who gets a ticket: the routing decision and the line's queue.

A new ticket goes to a Free responsible specialist of the user's company (serving the
line, under their capacity), else to the Free specialist of the line with the fewest open
tickets under their capacity (ties: the one given a ticket longest ago), else it waits in
the line's queue (its open unheld tickets, oldest first) until a specialist of the line is
Free with room: :func:`drain` runs when one becomes Free or lets a ticket go.

Race-free: every function runs inside one write transaction. On SQLite there is one writer.
On PostgreSQL a decision takes the first candidate whose row no other transaction holds
(``SKIP LOCKED``, never waiting there; a responsible one held it waits for alone, having
let go of the others, so their company's first right stays, and goes on to the others if
they have no room once let through) and reads their status and
open tickets again under that lock, so the decisions of a line run side by side, each on a
different specialist, and a status change or a finish about that specialist waits for it. A
decision that finds nobody with room lets those locks go (a savepoint) and queues the
ticket holding nobody, so a line's queued decisions run side by side too; after the commit
the line is checked once more (server/tickets/wake.py): a place that a finish or a
decision beside it freed meanwhile, not seeing the ticket yet, takes it then. The queue is
taken with ``FOR NO KEY UPDATE SKIP LOCKED``, which a user's message on a queued ticket
(``FOR KEY SHARE``) does not stop.

Locks are taken in one order — chat, ticket, line, specialist,
their load (``ticket_loads``, by the triggers on ``tickets``), then the company's event
counter (appending an event) — so two transactions rarely wait for each other in a circle;
when they do (a reroute lets go of the old holder's load before it locks the new holder),
PostgreSQL aborts one and it runs again (server/tickets/retry.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    Table,
    all_,
    any_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contract.tickets import Tier
from server.core.db import WAKE_LINES
from server.core.models import (
    ClientUser,
    CompanyResponsible,
    Line,
    LineSpecialist,
    Specialist,
    Ticket,
    TicketState,
    utcnow,
)
from server.core.models import (
    SpecialistStatus as Status,
)
from server.tickets import loads, tiers
from server.tickets.hours import line_open_now
from server.tickets.loads import TicketLoad
from server.tickets.models import DEFAULT_CAPACITY, RoutingSettings

NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ANYONE = 0  # in WAKE_LINES: the line's queue to any Free specialist with room (a ticket queued)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    capacity: int
    open: int
    last_assigned_at: dt.datetime

    @property
    def order(self) -> tuple[int, dt.datetime, int]:
        return self.open, self.last_assigned_at, self.id


_LOCK_LINE = select(Line.id).where(Line.id == bindparam("line_id")).with_for_update(key_share=True)


def lock_line(session: Session, line_id: int) -> None:
    """One at a time on the line (PostgreSQL): Start work opening a ticket, transfers and
    tier moves, Do not disturb moves on (docs/tickets.md).
    ``FOR NO KEY UPDATE``: the share locks that inserting a ticket or a message of the line
    takes on it (their foreign keys) do not wait for it, nor it for them."""
    session.execute(_LOCK_LINE, {"line_id": line_id})


def open_count(session: Session, specialist_id: int) -> int:
    return loads.open_tickets(session, specialist_id)


_CAPACITY = select(RoutingSettings.capacity).where(
    RoutingSettings.specialist_id == bindparam("specialist_id")
)


def capacity_of(session: Session, specialist_id: int) -> int:
    value = session.scalar(_CAPACITY, {"specialist_id": specialist_id})
    return DEFAULT_CAPACITY if value is None else int(value)


_LOCK_SPECIALIST = {  # as lock_line: not against the rows naming them
    skip_locked: select(Specialist.status)
    .where(Specialist.id == bindparam("specialist_id"))
    .with_for_update(key_share=True, skip_locked=skip_locked)
    for skip_locked in (False, True)
}


def lock_specialist(
    session: Session, specialist_id: int, *, skip_locked: bool = False
) -> Status | None:
    """Lock the specialist's row (PostgreSQL); their status as it is now. ``skip_locked``:
    None at once when another transaction holds the row."""
    return session.scalar(_LOCK_SPECIALIST[skip_locked], {"specialist_id": specialist_id})


def _candidates_statement(
    tier: Tier | None, arrays: bool
) -> Select[int, int, int, dt.datetime | None]:
    """The candidates' query of :func:`candidates`, built once per tier filter: its
    parameters are bound at each call (building a statement and its cache key cost more
    CPU than the database's whole answer; docs/benchmarks.md). ``arrays`` (PostgreSQL): the
    lists are array parameters, so the statement has one text whatever their lengths — an
    expanding ``IN`` has a text per length, each prepared again on every pooled connection
    (91 of a 188-ticket burst's 600 parses)."""
    if arrays:
        excluded = Specialist.id != all_(bindparam("exclude", type_=ARRAY(Integer)))
        is_first = Specialist.id == any_(bindparam("first", type_=ARRAY(Integer)))
    else:
        excluded = Specialist.id.not_in(bindparam("exclude", expanding=True))
        is_first = Specialist.id.in_(bindparam("first", expanding=True))
    open_now = func.coalesce(TicketLoad.open_tickets, 0)
    capacity = func.coalesce(RoutingSettings.capacity, DEFAULT_CAPACITY)
    query = (
        select(Specialist.id, capacity, open_now, RoutingSettings.last_assigned_at)
        .join(LineSpecialist, LineSpecialist.specialist_id == Specialist.id)
        .outerjoin(RoutingSettings, RoutingSettings.specialist_id == Specialist.id)
        .outerjoin(TicketLoad, TicketLoad.specialist_id == Specialist.id)
        .where(
            LineSpecialist.line_id == bindparam("line_id"),
            Specialist.status == Status.FREE,
            open_now < capacity,
            excluded,
        )
    )
    if tier is not None:
        query = query.where(tiers.of_tier(tier, bindparam("line_id")))
    return query.order_by(
        is_first.desc(),
        open_now,
        RoutingSettings.last_assigned_at.is_not(None),  # never given one: first
        RoutingSettings.last_assigned_at,
        Specialist.id,
    ).limit(bindparam("limit"))


_CANDIDATES = {
    (tier, arrays): _candidates_statement(tier, arrays)
    for tier in (None, *Tier)
    for arrays in (False, True)
}


def candidates(
    session: Session,
    line_id: int,
    exclude: Collection[int] = (),
    first: Collection[int] = (),
    limit: int = 8,
    tier: Tier | None = None,
) -> list[Candidate]:
    """The Free specialists of the line under their capacity (of ``tier``: a vendor line's
    tier; None: all), best first: those in ``first`` (the responsible ones), then the
    fewest open tickets, then the one given a ticket longest ago. One query: each one's open
    tickets as kept in ``ticket_loads`` (server/tickets/loads.py), the order and the cut
    made by the database (a line of 1 000 specialists costs no Python loop)."""
    rows = session.execute(
        _CANDIDATES[tier, session.get_bind().dialect.name == "postgresql"],
        {"line_id": line_id, "exclude": list(exclude), "first": list(first), "limit": limit},
    ).all()
    return [Candidate(sid, int(cap), int(n), last or NEVER) for sid, cap, n, last in rows]


_RESPONSIBLE = (
    select(CompanyResponsible.specialist_id)
    .join(ClientUser, ClientUser.company_id == CompanyResponsible.company_id)
    .where(ClientUser.id == bindparam("user_id"))
)


def responsible_ids(session: Session, user_id: int) -> set[int]:
    return set(session.scalars(_RESPONSIBLE, {"user_id": user_id}))


def choose(
    session: Session,
    ticket: Ticket,
    exclude: Collection[int] = (),
    responsible: Collection[int] | None = None,
) -> int | None:
    """The specialist the ticket goes to, locked and checked again; None: it waits.
    ``responsible``: the user's company's responsible specialists, if the caller read them
    before it."""
    if not line_open_now(session, ticket.line_id):
        return None
    if responsible is None:
        responsible = responsible_ids(session, ticket.user_id)
    tier = tiers.candidates_filter(session, ticket, ticket.line_id)
    if session.get_bind().dialect.name != "postgresql":  # one writer: nothing beside it
        return _first_with_room(session, ticket.line_id, exclude, responsible, tier)
    # Read first without a lock: nobody with room (a burst's queued tickets mostly) goes
    # straight to the queue, with no savepoint's two round trips and flush.
    tried = set(exclude)
    found = candidates(session, ticket.line_id, tried, responsible, tier=tier)
    while found:
        attempt = session.begin_nested()  # the ticket's own rows stay (flushed by the read)
        try:
            chosen = _first_with_room(
                session, ticket.line_id, tried, responsible, tier, skip=True, found=found
            )
        except _ResponsibleHeld as held:  # their company's first right: wait for them alone
            attempt.rollback()
            attempt = session.begin_nested()
            status = lock_specialist(session, held.candidate.id)  # waiting for them
            chosen = held.candidate.id if _has_room(session, held.candidate, status) else None
            if chosen is None:  # full or gone once let through: the others, as at first
                attempt.rollback()
                tried.add(held.candidate.id)
                found = candidates(session, ticket.line_id, tried, responsible, tier=tier)
                continue
        if chosen is not None:
            attempt.commit()
            return chosen
        attempt.rollback()
        break
    # Nobody has room, or those with room are being given tickets right now: the ticket
    # waits in the queue, holding nobody (decisions that queued their tickets one after
    # another on the line's lock were seconds for a burst's last: docs/benchmarks.md). A
    # place freed meanwhile by a transaction that cannot see this ticket yet is found after
    # the commit (server/tickets/wake.py), as is a specialist held by a decision beside it
    # who still has room once it commits.
    session.info.setdefault(WAKE_LINES, set()).add((ticket.line_id, ANYONE))
    return None


class _ResponsibleHeld(Exception):
    """A responsible specialist another transaction holds: the decision waits for them
    (holding no other specialist: a savepoint of its own)."""

    def __init__(self, candidate: Candidate) -> None:
        super().__init__(candidate.id)
        self.candidate = candidate


def _has_room(session: Session, candidate: Candidate, status: Status | None) -> bool:
    """Locked with ``status`` (None: held by another), still Free and under capacity."""
    return status is Status.FREE and open_count(session, candidate.id) < candidate.capacity


def _first_with_room(
    session: Session,
    line_id: int,
    exclude: Collection[int],
    responsible: Collection[int],
    tier: Tier | None,
    *,
    skip: bool = False,
    found: list[Candidate] | None = None,
) -> int | None:
    """The first candidate still Free with room under their lock. ``skip``: never waiting
    for a lock — passing over those another transaction holds, and raising
    :class:`_ResponsibleHeld` at a responsible one held (the user's company has the first
    right to them: the caller waits for them alone, in a savepoint of its own). A decision
    that waited here, holding the candidates it locked before, could close a circle with a
    transfer routed to the line, which locks them all in id order (server/tickets/moves.py).
    ``found``: the first candidates, if the caller read them."""
    tried = set(exclude)
    if found is None:
        found = candidates(session, line_id, tried, responsible, tier=tier)
    while found:
        for candidate in found:
            tried.add(candidate.id)
            status = lock_specialist(session, candidate.id, skip_locked=skip)
            if status is None and skip and candidate.id in responsible:
                raise _ResponsibleHeld(candidate)
            if _has_room(session, candidate, status):
                return candidate.id
            # else changed since it was read, or (skip) being decided about
        found = candidates(session, line_id, tried, responsible, tier=tier)
    return None


_LINE_SPECIALISTS = select(LineSpecialist.specialist_id).where(
    LineSpecialist.line_id == bindparam("line_id")
)
_LOCK_LINE_SPECIALISTS = (
    select(Specialist.id)
    .where(
        or_(
            Specialist.id.in_(_LINE_SPECIALISTS),
            Specialist.id.in_(bindparam("also", expanding=True)),
        )
    )
    .order_by(Specialist.id)
    .with_for_update(key_share=True)
)


def lock_line_specialists(session: Session, line_id: int, also: Collection[int] = ()) -> None:
    """Lock every specialist of the line (PostgreSQL), and ``also`` these, in one order."""
    session.execute(_LOCK_LINE_SPECIALISTS, {"line_id": line_id, "also": list(also)})


def give(session: Session, ticket: Ticket, specialist_id: int) -> None:
    """Make ``specialist_id`` the ticket's holder (on a vendor line's tier of theirs) and
    remember when they were given it."""
    now = utcnow()
    ticket.specialist_id = specialist_id
    tiers.follow(session, ticket, specialist_id)
    dialect = session.get_bind().dialect.name
    session.execute(_GIVEN[dialect], {"sid": specialist_id, "at": now})


def _given(insert: Any) -> Any:
    """Remember when a specialist was last given a ticket (their row made if need be)."""
    at = bindparam("at", type_=RoutingSettings.last_assigned_at.type)
    return insert.values(
        specialist_id=bindparam("sid"), capacity=DEFAULT_CAPACITY, last_assigned_at=at
    ).on_conflict_do_update(index_elements=["specialist_id"], set_={"last_assigned_at": at})


_SETTINGS = RoutingSettings.__table__
assert isinstance(_SETTINGS, Table)
_GIVEN = {
    "postgresql": _given(postgresql.insert(_SETTINGS)),
    "sqlite": _given(sqlite.insert(_SETTINGS)),
}


def queue_head(session: Session, queued_of: ColumnElement[bool]) -> Ticket | None:
    """The oldest queued ticket of these lines (``queued_of``: :func:`tiers.queue_filter`)
    that no other transaction is taking (a user's message on it does not stop it: see
    :func:`server.tickets.lifecycle.open_ticket_of`)."""
    return session.scalars(
        select(Ticket)
        .where(
            queued_of,
            Ticket.state == TicketState.OPEN,
            Ticket.specialist_id.is_(None),
        )
        .order_by(Ticket.opened_at, Ticket.id)
        .limit(1)
        .with_for_update(key_share=True, skip_locked=True)
        .execution_options(populate_existing=True)
    ).first()


def drain(session: Session, specialist_id: int, *, freed: bool = True) -> list[Ticket]:
    """Give the specialist queued tickets of their lines, oldest first, while they are Free
    with room. The tickets given (their events are the caller's to append). ``freed``: the
    caller freed their place, so it is looked at again after the commit on PostgreSQL (a
    ticket queued beside it meanwhile, invisible here: server/tickets/wake.py)."""
    if lock_specialist(session, specialist_id) is not Status.FREE:
        return []
    room = capacity_of(session, specialist_id) - open_count(session, specialist_id)
    if room <= 0:
        return []
    lines = [
        line_id
        for line_id in session.scalars(
            select(LineSpecialist.line_id).where(LineSpecialist.specialist_id == specialist_id)
        )
        if line_open_now(session, line_id)
    ]
    if not lines:
        return []
    if freed and session.get_bind().dialect.name == "postgresql":
        session.info.setdefault(WAKE_LINES, set()).update((i, specialist_id) for i in lines)
    queued_of = tiers.queue_filter(session, specialist_id, lines)
    given: list[Ticket] = []
    while room > 0:
        ticket = queue_head(session, queued_of)
        if ticket is None:
            break
        give(session, ticket, specialist_id)
        session.flush()
        given.append(ticket)
        room -= 1
    return given
