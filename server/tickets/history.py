"""A chat's tickets for the info panel (GET /chats/{id}/tickets, specialists): newest first,
each with what opened it, its holder (now, or when it was finished), when it was finished
and its rating. The chat must be of a line the caller serves (else 404)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from contract import tickets as tw
from contract import tickets_ops as ops
from server.auth.access import specialists_only, visible_chat_sync
from server.auth.tokens import Caller
from server.core.models import Specialist, Ticket
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply
from server.tickets.models import Rating, Step

routes = web.RouteTableDef()


def history_of(session: Session, caller: Caller, chat_id: int, limit: int) -> tw.TicketHistory:
    visible_chat_sync(session, caller, chat_id)
    rows = session.execute(
        select(Ticket, Specialist, Rating)
        .outerjoin(Specialist, Specialist.id == Ticket.specialist_id)
        .outerjoin(Rating, Rating.ticket_id == Ticket.id)
        .where(Ticket.chat_id == chat_id)
        .order_by(Ticket.id.desc())
        .limit(limit)
    ).all()
    ids = [t.id for t, _, _ in rows]
    openers = dict(
        session.execute(
            select(Step.ticket_id, Step.via).where(
                Step.ticket_id.in_(ids), Step.kind == tw.StepKind.OPENED.value
            )
        ).all()
    )
    items = []
    for ticket, holder, rating in rows:
        via = openers.get(ticket.id)
        items.append(
            tw.TicketSummary(
                id=ticket.id,
                state=ticket.state,
                opened_at=ticket.opened_at,
                via=tw.Opener(via) if via else None,
                specialist_id=holder.id if holder else None,
                specialist_name=holder.full_name if holder else None,
                closed_at=ticket.closed_at,
                score=rating.score if rating else None,
                comment=rating.comment if rating else "",
            )
        )
    return tw.TicketHistory(items)


@handles(routes, ops.HISTORY)
async def history(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        asked = params(request, ops.HISTORY, tw.HistoryQuery)
        found = await session.run_sync(history_of, caller, asked.chat_id, asked.limit)
    return reply(found)
