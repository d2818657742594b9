"""The online monitor (GET /lines/{id}/monitor, supervisors): a line's queue and its
longest wait, each specialist's status, load and open tickets on the line, and today's
finished tickets with their average rating — "today" by the serving company's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contract import tickets as tw
from contract import tickets_ops as ops
from contract.clients import LinePath
from server.auth.access import served_line
from server.core.models import Company, Line, Ticket, TicketState, utcnow
from server.core.problems import forbidden
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply
from server.tickets.models import Rating, RoutingSettings
from server.tickets.routes import load_of

routes = web.RouteTableDef()


def monitor_of(session: Session, line_id: int, now: dt.datetime | None = None) -> tw.LineMonitor:
    now = now or utcnow()
    load = load_of(session, line_id)
    zone = session.scalar(
        select(Company.time_zone)
        .join(Line, Line.company_id == Company.id)
        .where(Line.id == line_id)
    )
    local = now.astimezone(ZoneInfo(zone or "Europe/Moscow"))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    open_rows = session.execute(
        select(Ticket.id, Ticket.specialist_id, Ticket.opened_at)
        .where(Ticket.line_id == line_id, Ticket.state == TicketState.OPEN)
        .order_by(Ticket.opened_at, Ticket.id)
    ).all()
    held: dict[int, list[int]] = {}
    oldest: dt.datetime | None = None
    for ticket_id, holder, opened_at in open_rows:
        if holder is None:
            oldest = opened_at if oldest is None else min(oldest, opened_at)
        else:
            held.setdefault(holder, []).append(ticket_id)
    finished = int(
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.line_id == line_id,
                Ticket.state == TicketState.CLOSED,
                Ticket.closed_at >= midnight,
            )
        )
        or 0
    )
    rated, average = session.execute(
        select(func.count(), func.avg(Rating.score))
        .join(Ticket, Ticket.id == Rating.ticket_id)
        .where(Ticket.line_id == line_id, Rating.rated_at >= midnight)
    ).one()
    return tw.LineMonitor(
        line_id=line_id,
        queued=load.queued,
        longest_wait_seconds=0 if oldest is None else max(0, int((now - oldest).total_seconds())),
        specialists=[
            tw.MonitorSpecialist(
                s.id, s.full_name, s.status, s.open, s.capacity, held.get(s.id, [])
            )
            for s in load.specialists
        ],
        finished_today=finished,
        rated_today=int(rated or 0),
        average_rating=None if not rated else round(float(average), 2),
    )


@handles(routes, ops.MONITOR)
async def monitor(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, ops.MONITOR, LinePath).line_id
        await served_line(session, caller, line_id)
        supervisor = await session.scalar(
            select(RoutingSettings.supervisor).where(RoutingSettings.specialist_id == caller.id)
        )
        if not supervisor:
            raise forbidden("supervisors-only", "the online monitor is for supervisors")
        answer = await session.run_sync(monitor_of, line_id)
    return reply(answer)
