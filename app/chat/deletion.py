"""A specialist deletes their own message (`DELETE /chats/{id}/messages/{client_msg_id}`):
the server keeps a tombstone and tells everyone who sees the chat (`message.deleted`). Here
the open chat shows the tombstone in the message's place, the replies quoting it say their
original was deleted, and the user's row no longer previews its words."""

from __future__ import annotations

import dataclasses
import logging

from app.clients.chats import Chats
from app.clients.current_line import CurrentLine
from app.context import Context
from app.core import parse
from app.core.changes import MessageUpdated
from app.core.domain import Delivery, Message
from app.net.events import Event
from contract.types import EventKind

log = logging.getLogger("linedesk.chat.deletion")

DELETE = "chat.delete"
"""Intent: (chat_id, client_msg_id) → my message deleted (the tombstone shown)."""


class ChatDeletion:
    def __init__(self, session: Context, chats: Chats, line: CurrentLine) -> None:
        self._session = session
        self._chats = chats
        self._line = line
        session.routes.register(EventKind.MESSAGE_DELETED, self.on_deleted_event)
        session.intents.register(DELETE, self.delete)

    async def delete(self, chat_id: int, client_msg_id: str) -> None:
        api = self._session.api
        assert api is not None
        raw = await api.call("DELETE", f"/chats/{chat_id}/messages/{client_msg_id}")
        self.deleted(parse.message(raw), None)  # its event may come later: the same again

    def on_deleted_event(self, ev: Event) -> None:
        self.deleted(parse.message(ev.data), ev.user_id)

    def deleted(self, tombstone: Message, user_id: int | None) -> None:
        """`tombstone` (a deleted message) in its place, and the quotes of it say so."""
        shown = dataclasses.replace(tombstone, delivery=Delivery.SENT)
        chat = self._chats.chats.get(tombstone.chat_id)
        if chat is not None:
            for i, m in enumerate(chat.messages):
                if m.id == tombstone.id and not m.deleted:
                    chat.messages[i] = shown
                    self._session.emit(MessageUpdated(m.chat_id, shown))
                elif m.quote is not None and m.quote.id == tombstone.id and not m.quote.deleted:
                    gone = dataclasses.replace(m.quote, text="", fragment=False, deleted=True)
                    chat.messages[i] = reply = dataclasses.replace(m, quote=gone)
                    self._session.emit(MessageUpdated(m.chat_id, reply))
        row = self._line.users.get(user_id) if user_id is not None else None
        last = row.last_message if row is not None else None
        if row is not None and last is not None and last.id == tombstone.id and last.text:
            gone_last = dataclasses.replace(last, text="", file_name="")
            self._line.update_row(dataclasses.replace(row, last_message=gone_last))
