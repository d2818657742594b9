"""A specialist deletes their own message (DELETE /chats/{id}/messages/{client_msg_id}): it
stays as a tombstone — its row keeps the retry key (a late retry of the send gets the
tombstone, never a second message) and the id replies quote — with its text, file and quote
cleared, and the fragments replies copied from it too. ``message.deleted`` carries the
tombstone to everyone who sees the chat; deleting it again answers the same, with no event."""

from __future__ import annotations

import functools
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from contract import chats as wire
from contract import routes as api
from server.auth.access import specialists_only, visible_chat_sync
from server.auth.tokens import bearer, caller_of_sync
from server.chats.routes import sent_by
from server.core import present
from server.core.models import Chat, Line, Message, StoredFile, utcnow
from server.core.problems import not_found
from server.core.state import state_of
from server.core.wire import handles, params, reply
from server.events import log as eventlog
from server.groups.seeing import chat_audience_sync
from server.tickets import retry

routes = web.RouteTableDef()


@handles(routes, api.DELETE_MESSAGE)
async def delete(request: web.Request) -> web.Response:
    state = state_of(request)
    token = bearer(request)  # no token: 401, whatever the parameters
    path = params(request, api.DELETE_MESSAGE, wire.MessagePath)
    work = functools.partial(_delete, token, path.chat_id, path.key)
    data, blob = await retry.transact(state.db, work)
    if blob is not None:  # the file went with its message
        (state.settings.files_dir / blob).unlink(missing_ok=True)
    return reply(data)


def _delete(
    token: str, chat_id: int, key: str, session: Session
) -> tuple[wire.Message, str | None]:
    caller = caller_of_sync(session, token)
    specialists_only(caller)
    visible_chat_sync(session, caller, chat_id)
    chat = session.get_one(Chat, chat_id, with_for_update=True)
    message = sent_by(session, caller, chat_id, key)
    if message is None:
        raise not_found("message")
    if message.deleted_at is not None:
        return present.messages_sync(session, [message])[0], None
    message.deleted_at = utcnow()
    message.text = ""
    message.quote_id, message.quote_text = None, None
    file_id, message.file_id = message.file_id, None
    session.execute(update(Message).where(Message.quote_id == message.id).values(quote_text=None))
    session.flush()
    blob = _drop_file(session, file_id)
    (data,) = present.messages_sync(session, [message])
    company_id = session.scalar(select(Line.company_id).where(Line.id == chat.line_id))
    eventlog.append_sync(
        session,
        int(company_id or 0),
        "message.deleted",
        present.data(data),
        line_id=chat.line_id,
        chat_id=chat.id,
        user_id=chat.user_id,
        audience=chat_audience_sync(session, chat) if chat.user_id is None else None,
    )
    return data, blob


def _drop_file(session: Session, file_id: int | None) -> str | None:
    """The file no message carries any more: its row removed, its blob's name returned."""
    if file_id is None:
        return None
    if session.scalar(select(func.count()).where(Message.file_id == file_id)):
        return None
    stored = session.get(StoredFile, file_id)
    if stored is None:
        return None
    blob = Path(stored.storage_name).name
    session.delete(stored)
    return blob
