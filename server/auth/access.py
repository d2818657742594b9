"""What a caller may see: a specialist the lines they serve, a client user their own chats,
anyone the chats of the groups they are members of. Anything else is "not found" (existence
does not leak)."""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.auth.tokens import Caller
from server.core.models import Chat, Line, LineSpecialist, Specialist, StoredFile, Ticket
from server.core.problems import Problem, forbidden, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body
from server.groups.seeing import is_member_sync

T = TypeVar("T")


async def served_line_ids(session: AsyncSession, specialist_id: int) -> set[int]:
    return await session.run_sync(served_line_ids_sync, specialist_id)


def served_line_ids_sync(session: Session, specialist_id: int) -> set[int]:
    rows = session.scalars(
        select(LineSpecialist.line_id).where(LineSpecialist.specialist_id == specialist_id)
    )
    return set(rows)


def specialists_only(caller: Caller) -> None:
    if not caller.is_specialist:
        raise forbidden("specialists-only", "only specialists may do this")


async def specialist_and_body(request: web.Request, kind: type[T]) -> tuple[Caller, T]:
    """A specialist's request (401, then 403) and then its body as ``kind`` (415, 413, 400):
    who asks, before anything about what is asked."""
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
    specialists_only(caller)
    return caller, await body(request, kind)


async def served_line(session: AsyncSession, caller: Caller, line_id: int) -> Line:
    specialists_only(caller)
    line = await session.scalar(
        select(Line)
        .join(LineSpecialist, LineSpecialist.line_id == Line.id)
        .where(Line.id == line_id, LineSpecialist.specialist_id == caller.id)
    )
    if line is None:
        raise not_found("line")
    return line


async def sees_users_own(session: AsyncSession, caller: Caller, line_id: int, user_id: int) -> bool:
    """Whether the caller may see what a line's user has there (a call, a remote session):
    a specialist serving the line, or that user."""
    if caller.is_specialist:
        return line_id in await served_line_ids(session, caller.id)
    return user_id == caller.id


async def visible_chat(session: AsyncSession, caller: Caller, chat_id: int) -> Chat:
    return await session.run_sync(visible_chat_sync, caller, chat_id)


def visible_chat_sync(session: Session, caller: Caller, chat_id: int) -> Chat:
    chat = session.get(Chat, chat_id)
    if chat is None:
        raise not_found("chat")
    if chat.user_id is None:  # a group's chat: its members only, whatever their lines
        if not is_member_sync(session, chat, caller):
            raise not_found("chat")
    elif caller.is_specialist:
        if chat.line_id not in served_line_ids_sync(session, caller.id):
            raise not_found("chat")
    elif chat.user_id != caller.id:
        raise not_found("chat")
    return chat


async def visible_ticket(session: AsyncSession, caller: Caller, ticket_id: int) -> Ticket:
    specialists_only(caller)
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None or ticket.line_id not in await served_line_ids(session, caller.id):
        raise not_found("ticket")
    return ticket


async def visible_file(session: AsyncSession, caller: Caller, file_id: int) -> StoredFile:
    stored = await session.get(StoredFile, file_id)
    if stored is None:
        raise not_found("file")
    try:
        await visible_chat(session, caller, stored.chat_id)
    except Problem as exc:
        raise not_found("file") from exc
    return stored


async def company_of(session: AsyncSession, caller: Caller) -> int | None:
    """The company whose event log the caller follows (the one serving their lines)."""
    if caller.is_specialist:
        return await session.scalar(select(Specialist.company_id).where(Specialist.id == caller.id))
    return await session.scalar(
        select(Line.company_id)
        .join(Chat, Chat.line_id == Line.id)
        .where(Chat.user_id == caller.id)
        .order_by(Line.id)
        .limit(1)
    )
