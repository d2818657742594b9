"""A line's ticket settings as its specialists' windows use them
(GET /lines/{id}/ticket-settings): the reply-time guard's minutes — amber and red, the
defaults where the line sets none — auto-finish and working hours. Set by an administrator
(``ticket_lines``); no API writes them."""

from __future__ import annotations

import msgspec
from aiohttp import web
from sqlalchemy.orm import Session

from contract import tickets as tw
from contract import tickets_ops as ops
from contract.clients import LinePath
from server.auth.access import served_line
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply
from server.tickets.models import DEFAULT_GUARD, LineSettings

routes = web.RouteTableDef()


def settings_of(session: Session, line_id: int) -> tw.LineTicketSettings:
    row = session.get(LineSettings, line_id)
    amber, red = DEFAULT_GUARD
    if row is None:
        return tw.LineTicketSettings(amber, red)
    amber = row.guard_amber_minutes or amber
    red = max(row.guard_red_minutes or red, amber)  # red never before amber
    hours = None if row.hours is None else msgspec.convert(row.hours, tw.WorkingHours)
    return tw.LineTicketSettings(amber, red, row.auto_finish_minutes or None, hours)


@handles(routes, ops.SETTINGS)
async def line_settings(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, ops.SETTINGS, LinePath).line_id
        await served_line(session, caller, line_id)
        answer = await session.run_sync(settings_of, line_id)
    return reply(answer)
