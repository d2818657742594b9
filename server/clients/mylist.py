"""My list on a line (GET/PUT/DELETE /lines/{id}/my-list) and a client user's presence
(PUT /me/presence)."""

from __future__ import annotations

import msgspec
from aiohttp import web
from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import clients, clients_ops
from server.auth.access import served_line
from server.clients.models import ClientPresence, MyListEntry
from server.clients.search import connected
from server.core.models import LineUser, utcnow
from server.core.problems import forbidden, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, params, reply
from server.events import log as eventlog

routes = web.RouteTableDef()


async def my_list_ids(session: AsyncSession, specialist_id: int, line_id: int) -> list[int]:
    """The users of line `line_id` on the specialist's list (still connected), newest first."""
    rows = await session.scalars(
        select(MyListEntry.user_id)
        .join(
            LineUser,
            and_(LineUser.line_id == MyListEntry.line_id, LineUser.user_id == MyListEntry.user_id),
        )
        .where(
            MyListEntry.specialist_id == specialist_id,
            MyListEntry.line_id == line_id,
            connected(utcnow().date()),
        )
        .order_by(MyListEntry.added_at.desc(), MyListEntry.user_id.desc())
    )
    return list(rows)


@handles(routes, clients_ops.MY_LIST)
async def my_list(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, clients_ops.MY_LIST, clients.LinePath).line_id
        await served_line(session, caller, line_id)
        ids = await my_list_ids(session, caller.id, line_id)
    return reply(clients.MyList(ids))


@handles(routes, clients_ops.MY_LIST_ADD)
async def my_list_add(request: web.Request) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)
        path = params(request, clients_ops.MY_LIST_ADD, clients.UserPath)
        line_id, user_id = msgspec.structs.astuple(path)
        await served_line(session, caller, line_id)
        link = await session.scalar(
            select(LineUser).where(
                LineUser.line_id == line_id,
                LineUser.user_id == user_id,
                connected(utcnow().date()),
            )
        )
        if link is None:
            raise not_found("user")
        if await session.get(MyListEntry, (caller.id, line_id, user_id)) is None:
            session.add(MyListEntry(specialist_id=caller.id, line_id=line_id, user_id=user_id))
            await session.flush()
        ids = await my_list_ids(session, caller.id, line_id)
    return reply(clients.MyList(ids))


@handles(routes, clients_ops.MY_LIST_REMOVE)
async def my_list_remove(request: web.Request) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)
        path = params(request, clients_ops.MY_LIST_REMOVE, clients.UserPath)
        line_id, user_id = msgspec.structs.astuple(path)
        await served_line(session, caller, line_id)
        await session.execute(
            delete(MyListEntry).where(
                MyListEntry.specialist_id == caller.id,
                MyListEntry.line_id == line_id,
                MyListEntry.user_id == user_id,
            )
        )
        ids = await my_list_ids(session, caller.id, line_id)
    return reply(clients.MyList(ids))


@handles(routes, clients_ops.SET_PRESENCE)
async def set_presence(request: web.Request) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)
        if caller.is_specialist:
            raise forbidden("clients-only", "a specialist's presence is their status")
        wanted = (await body(request, clients.PresenceRequest)).presence
        row = await session.get(ClientPresence, caller.id)
        before = clients.Presence.OFFLINE if row is None else row.presence
        if row is None:
            session.add(ClientPresence(user_id=caller.id, presence=wanted))
        else:
            row.presence, row.updated_at = wanted, utcnow()
        if wanted != before:
            await eventlog.user_rows_updated(session, {caller.id: {"presence": wanted.value}})
    return web.Response(status=204)
