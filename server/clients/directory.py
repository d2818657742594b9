"""A line's directory (every user, compactly, for a client's local search) and rows by id.

A client shows a 100 000-user line without holding 100 000 rows: it takes the
directory once (id, chat id, last message time and search text of every user,
in the display order of ``GET /lines/{id}/users``) and fetches full rows only
for what it shows (``GET /lines/{id}/rows?ids=``).
"""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import and_, select

from contract import clients
from contract import routes as api
from server.auth.access import served_line
from server.clients.lines import connected
from server.core import present
from server.core.derived import fold
from server.core.models import Chat, ClientUser, LineUser, utcnow
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()


@handles(routes, api.DIRECTORY)
async def directory(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, api.DIRECTORY, clients.LinePath).line_id
        await served_line(session, caller, line_id)
        base = (
            select(
                ClientUser.id,
                Chat.id,
                Chat.last_message_at,
                ClientUser.search_text,
                ClientUser.full_name,
            )
            .join(LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id))
            .outerjoin(Chat, and_(Chat.user_id == ClientUser.id, Chat.line_id == line_id))
            .where(connected(utcnow().date()))
        )
        active = await session.execute(
            base.where(Chat.last_message_at.is_not(None)).order_by(
                Chat.last_message_at.desc(), ClientUser.id.desc()
            )
        )
        found = list(active.tuples())
        rest = await session.execute(
            base.where(Chat.last_message_at.is_(None)).order_by(ClientUser.full_name, ClientUser.id)
        )
        found += rest.tuples()
    body = clients.Directory(
        ids=[r[0] for r in found],
        chat_ids=[r[1] for r in found],
        last_message_at=[present.opt_ms(r[2]) for r in found],
        search=[r[3] if r[3] is not None else fold(r[4] or "") for r in found],
    )
    return reply(body)


@handles(routes, api.ROWS)
async def rows(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        query = params(request, api.ROWS, clients.RowsQuery)
        line_id, ids = query.line_id, list(dict.fromkeys(query.ids))
        await served_line(session, caller, line_id)
        users = await session.scalars(
            select(ClientUser)
            .join(LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id))
            .where(connected(utcnow().date()), ClientUser.id.in_(ids))
        )
        by_id = {u.id: u for u in users}
        ordered = [by_id[i] for i in ids if i in by_id]
        items = await present.user_rows(session, line_id, ordered)
    return reply(clients.UserRows(items))
