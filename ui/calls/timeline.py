"""A call's own line in its chat's timeline: every call record (``contract.calls``) as a
quiet system line like a ticket's steps (ui/tickets/steps.py) — direction, how it went
(ringing, talking, answered with its duration, missed, declined, busy, failed and why) and
the specialist's comment — put among the messages by its ringing time and changed in place
as the record changes (``call.updated`` through app/calls: ``CallChanged``). A comment is
plain text: the chat's delegate draws system lines as text, never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from app.core.domain import Author, Message
from contract import calls as wire
from contract.types import AccountKind

if TYPE_CHECKING:
    from app.core import changes as ch
    from ui.chat.model import ChatModel
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk

PREFIX = "call:"  # the line's key in the chat model (ui/chat/model.py `is_step`)


def duration_text(seconds: int) -> str:
    """42 → 0:42, 3725 → 1:02:05."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _failure(reason: str | None) -> str:
    from telephony.problems import EndReason
    from ui.calls.texts import end_text

    if reason in {r.value for r in EndReason}:
        return end_text(EndReason(reason))
    return reason or QCoreApplication.translate("Calls", "The call failed")


def call_text(record: wire.CallRecord) -> str:
    """The record in words: "Incoming call · answered · 2:05 · «comment»"."""
    incoming = record.direction is wire.CallDirection.INCOMING
    parts = [
        QCoreApplication.translate("Calls", "Incoming call")
        if incoming
        else QCoreApplication.translate("Calls", "Outgoing call")
    ]
    state, result = record.state, record.result
    if state is wire.CallState.RINGING:
        parts.append(QCoreApplication.translate("Calls", "ringing…"))
    elif state is wire.CallState.ANSWERED:
        parts.append(QCoreApplication.translate("Calls", "talking…"))
    elif result is wire.CallResult.ANSWERED:
        parts.append(QCoreApplication.translate("Calls", "answered"))
        if record.duration is not None:
            parts.append(duration_text(record.duration))
    elif result is wire.CallResult.MISSED:
        parts.append(
            QCoreApplication.translate("Calls", "missed")
            if incoming
            else QCoreApplication.translate("Calls", "not answered")
        )
    elif result is wire.CallResult.DECLINED:
        parts.append(QCoreApplication.translate("Calls", "declined"))
    elif result is wire.CallResult.BUSY:
        parts.append(QCoreApplication.translate("Calls", "busy"))
    else:
        parts.append(
            QCoreApplication.translate("Calls", "failed: %1").replace("%1", _failure(record.reason))
        )
    if record.comment:
        parts.append(f"«{record.comment}»")
    return " · ".join(parts)


def as_line(record: wire.CallRecord) -> Message:
    """The record as the chat model's row: a message keyed ``call:<id>`` (never sent, no id:
    paging by message ids passes it by), at its ringing time."""
    return Message(
        id=None,
        chat_id=record.chat_id,
        client_msg_id=f"{PREFIX}{record.id}",
        author=Author(record.specialist_id or 0, AccountKind.SPECIALIST, ""),
        text=call_text(record),
        created_at=record.ringing_at,
        ticket_id=record.ticket_id,
    )


class CallLines(QObject):
    """Keeps the open chat's call lines: all of them when it opens, each change live."""

    def __init__(self, parent: QObject, desk: Desk) -> None:
        super().__init__(parent)
        self._desk = desk

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.ChatOpened, self._on_chat_opened)
        bridge.handle(ch.CallChanged, self._on_call)

    def _model(self) -> ChatModel:
        window: Any = self.parent()
        model: ChatModel = window.chat.chat_model
        return model

    def show(self, record: wire.CallRecord) -> None:
        """The record's line in the open chat (if it is this record's): new, or changed."""
        model = self._model()
        if model.chat_id == record.chat_id:
            line = as_line(record)
            model.update(line)  # a line already there changes in place
            model.insert_step(line)  # else it goes in by its time

    def _on_call(self, change: ch.CallChanged) -> None:
        self.show(change.record)

    def _on_chat_opened(self, change: ch.ChatOpened) -> None:
        workplace: Any = self._desk.workplace
        book = getattr(workplace, "calls", None)
        if book is not None:
            self._desk.spawn(self._load(book, change.chat_id))

    async def _load(self, book: Any, chat_id: int) -> None:
        for record in await book.of_chat(chat_id):
            self.show(record)
