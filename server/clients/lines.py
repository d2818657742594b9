"""Lines, the users of a line (keyset-paged), one user's card."""

from __future__ import annotations

import datetime as dt

import msgspec
from aiohttp import web
from msgspec import UNSET
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import clients
from contract import routes as api
from server.auth.access import served_line, specialists_only
from server.clients import search
from server.clients.card import user_card as user_card_of
from server.clients.search import connected
from server.core import cursors, present
from server.core.models import Chat, ClientUser, Line, LineSpecialist, LineUser, utcnow
from server.core.problems import field_error, not_found
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply, storable

routes = web.RouteTableDef()


@handles(routes, api.LINES)
async def lines(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        counts = (
            select(LineUser.line_id, func.count().label("n"))
            .where(connected(utcnow().date()))
            .group_by(LineUser.line_id)
            .subquery()
        )
        rows = await session.execute(
            select(Line, func.coalesce(counts.c.n, 0))
            .join(LineSpecialist, LineSpecialist.line_id == Line.id)
            .outerjoin(counts, counts.c.line_id == Line.id)
            .where(LineSpecialist.specialist_id == caller.id)
            .order_by(Line.id)
        )
        items = [present.line(row, int(n)) for row, n in rows]
    return reply(clients.Lines(items))


@handles(routes, api.LINE_USERS)
async def line_users(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        query = params(request, api.LINE_USERS, clients.UsersQuery)
        line_id, limit = query.line_id, query.limit
        active_days = None if query.active_days is UNSET else query.active_days
        q, raw_cursor = query.q.strip(), query.cursor
        if not storable(q):
            raise field_error("q", "must be valid text without NUL characters")
        await served_line(session, caller, line_id)
        today = utcnow().date()
        if q:
            sqlite = state_of(request).db.is_sqlite
            way = await search.plan(session, sqlite, line_id, q, limit)
            active_base, rest_base = way.active(line_id, today), way.rest(line_id, today)
        else:
            active_base = rest_base = search.users_of(line_id, today)
        position = cursors.decode(raw_cursor) if raw_cursor else None
        found: list[tuple[ClientUser, dt.datetime | None]] = []
        if position is None or isinstance(position, cursors.Active):
            active = active_base.where(Chat.last_message_at.is_not(None))
            if active_days is not None:
                active = active.where(
                    Chat.last_message_at >= utcnow() - dt.timedelta(days=active_days)
                )
            if position is not None:
                active = active.where(
                    or_(
                        Chat.last_message_at < position.at,
                        and_(Chat.last_message_at == position.at, ClientUser.id < position.id),
                    )
                )
            ordered = active.order_by(Chat.last_message_at.desc(), ClientUser.id.desc())
            found = [(user, at) for user, at in await session.execute(ordered.limit(limit + 1))]
        if len(found) <= limit and active_days is None:
            after = position if isinstance(position, cursors.Rest) else None
            found += await _rest(session, rest_base, after, limit + 1 - len(found))
        page, more = found[:limit], len(found) > limit
        items = await present.user_rows(session, line_id, [u for u, _ in page])
    next_cursor = _cursor_after(page[-1]) if more else None
    return reply(clients.UserPage(items, next_cursor))


async def _rest(
    session: AsyncSession,
    base: Select[ClientUser, dt.datetime | None],
    position: cursors.Rest | None,
    limit: int,
) -> list[tuple[ClientUser, dt.datetime | None]]:
    rest = base.where(Chat.last_message_at.is_(None))
    if position is not None:
        name, user_id = position.name, position.id
        rest = rest.where(
            or_(
                ClientUser.full_name > name,
                and_(ClientUser.full_name == name, ClientUser.id > user_id),
            )
        )
    ordered = rest.order_by(ClientUser.full_name, ClientUser.id)
    return [(user, at) for user, at in await session.execute(ordered.limit(limit))]


def _cursor_after(row: tuple[ClientUser, dt.datetime | None]) -> str:
    user, last_at = row
    if last_at is not None:
        return cursors.encode(cursors.Active(last_at, user.id))
    return cursors.encode(cursors.Rest(user.full_name, user.id))


@handles(routes, api.USER_CARD)
async def user_card(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id, user_id = msgspec.structs.astuple(params(request, api.USER_CARD, clients.UserPath))
        await served_line(session, caller, line_id)
        users = search.users_of(line_id, utcnow().date())
        row = (await session.execute(users.where(ClientUser.id == user_id))).first()
        if row is None:
            raise not_found("user")
        card = await user_card_of(session, line_id, row[0])
    return reply(card)
