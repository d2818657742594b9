"""POST /tickets/{id}/take and /finish: a specialist of the ticket's line holds or closes it."""

from __future__ import annotations

from aiohttp import web

from contract import chats as wire
from contract import routes as api
from server.auth.access import visible_ticket
from server.core import present
from server.core.models import Line, Ticket, TicketState, utcnow
from server.core.problems import conflict, not_found
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply
from server.events import log as eventlog

routes = web.RouteTableDef()


async def _ticket_change(request: web.Request, finish: bool) -> web.Response:
    state = state_of(request)
    op = api.FINISH if finish else api.TAKE
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        ticket_id = params(request, op, wire.TicketPath).ticket_id
        await visible_ticket(session, caller, ticket_id)
    async with state.db.write() as session:
        ticket = await session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise not_found("ticket")
        if ticket.state is not TicketState.OPEN:
            raise conflict("the ticket is closed")
        line = await session.get_one(Line, ticket.line_id)
        if finish:
            ticket.state = TicketState.CLOSED
            ticket.closed_at = utcnow()
            if ticket.specialist_id is None:
                ticket.specialist_id = caller.id
        else:
            ticket.specialist_id = caller.id
        await eventlog.append(
            session,
            line.company_id,
            "ticket.closed" if finish else "ticket.updated",
            present.data(present.ticket(ticket)),
            line_id=ticket.line_id,
            chat_id=ticket.chat_id,
            user_id=ticket.user_id,
        )
        answer = present.ticket(ticket)
    return reply(answer)


@handles(routes, api.TAKE)
async def take(request: web.Request) -> web.Response:
    return await _ticket_change(request, finish=False)


@handles(routes, api.FINISH)
async def finish(request: web.Request) -> web.Response:
    return await _ticket_change(request, finish=True)
