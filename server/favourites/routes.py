"""My favourites (GET /me/favourites) and a user of a line added to or removed from them
(PUT/DELETE /lines/{id}/favourites/{user_id}). Every favourite returned is of a line the
caller serves now and of a user still connected to it; a line or user not the caller's → 404.

A change is told to the caller's own sessions (their other machines) as ``favourite.changed``,
written in the change's transaction to the caller's company log with the caller alone as its
audience: the change itself (added or removed), so events in seq order end on the state the
last commit left, whatever two sessions did at once.
"""

from __future__ import annotations

import msgspec
from aiohttp import web
from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import clients, favourites, favourites_ops
from contract.types import EventKind
from server.auth.access import served_line, specialists_only
from server.auth.tokens import Caller
from server.clients.search import connected
from server.core import present
from server.core.models import Chat, ClientUser, LineSpecialist, LineUser, Specialist, utcnow
from server.core.problems import not_found
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply
from server.events import log as eventlog
from server.events.routes import author_key
from server.favourites.models import Favourite

routes = web.RouteTableDef()


async def my_favourites(session: AsyncSession, specialist_id: int) -> favourites.Favourites:
    """The specialist's favourites on the lines they serve (users still connected), newest
    first."""
    rows = await session.execute(
        select(Favourite.line_id, Favourite.user_id, Chat.id, ClientUser.full_name)
        .join(
            LineSpecialist,
            and_(
                LineSpecialist.line_id == Favourite.line_id,
                LineSpecialist.specialist_id == Favourite.specialist_id,
            ),
        )
        .join(ClientUser, ClientUser.id == Favourite.user_id)
        .join(
            LineUser,
            and_(LineUser.line_id == Favourite.line_id, LineUser.user_id == Favourite.user_id),
        )
        .outerjoin(Chat, and_(Chat.line_id == Favourite.line_id, Chat.user_id == Favourite.user_id))
        .where(Favourite.specialist_id == specialist_id, connected(utcnow().date()))
        .order_by(Favourite.added_at.desc(), Favourite.line_id, Favourite.user_id.desc())
    )
    return favourites.Favourites([favourites.Favourite(*r) for r in rows])


async def _announce(
    session: AsyncSession, caller: Caller, line_id: int, user_id: int, added: bool
) -> None:
    """``favourite.changed`` to the caller's sessions only (their company's log)."""
    company_id = await session.scalar(
        select(Specialist.company_id).where(Specialist.id == caller.id)
    )
    row = (
        await session.execute(
            select(Chat.id, ClientUser.full_name)
            .select_from(ClientUser)
            .outerjoin(Chat, and_(Chat.line_id == line_id, Chat.user_id == ClientUser.id))
            .where(ClientUser.id == user_id)
        )
    ).first()
    if company_id is None or row is None:
        return
    change = favourites.FavouriteChanged(line_id, user_id, row[0], row[1], added)
    await eventlog.append(
        session,
        company_id,
        EventKind.FAVOURITE_CHANGED.value,
        present.data(change),
        line_id=line_id,
        user_id=user_id,
        audience=(author_key(caller),),
    )


@handles(routes, favourites_ops.MINE)
async def mine(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        found = await my_favourites(session, caller.id)
    return reply(found)


@handles(routes, favourites_ops.ADD)
async def add(request: web.Request) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)
        path = params(request, favourites_ops.ADD, clients.UserPath)
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
        if await session.get(Favourite, (caller.id, line_id, user_id)) is None:
            session.add(Favourite(specialist_id=caller.id, line_id=line_id, user_id=user_id))
            await session.flush()
            await _announce(session, caller, line_id, user_id, added=True)
        found = await my_favourites(session, caller.id)
    return reply(found)


@handles(routes, favourites_ops.REMOVE)
async def remove(request: web.Request) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)
        path = params(request, favourites_ops.REMOVE, clients.UserPath)
        line_id, user_id = msgspec.structs.astuple(path)
        await served_line(session, caller, line_id)
        gone = await session.execute(
            delete(Favourite).where(
                Favourite.specialist_id == caller.id,
                Favourite.line_id == line_id,
                Favourite.user_id == user_id,
            )
        )
        if gone.rowcount:  # type: ignore[attr-defined]
            await _announce(session, caller, line_id, user_id, added=False)
        found = await my_favourites(session, caller.id)
    return reply(found)
