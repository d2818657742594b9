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
  line, the first to answer takes it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.calls.callers import matches
from server.core.models import LineSpecialist, Specialist, Ticket, TicketState
from server.core.models import SpecialistStatus as Status
from server.tickets import routing, tiers
from server.tickets.hours import line_open_now

AT_WORK = (Status.FREE, Status.BUSY_NEW)  # a holder Away or in Do not disturb is passed over


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
    where = tiers.candidates_filter(session, ticket, line_id)
    best = routing.candidates(session, line_id, first=responsible, limit=1, where=where)
    return best[0].id if best else None
