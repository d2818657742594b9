"""The ticket a specialist's own contact with a line's user belongs to: a call they report
or a remote session they ask for. Shared by ``server.calls`` and ``server.remote``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract.tickets import Opener
from server.clients.disconnected import connection_held, refuse_if_disconnected_async
from server.core.models import Chat, Line, Ticket
from server.core.problems import not_found
from server.tickets.lifecycle import ticket_for_message


async def ticket_for_contact(
    session: AsyncSession, line: Line, user_id: int, specialist_id: int, via: Opener
) -> Ticket:
    """The open ticket of the user's chat on ``line`` (its ``chat_id`` the chat's), opened
    by ``via`` and taken by the specialist as their message would (``ticket_for_message``).

    The chat is locked first, as a send does (lifecycle's order), then the user's connection
    (``connection_held``); a user with neither is 404 ``user``, a disconnected one 403. A
    chat the user does not have yet is made. Inside the caller's write transaction."""
    chat = await session.scalar(
        select(Chat).where(Chat.line_id == line.id, Chat.user_id == user_id).with_for_update()
    )
    member = await connection_held(session, line.id, user_id)
    if member is None and chat is None:
        raise not_found("user")
    await refuse_if_disconnected_async(session, line.id, user_id, by_the_user=False)
    if chat is None:
        chat = Chat(line_id=line.id, user_id=user_id)
        session.add(chat)
        await session.flush()
    return await session.run_sync(
        lambda sync: ticket_for_message(sync, chat, line.company_id, specialist_id, via)
    )
