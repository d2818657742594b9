"""Alerts for chats not in view: a client's message to a chat the specialist is not reading
(another chat open, or the window behind others) becomes a `ChatAlert` — unless the
specialist is in Do not disturb, which mutes them. A part of the core; the window turns an
alert into a desktop notification and the taskbar's attention (ui/chat/notify.py)."""

from __future__ import annotations

from collections.abc import Callable

from app.context import Context
from app.core import parse
from app.core.changes import ChatAlert
from app.net.events import Event
from contract.types import EventKind, Status


class ChatAlerts:
    def __init__(
        self,
        session: Context,
        reading: Callable[[], int | None],
        status: Callable[[], Status],
    ) -> None:
        self._session = session
        self._reading = reading  # the chat being read now (None: none)
        self._status = status
        self.muted = 0  # alerts Do not disturb kept quiet (diagnostics, tests)
        session.routes.register(EventKind.MESSAGE_CREATED, self.on_message_event)

    def on_message_event(self, ev: Event) -> None:
        msg = parse.message(ev.data)
        if msg.author.kind != "client" or msg.chat_id == self._reading():
            return
        if self._status() is Status.DND:
            self.muted += 1
            return
        preview = " ".join(msg.text.split()) or (msg.file.name if msg.file else "")
        self._session.emit(ChatAlert(msg.chat_id, ev.user_id, msg.author.full_name, preview[:200]))
