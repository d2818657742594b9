"""Who an incoming call of a line rings (issue 10, "who rings"): the ticket routing decides
and the specialists' clients obey — the PBX offers the call to the line's specialists (a
parallel fork), each client asks ``GET /call-ring?line_id=&address=`` and answers 480 unless
it is among those named, so the PBX's fork ends at them (docs/telephony.md).

- A known caller (one client user of the line, by login or phone) with an open ticket: its
  holder when at work — Free or Busy for new tickets (seed 001: Busy keeps its open
  tickets); one Away or in Do not disturb is passed over, the call goes on below.
- Else, the line open: the routing's choice for a new ticket (server/tickets/routing.py:
  the user's company's responsible specialist first, then the Free one with room and the
  fewest open tickets), read without locks — the ticket is routed for real when the call's
  record opens it.
- Else (an unknown caller, nobody with room, the line closed): every Free specialist of the
  line, the first to answer takes it.

With the call's SIP Call-ID (``call_id``) the first question decides for the whole call and
the others read that decision (``ring_decisions``): a PBX's fork reaches each client with the
same Call-ID, and without it two clients asking a moment apart could each be told another's
name (a ticket finished, a status changed between) and the call would ring nobody — or two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.calls.callers import matches
from server.calls.models import RingDecision
from server.core.db import Database
from server.core.models import LineSpecialist, Specialist, Ticket, TicketState, utcnow
from server.core.models import SpecialistStatus as Status
from server.core.sweeps import Sweep
from server.tickets import routing, tiers
from server.tickets.hours import line_open_now

AT_WORK = (Status.FREE, Status.BUSY_NEW)  # a holder Away or in Do not disturb is passed over
KEPT = dt.timedelta(minutes=10)
"""How long a call's decision is kept: longer than a PBX lets an offer ring (kamailio's
``fr_inv_timer`` is 2 minutes, Asterisk's dial timeouts shorter)."""


async def decided_once(
    session: AsyncSession,
    line_id: int,
    sip_call_id: str,
    decide: Callable[[], Awaitable[list[int]]],
) -> list[int]:
    """The call's decision: the one kept for its Call-ID, else ``decide``'s, kept — or, when
    another question (another server process) kept its own meanwhile, that one."""
    kept_for_call = select(RingDecision.specialist_ids).where(
        RingDecision.line_id == line_id, RingDecision.sip_call_id == sip_call_id
    )
    kept = await session.scalar(kept_for_call)
    if kept is None:
        ids = await decide()
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await session.execute(
            insert(RingDecision)
            .values(line_id=line_id, sip_call_id=sip_call_id, specialist_ids=ids)
            .on_conflict_do_nothing()
        )
        kept = await session.scalar(kept_for_call)  # (a concurrent insert waited for: its)
    return list(kept if kept is not None else [])


async def forget_old(db: Database) -> int:
    """The decisions of calls long over: deleted (a sweep)."""
    async with db.write() as session:
        gone = await session.execute(
            delete(RingDecision).where(RingDecision.decided_at < utcnow() - KEPT)
        )
    return int(getattr(gone, "rowcount", 0) or 0)


SWEEP = Sweep("ring decisions' expiry", forget_old)


async def ring_targets(
    session: AsyncSession, specialist_id: int, line_id: int, address: str | None
) -> list[int]:
    found = await matches(session, specialist_id, address, line_id) if address else []
    users = {m.user_id for m in found}
    if len(users) == 1:
        (user_id,) = users
        chosen = await session.run_sync(_chosen, line_id, user_id)
        if chosen is not None:
            return [chosen]
    rows = await session.scalars(
        select(Specialist.id)
        .join(LineSpecialist, LineSpecialist.specialist_id == Specialist.id)
        .where(LineSpecialist.line_id == line_id, Specialist.status == Status.FREE)
        .order_by(Specialist.id)
    )
    return list(rows)


def _chosen(session: Session, line_id: int, user_id: int) -> int | None:
    ticket = session.scalars(
        select(Ticket).where(
            Ticket.line_id == line_id,
            Ticket.user_id == user_id,
            Ticket.state == TicketState.OPEN,
        )
    ).first()
    if ticket is not None and ticket.specialist_id is not None:
        status = session.scalar(
            select(Specialist.status).where(Specialist.id == ticket.specialist_id)
        )
        if status in AT_WORK:
            return ticket.specialist_id
    if not line_open_now(session, line_id):
        return None
    responsible = routing.responsible_ids(session, user_id)
    tier = tiers.candidates_filter(session, ticket, line_id)
    best = routing.candidates(session, line_id, first=responsible, limit=1, tier=tier)
    return best[0].id if best else None
