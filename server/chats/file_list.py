"""A chat's files for the info panel (GET /chats/{id}/files): the messages that carry one,
newest first — found from the files table (indexed by chat) and ``ix_messages_file_id``, so
a chat of 100 000 messages with a few files is not read through."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from contract import chats as wire
from contract import chats_ops as ops
from server.auth.access import visible_chat_sync
from server.auth.tokens import Caller
from server.core import present
from server.core.models import Message, StoredFile
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()


def files_of(session: Session, caller: Caller, chat_id: int, limit: int) -> wire.FileMessages:
    visible_chat_sync(session, caller, chat_id)
    rows = session.scalars(
        select(Message)
        .join(StoredFile, StoredFile.id == Message.file_id)
        .where(StoredFile.chat_id == chat_id, Message.chat_id == chat_id)
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    return wire.FileMessages(present.messages_sync(session, rows))


@handles(routes, ops.FILES)
async def files(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, ops.FILES, wire.FilesQuery)
        found = await session.run_sync(files_of, caller, asked.chat_id, asked.limit)
    return reply(found)
