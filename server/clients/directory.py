"""A line's directory (every user, compactly, for a client's local search) and rows by id.

A client shows a 100 000-user line without holding 100 000 rows: it takes the
directory once (id, chat id, last message time and search text of every user,
in the display order of ``GET /lines/{id}/users``, and what its list's filter asks:
flags, company, birthday) and fetches full rows only for what it shows
(``GET /lines/{id}/rows?ids=``).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import clients
from contract import routes as api
from server.auth.access import served_line
from server.clients.models import ClientPresence
from server.clients.search import connected
from server.core import present
from server.core.derived import fold
from server.core.models import (
    AccountKind,
    Chat,
    ClientUser,
    Company,
    LineUser,
    Message,
    Specialist,
    SpecialistStatus,
    Ticket,
    TicketState,
    utcnow,
)
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
                Chat.unread,
                ClientUser.company_id,
                ClientUser.birth_date,
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
        found = list(active)
        rest = await session.execute(
            base.where(Chat.last_message_at.is_(None)).order_by(ClientUser.full_name, ClientUser.id)
        )
        found += rest
        marked = await _flagged(session, line_id, caller.id)
    flag = clients.DirectoryFlag
    body = clients.Directory(
        ids=[r[0] for r in found],
        chat_ids=[r[1] for r in found],
        last_message_at=[present.opt_ms(r[2]) for r in found],
        search=[r[3] if r[3] is not None else fold(r[4] or "") for r in found],
        flags=[(flag.UNREAD if r[5] else 0) | marked.get(r[0], 0) for r in found],
        company_ids=[r[6] for r in found],
        birthdays=[0 if r[7] is None else r[7].month * 100 + r[7].day for r in found],
    )
    response = reply(body)
    if (response.content_length or 0) > COMPRESSED_FROM:  # 100 000 users: 18.8 MB of JSON
        response.enable_compression()  # when the client accepts it (aiohttp's does)
    return response


COMPRESSED_FROM = 16 * 1024  # bytes: a directory this long goes compressed (≈ 80 users)


async def _flagged(session: AsyncSession, line_id: int, caller_id: int) -> dict[int, int]:
    """The flags beyond unread of the line's users that have any (few of 100 000): waiting
    for an answer, online, an open ticket held by the caller or by nobody."""
    flag = clients.DirectoryFlag
    marked: dict[int, int] = {}

    def mark(ids: Iterable[int], bit: int) -> None:
        for uid in ids:
            marked[uid] = marked.get(uid, 0) | bit

    on_line = and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id)
    mark(
        await session.scalars(
            select(Chat.user_id)
            .join(Message, Message.id == Chat.last_message_id)
            .where(Chat.line_id == line_id, Message.author_kind == AccountKind.CLIENT)
        ),
        flag.WAITING,
    )
    mark(
        await session.scalars(
            select(ClientPresence.user_id)
            .join(ClientUser, ClientUser.id == ClientPresence.user_id)
            .join(LineUser, on_line)
            .where(ClientPresence.presence == clients.Presence.ONLINE)
        ),
        flag.ONLINE,
    )
    mark(
        await session.scalars(
            select(ClientUser.id)
            .join(LineUser, on_line)
            .join(Specialist, Specialist.id == ClientUser.specialist_id)
            .join(Company, and_(Company.id == ClientUser.company_id, Company.serving))
            .where(Specialist.status != SpecialistStatus.AWAY)
        ),
        flag.ONLINE,
    )
    mark(
        await session.scalars(
            select(Ticket.user_id).where(
                Ticket.line_id == line_id,
                Ticket.state == TicketState.OPEN,
                Ticket.specialist_id == caller_id,
            )
        ),
        flag.MINE,
    )
    mark(
        await session.scalars(
            select(Ticket.user_id).where(
                Ticket.line_id == line_id,
                Ticket.state == TicketState.OPEN,
                Ticket.specialist_id.is_(None),
            )
        ),
        flag.UNHELD,
    )
    return marked


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
