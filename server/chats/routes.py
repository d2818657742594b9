"""Chats, their messages (idempotent send), read marks, tickets. A group's chat
(``server.groups``) is a chat too: no tickets, and its events reach its members only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from msgspec import UNSET
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from contract import chats as wire
from contract import routes as api
from contract.events import ChatRead
from contract.tickets import Opener
from contract.types import shows_something
from server.auth.access import specialists_only, visible_chat, visible_chat_sync
from server.auth.tokens import Caller, bearer, caller_of_sync
from server.clients.disconnected import refuse_if_disconnected
from server.core import present
from server.core.models import (
    AccountKind,
    Chat,
    Line,
    Message,
    StoredFile,
    utcnow,
)
from server.core.problems import Problem, field_error, forbidden, missing, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, params, reply
from server.events import log as eventlog
from server.groups.seeing import chat_audience_sync
from server.tickets import retry
from server.tickets.lifecycle import route_opened, ticket_for_message
from server.tickets.steps import announce

routes = web.RouteTableDef()
T = TypeVar("T")


@handles(routes, api.CHATS)
async def chats(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        if caller.is_specialist:
            raise forbidden("clients-only", "specialists list the users of a line instead")
        rows = await session.execute(
            select(Chat.id, Line.id, Line.public_name)
            .join(Line, Line.id == Chat.line_id)
            .where(Chat.user_id == caller.id)
            .order_by(Chat.id)
        )
        items = [
            wire.Chat(chat_id, wire.ChatLine(line_id, public_name))
            for chat_id, line_id, public_name in rows
        ]
    return reply(wire.Chats(items))


@handles(routes, api.HISTORY)
async def history(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, api.HISTORY, wire.HistoryQuery)
        chat_id, limit = asked.chat_id, asked.limit
        before = None if asked.before is UNSET else asked.before
        after = None if asked.after is UNSET else asked.after
        await visible_chat(session, caller, chat_id)
        query = select(Message).where(Message.chat_id == chat_id)
        if before is not None:
            query = query.where(Message.id < before)
        if after is not None:  # with before too: the oldest of the range first
            query = query.where(Message.id > after).order_by(Message.id)
        else:
            query = query.order_by(Message.id.desc())
        rows = list((await session.scalars(query.limit(limit + 1))).all())
        has_more = len(rows) > limit
        rows = sorted(rows[:limit], key=lambda m: m.id)
        items = await present.messages(session, rows)
    return reply(wire.MessagePage(items, has_more))


@handles(routes, api.SEND)
async def send(request: web.Request) -> web.Response:
    """One write transaction does it all: who is sending, whether they see the chat, a retry
    found, or the message written. Its parameters and body are read first and what is wrong
    with them is said once the caller is known (401 first, as everywhere), a path's before
    the chat is looked at, a body's after (another line's chat is 404 whatever is sent)."""
    state = state_of(request)
    new = NewMessage(bearer(request), _judged(params, request, api.SEND, wire.MessagePath))
    try:
        new.sent = await body(request, wire.MessageRequest)
    except Problem as exc:
        new.sent = exc
    status, data = await retry.transact(state.db, new.send)  # a PG deadlock: again
    return reply(data, status=status)


def _judged(read: Callable[..., T], *args: Any) -> T | Problem:
    try:
        return read(*args)
    except Problem as exc:
        return exc


# A send's own reads, built once (docs/benchmarks.md: building a statement costs more CPU
# than PostgreSQL's answer to it).
_LOCK_CHAT = (
    select(Chat, Line.company_id)
    .join(Line, Line.id == Chat.line_id)
    .where(Chat.id == bindparam("chat_id"))
    .with_for_update(of=Chat)
    .execution_options(populate_existing=True)
)
_SENT_BY = {
    by_a_specialist: select(Message).where(
        Message.chat_id == bindparam("chat_id"),
        Message.client_msg_id == bindparam("key"),
        (Message.author_specialist_id if by_a_specialist else Message.author_user_id)
        == bindparam("author"),
    )
    for by_a_specialist in (True, False)
}


def sent_by(session: Session, caller: Caller, chat_id: int, client_msg_id: str) -> Message | None:
    """The message ``caller`` sent to the chat with this retry key: a key is its author's
    (another author's message with the same key is not a retry of this one)."""
    return session.scalar(
        _SENT_BY[caller.is_specialist],
        {"chat_id": chat_id, "key": client_msg_id, "author": caller.id},
    )


@dataclass(slots=True)
class NewMessage:
    """A send, as one short write transaction (``Database.transact``; no awaits inside)."""

    token: str
    path: wire.MessagePath | Problem
    sent: wire.MessageRequest | Problem | None = None

    def send(self, session: Session) -> tuple[int, wire.Message]:
        caller = caller_of_sync(session, self.token)
        path = _given(self.path)
        chat_id, client_msg_id = path.chat_id, path.key
        # The chat row lock serializes sends to a chat: a concurrent retry waits, then
        # finds its original below. Taken first, so that the visibility check reads the
        # locked row (a chat the caller may not see is locked for that moment only).
        locked = session.execute(_LOCK_CHAT, {"chat_id": chat_id}).first()
        if locked is None:
            raise not_found("chat")
        chat, company_id = locked
        visible_chat_sync(session, caller, chat_id)  # the chat is in the session: no read
        sent = _given(self.sent)
        # invisible characters alone (zero-width, direction marks) are no text: an empty bubble
        text = sent.text.strip() if shows_something(sent.text) else ""
        if not text and sent.file_id is None:  # the body's rule, whether or not a retry
            raise field_error("text", "a message needs text or a file")
        original = sent_by(session, caller, chat_id, client_msg_id)
        if original is not None:
            return 200, present.messages_sync(session, [original])[0]
        by_the_user = not caller.is_specialist
        refuse_if_disconnected(session, chat.line_id, chat.user_id, by_the_user=by_the_user)
        written = _Writing(
            caller,
            company_id,
            client_msg_id,
            text,
            sent.quote_id,
            sent.file_id,
            " ".join(sent.quote_text.split()) if shows_something(sent.quote_text) else "",
        )
        return 201, written.create(session, chat)


def _given(judged: T | Problem | None) -> T:
    if isinstance(judged, Problem):
        raise judged
    assert judged is not None
    return judged


@dataclass(frozen=True, slots=True)
class _Writing:
    caller: Caller
    company_id: int  # of the chat's line (fixed)
    client_msg_id: str
    text: str
    quote_id: int | None
    file_id: int | None
    quote_text: str = ""  # a part of the quoted message (spaces folded); "": all of it

    def create(self, session: Session, chat: Chat) -> wire.Message:
        """Insert the message (opening or taking its ticket) and its events."""
        caller, chat_id, quote_text = self.caller, chat.id, self.quote_text
        if self.quote_id is not None:
            quoted = session.get(Message, self.quote_id)
            if quoted is None or quoted.chat_id != chat_id:
                raise missing("quote_id", "no such message in this chat")
            if quoted.deleted_at is not None:  # deleted meanwhile: the reply says so
                quote_text = ""
            elif self.quote_text and self.quote_text not in " ".join(quoted.text.split()):
                raise missing("quote_text", "not a part of the quoted message")
        elif self.quote_text:
            raise field_error("quote_text", "a fragment needs the message it is from")
        if self.file_id is not None:
            # held (FOR KEY SHARE) until the message is in: the unused-files sweep
            # (server/chats/unused.py) skips it, or deleted it first and it is gone here
            shared = {"read": True, "key_share": True}
            stored = session.get(StoredFile, self.file_id, with_for_update=shared)
            if stored is None or stored.chat_id != chat_id:
                raise missing("file_id", "no such file in this chat")
        holder = caller.id if caller.is_specialist else None
        via = Opener.MESSAGE if self.file_id is None else Opener.FILE
        group = chat.user_id is None  # a group's chat: no tickets, its members see it
        ticket = (
            None
            if group
            else ticket_for_message(session, chat, self.company_id, holder, via, route_later=True)
        )
        message = Message(
            chat_id=chat.id,
            client_msg_id=self.client_msg_id,
            author_kind=caller.kind,
            author_specialist_id=caller.id if caller.is_specialist else None,
            author_user_id=None if caller.is_specialist else caller.id,
            text=self.text,
            quote_id=self.quote_id,
            quote_text=quote_text or None,
            file_id=self.file_id,
            ticket_id=None if ticket is None else ticket.id,
            created_at=utcnow(),
        )
        session.add(message)
        session.flush()
        chat.last_message_id = message.id
        chat.last_message_at = message.created_at
        if not caller.is_specialist:
            chat.unread += 1
        (data,) = present.messages_sync(session, [message])
        route_opened(session)  # a new ticket's holder: their lock from here to the commit
        announce(session, self.company_id)  # the ticket's steps (opened, …) first
        eventlog.append_sync(
            session,
            self.company_id,
            "message.created",
            present.data(data),
            line_id=chat.line_id,
            chat_id=chat.id,
            user_id=chat.user_id,
            audience=chat_audience_sync(session, chat) if group else None,
        )
        return data


def _message_of(chat_id: int, message_id: int) -> Select[int]:
    return select(Message.id).where(Message.id == message_id, Message.chat_id == chat_id)


@handles(routes, api.MARK_READ)
async def mark_read(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        chat_id = params(request, api.MARK_READ, wire.ChatPath).chat_id
        await visible_chat(session, caller, chat_id)
    specialists_only(caller)
    up_to = (await body(request, wire.ReadRequest)).up_to
    async with state.db.write() as session:
        chat = await session.get_one(Chat, chat_id, with_for_update=True)
        if await session.scalar(_message_of(chat_id, up_to)) is None:
            # another chat's message, or none at all: refused, nothing changes
            raise missing("up_to", "no such message in this chat")
        line = await session.get_one(Line, chat.line_id)
        chat.read_up_to = max(chat.read_up_to, up_to)
        chat.unread = int(
            await session.scalar(
                select(func.count()).where(
                    Message.chat_id == chat_id,
                    Message.author_kind == AccountKind.CLIENT,
                    Message.id > chat.read_up_to,
                )
            )
            or 0
        )
        await eventlog.append(
            session,
            line.company_id,
            "chat.read",
            present.data(ChatRead(chat_id=chat_id, up_to=chat.read_up_to, by=caller.id)),
            line_id=chat.line_id,
            chat_id=chat_id,
            user_id=chat.user_id,
            audience=await session.run_sync(chat_audience_sync, chat),
        )
    return web.Response(status=204)
