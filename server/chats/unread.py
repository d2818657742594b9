"""The unread chats of every line a specialist serves (GET /me/unread): what the window's
tray icon counts when it signs in. A chat's ``unread`` is kept by the send and the read mark
(server/chats/routes.py); only users' chats of users still connected to a served line."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import and_, select

from contract import chats as wire
from contract import chats_ops as ops
from server.auth.access import specialists_only
from server.clients.search import connected
from server.core.models import Chat, LineSpecialist, LineUser, utcnow
from server.core.state import authenticate, state_of
from server.core.wire import handles, reply

routes = web.RouteTableDef()


@handles(routes, ops.UNREAD)
async def unread(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        rows = await session.execute(
            select(Chat.id, Chat.unread, Chat.last_message_id)
            .join(
                LineSpecialist,
                and_(
                    LineSpecialist.line_id == Chat.line_id,
                    LineSpecialist.specialist_id == caller.id,
                ),
            )
            .join(
                LineUser, and_(LineUser.line_id == Chat.line_id, LineUser.user_id == Chat.user_id)
            )
            .where(Chat.unread > 0, Chat.last_message_id.is_not(None), connected(utcnow().date()))
            .order_by(Chat.id)
        )
        items = [wire.UnreadChat(c, n, newest or 0) for c, n, newest in rows if newest]
    return reply(wire.UnreadChats(items))
