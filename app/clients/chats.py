"""Chats: the open chat and its history pages, sending through the outbox (the courier that
delivers it, retry, delivery updates) and live messages (`message.created`), without echoed
duplicates."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.clients.arrivals import Arrivals, catch_up
from app.clients.current_line import CurrentLine
from app.context import Context
from app.core import parse
from app.core.changes import (
    ChatOpened,
    HistoryPrepended,
    MessageAdded,
    MessageUpdated,
    Problem,
    UserTyping,
)
from app.core.domain import AccountKind, Author, Delivery, Message, Quote
from app.core.problems import ProblemCode
from app.core.tasks import Tasks
from app.net.api import ApiError, NotFound, Unauthorized, Unreachable
from app.net.events import TYPING, Event
from app.store import outbox
from app.store.outbox import Delivered, Failed, OutboxItem, Result
from contract import chats as wire
from contract.types import EventKind

log = logging.getLogger("linedesk.workplace.chats")

PAGE = 50  # chat history page
JUMP = "chat.jump"
"""Intent: (chat_id, message_id) → the open chat shown around that message (a search hit,
a quote): (messages, has_older, has_newer), or None when it is not there."""
LOAD_NEWER = "chat.load_newer"
"""Intent: (chat_id) → the next newer page of a chat shown from a jump: (messages, has_newer)."""


@dataclass(slots=True)
class ChatState:
    chat_id: int
    user_id: int
    messages: list[Message] = field(default_factory=list)  # ascending, own pending at the end
    has_more: bool = False
    ids: set[int] = field(default_factory=set)
    has_newer: bool = False  # shown from a jump: newer messages are on the server, not here

    def index_of(self, client_msg_id: str) -> int | None:
        if not client_msg_id:
            return None
        for i in range(len(self.messages) - 1, -1, -1):
            if self.messages[i].client_msg_id == client_msg_id:
                return i
        return None


class Chats:
    def __init__(self, session: Context, line: CurrentLine) -> None:
        self._session = session
        self._current_line = line
        self.chats: dict[int, ChatState] = {}
        self.current_chat_id: int | None = None
        self.seen = True  # the window is in front: what comes into the open chat is read
        self.page = PAGE
        self._courier_wake = asyncio.Event()
        self._arrivals = Arrivals()  # live messages while a page of their chat is on its way
        self.tasks = Tasks(log=log)
        self._read_wanted: dict[int, int] = {}  # chat → read up to this (not yet told)
        # chat → read up to this, which the server could not be told (down, or its reply
        # lost): told again by the courier once it is back (else the chat stayed unread)
        self._read_owed: dict[int, int] = {}
        session.routes.register(EventKind.MESSAGE_CREATED, self.on_message_event)
        session.routes.register(TYPING, self.on_typing)
        session.intents.register(JUMP, self.jump)
        session.intents.register(LOAD_NEWER, self.load_newer)

    # -- history ------------------------------------------------------------------------------

    async def open(self, user_id: int) -> None:
        users = self._current_line.users
        chat_id = users.chat_id(user_id)
        if chat_id is None:
            return
        row = users.get(user_id)
        await self._open(chat_id, user_id, row.unread if row is not None else None)

    async def open_chat(self, chat_id: int) -> None:
        """A chat that is no user's (a group's, app/groups/): shown as any chat, user 0."""
        await self._open(chat_id, 0, None)

    async def _open(self, chat_id: int, user_id: int, unread: int | None) -> None:
        s = self._session
        assert s.api is not None
        self.current_chat_id = chat_id
        with self._arrivals.catching(chat_id) as arriving:
            try:
                msgs, has_more = await s.api.messages(chat_id, limit=self.page)
                s.write(s.cache.save_history(s.account, chat_id, msgs, has_more), "cache-history")
            except Unreachable as e:
                s.stale = True
                cached = await s.cache.load_history(s.account, chat_id)
                if cached is None:
                    s.problem_from(e)
                    msgs, has_more = [], False
                else:
                    msgs, has_more = cached
        if self.current_chat_id != chat_id:
            return
        chat = ChatState(chat_id, user_id, list(msgs), has_more, {m.id for m in msgs if m.id})
        catch_up(chat, arriving)
        known = {m.client_msg_id for m in chat.messages if m.client_msg_id}
        for item in s.outbox.items(s.account, chat_id):
            if item.client_msg_id not in known:
                chat.messages.append(self._outbox_message(item))
        self.chats[chat_id] = chat
        s.emit(ChatOpened(user_id, chat_id, tuple(chat.messages), has_more))
        last = next((m for m in reversed(chat.messages) if m.id is not None), None)
        if unread is None:
            unread = bool(last and last.author.kind == "client")
        if unread and last is not None and last.id is not None:
            self.read_up_to(chat_id, last.id)

    def read_chat_id(self) -> int | None:
        """The chat being read now: the open one while the window is seen, else none."""
        return self.current_chat_id if self.seen else None

    def set_seen(self, seen: bool) -> None:
        """The window came to the front (True) or went behind others / was minimised (False).
        Messages that came into the open chat meanwhile count as unread until it is seen."""
        was, self.seen = self.seen, seen
        if not seen or was or self.current_chat_id is None:
            return
        chat = self.chats.get(self.current_chat_id)
        if chat is not None:
            self._read_to_end(chat)

    def _read_to_end(self, chat: ChatState, *, jumped: bool = False) -> None:
        """The chat being read shows its newest: the user's messages that came while it
        could not be seen are read now — the window behind others (the row counts them), or
        the chat shown from a jump (its live messages waited for the pages, so the server
        was told nothing; the open chat's row never counts them)."""
        if self.read_chat_id() != chat.chat_id:
            return
        row = self._current_line.users.get(chat.user_id)
        last = next((m.id for m in reversed(chat.messages) if m.id), None)
        if row is not None and (row.unread or jumped) and last is not None:
            self.read_up_to(chat.chat_id, last)

    def open_chat_user_id(self) -> int | None:
        """The user of the open chat, to open it again after a reload."""
        chat = self.chats.get(self.current_chat_id) if self.current_chat_id is not None else None
        return chat.user_id if chat is not None and chat.user_id else None

    def read_up_to(self, chat_id: int, up_to: int) -> None:
        """Tell the server the chat was read up to `up_to`: one request in flight per chat,
        the newest wanted sent when it returns (a flood into the open chat is a few reads,
        not one per message)."""
        wanted = self._read_wanted.get(chat_id)
        self._read_wanted[chat_id] = max(up_to, wanted or 0)
        if wanted is None:
            self.tasks.spawn(self._mark_read(chat_id), "mark-read")

    async def _mark_read(self, chat_id: int) -> None:
        assert self._session.api is not None
        told = 0
        try:
            while (up_to := self._read_wanted.get(chat_id, 0)) > told:
                try:
                    await self._session.api.mark_read(chat_id, up_to)
                except ApiError as e:
                    log.info("mark read: %s", e)
                    if e.transient:
                        self._read_owed[chat_id] = max(up_to, self._read_owed.get(chat_id, 0))
                    return
                told = up_to
                self._current_line.mark_read(chat_id, up_to)
        finally:
            self._read_wanted.pop(chat_id, None)

    async def load_older(self, chat_id: int) -> None:
        assert self._session.api is not None
        chat = self.chats.get(chat_id)
        if chat is None:
            return
        first = next((m.id for m in chat.messages if m.id is not None), None)
        if first is None:
            self._session.emit(HistoryPrepended(chat_id, (), False))
            return
        msgs, has_more = await self._session.api.messages(chat_id, before=first, limit=self.page)
        msgs = [m for m in msgs if m.id not in chat.ids]
        chat.messages[:0] = msgs
        chat.ids.update(m.id for m in msgs if m.id is not None)
        chat.has_more = has_more
        self._session.emit(HistoryPrepended(chat_id, tuple(msgs), has_more))

    async def jump(self, chat_id: int, message_id: int) -> tuple[list[Message], bool, bool] | None:
        """Show the open chat around `message_id` (already here: as it is). A page without
        it: the message is not in the chat; None: the chat was closed, or the server could
        not answer (a Problem says why)."""
        api = self._session.api
        assert api is not None
        chat = self.chats.get(chat_id)
        if chat is None:
            return None
        if message_id in chat.ids:
            return list(chat.messages), chat.has_more, chat.has_newer
        try:
            with self._arrivals.catching(chat_id) as arriving:
                raw = await api.call(
                    "GET", f"/chats/{chat_id}/around/{message_id}", params={"limit": str(self.page)}
                )
        except NotFound:  # not in this chat (any more): the window says so; any other error
            return [], chat.has_more, chat.has_newer  # is a Problem (and None) of its own
        page = parse.convert(raw, wire.AroundPage)
        msgs = [parse.message(m) for m in raw["items"]]
        if self.chats.get(chat_id) is not chat:
            return None
        chat.messages = msgs
        chat.ids = {m.id for m in msgs if m.id is not None}
        chat.has_more, chat.has_newer = page.has_older, page.has_newer
        if not page.has_newer:  # the newest are here: own messages on their way go after
            catch_up(chat, arriving)
            self._read_to_end(chat, jumped=True)
            known = {m.client_msg_id for m in msgs}
            for item in self._session.outbox.items(self._session.account, chat_id):
                if item.client_msg_id not in known:
                    chat.messages.append(self._outbox_message(item))
        return list(chat.messages), chat.has_more, chat.has_newer

    async def load_newer(self, chat_id: int) -> tuple[list[Message], bool] | None:
        api = self._session.api
        assert api is not None
        chat = self.chats.get(chat_id)
        if chat is None or not chat.has_newer:
            return None
        last = next((m.id for m in reversed(chat.messages) if m.id is not None), 0)
        shown = chat.messages
        with self._arrivals.catching(chat_id) as arriving:
            msgs, has_more = await api.messages(chat_id, after=last, limit=self.page)
        if self.chats.get(chat_id) is not chat or chat.messages is not shown:
            return None  # opened again or jumped elsewhere meanwhile: the page is of neither
        msgs = [m for m in msgs if m.id not in chat.ids]
        chat.messages.extend(msgs)
        chat.ids.update(m.id for m in msgs if m.id is not None)
        chat.has_newer = has_more
        if not has_more:  # the present reached: what was written meanwhile goes after
            msgs.extend(catch_up(chat, arriving))
            self._read_to_end(chat, jumped=True)
        return msgs, has_more

    # -- sending ------------------------------------------------------------------------------

    def _outbox_message(self, item: OutboxItem) -> Message:
        me = self._session.me
        return Message(
            id=None,
            chat_id=item.chat_id,
            client_msg_id=item.client_msg_id,
            author=Author(me.id if me else 0, AccountKind.SPECIALIST, me.full_name if me else ""),
            text=item.text,
            created_at=item.created_at,
            delivery=Delivery.SENDING if item.state == "pending" else Delivery.FAILED,
            error=item.error,
            quote=self._quote_of(item.chat_id, item.quote_id, item.quote_text),
        )

    def _quote_of(self, chat_id: int, message_id: int | None, part: str = "") -> Quote | None:
        """The quote a message on its way shows (the server's comes with its echo)."""
        chat = self.chats.get(chat_id)
        if message_id is None or chat is None:
            return None
        quoted = next((m for m in chat.messages if m.id == message_id), None)
        if quoted is None or quoted.id is None:
            return None
        return Quote(
            quoted.id, part or quoted.text, quoted.author.full_name, bool(part), quoted.deleted
        )

    def _unsent(self, chat_id: int, text: str, error: ProblemCode) -> Message:
        me = self._session.me
        return Message(
            id=None,
            chat_id=chat_id,
            client_msg_id="",
            author=Author(me.id if me else 0, AccountKind.SPECIALIST, ""),
            text=text,
            created_at=datetime.now(UTC),
            delivery=Delivery.FAILED,
            error=error,
        )

    def send(
        self, chat_id: int, text: str, quote_id: int | None = None, quote_text: str = ""
    ) -> Message:
        """Queue a message in the outbox; `MessageAdded` (SENDING) now, `MessageUpdated` later.
        `quote_text`: the part of the quoted message quoted ("": all of it)."""
        try:
            return self._send(chat_id, text, quote_id, " ".join(quote_text.split()))
        except Exception as e:  # e.g. the disk is full: say so, never raise into a slot
            log.exception("send failed")
            self._session.emit(Problem(ProblemCode.MESSAGE_REJECTED, f"{type(e).__name__}: {e}"))
            return self._unsent(chat_id, text, ProblemCode.MESSAGE_REJECTED)

    def _send(self, chat_id: int, text: str, quote_id: int | None, quote_text: str) -> Message:
        s = self._session
        if not text.strip():
            msg = self._unsent(chat_id, text, ProblemCode.MESSAGE_EMPTY)
            s.emit(Problem(ProblemCode.MESSAGE_EMPTY))
            return msg
        item = s.outbox.add(s.account, chat_id, text, quote_id, quote_text=quote_text)
        msg = self._outbox_message(item)
        chat = self.chats.get(chat_id)
        if chat is not None:
            chat.messages.append(msg)
        s.emit(MessageAdded(chat_id, msg))
        self._courier_wake.set()
        return msg

    def retry(self, chat_id: int, client_msg_id: str) -> None:
        try:
            item = self._session.outbox.retry(client_msg_id)
        except Exception as e:
            log.exception("retry failed")
            self._session.emit(Problem(ProblemCode.MESSAGE_REJECTED, f"{type(e).__name__}: {e}"))
            return
        if item is None:
            return
        msg = self._outbox_message(item)
        self._replace_in_chat(chat_id, msg)
        self._session.emit(MessageUpdated(chat_id, msg))
        self._courier_wake.set()

    def _replace_in_chat(self, chat_id: int, msg: Message) -> bool:
        chat = self.chats.get(chat_id)
        if chat is None:
            return False
        i = chat.index_of(msg.client_msg_id)
        if i is None:
            return False
        chat.messages[i] = msg
        if msg.id is not None:
            chat.ids.add(msg.id)
        return True

    def start(self) -> None:
        """Signed in: deliver the outbox from now on (until the session's tasks are cancelled)."""
        if not self.tasks.running("outbox-courier"):
            self.tasks.spawn(self.courier(), "outbox-courier")

    def wake_courier(self) -> None:
        self._courier_wake.set()

    async def courier(self) -> None:
        """Deliver the outbox, then the reads the server missed: at once when woken (the
        connection back), and every few seconds while items wait."""
        s = self._session
        delay = outbox.RETRY_FIRST_S
        while True:
            self._courier_wake.clear()
            if s.api is not None and s.me is not None and s.server_checked:
                try:
                    await s.outbox.flush(s.api, s.account, self._on_delivery)
                    delay = outbox.RETRY_FIRST_S
                    owed, self._read_owed = self._read_owed, {}
                    for chat_id, up_to in owed.items():  # the server is back: the reads too
                        self.read_up_to(chat_id, up_to)
                except ApiError as e:
                    log.info("outbox waits: %s", e)
                    delay = 60.0 if isinstance(e, Unauthorized) else outbox.backoff(delay)
                except Exception:
                    log.exception("outbox courier")
                    delay = 30.0
            pending = bool(s.me and s.outbox.pending(s.account))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._courier_wake.wait(), delay if pending else 60.0)

    def _on_delivery(self, result: Result) -> None:
        emit = self._session.emit
        if isinstance(result, Delivered):
            msg = dataclasses.replace(result.message, delivery=Delivery.SENT)
            chat = self.chats.get(msg.chat_id)
            if chat is not None:
                i = chat.index_of(msg.client_msg_id)
                if i is not None and chat.messages[i].id is not None:
                    return  # the server's echo came first and already updated it
                if i is None and msg.id in chat.ids:
                    return
                if i is None and chat.has_newer:  # shown from a jump: it comes with the pages
                    self._current_line.lift_for_message(msg, None)  # under it, in its place
                    return
                if i is None:
                    chat.messages.append(msg)
                    chat.ids.add(msg.id)  # type: ignore[arg-type]
                    emit(MessageAdded(msg.chat_id, msg))
                else:
                    self._replace_in_chat(msg.chat_id, msg)
                    emit(MessageUpdated(msg.chat_id, msg))
            else:
                emit(MessageUpdated(msg.chat_id, msg))
            self._current_line.lift_for_message(msg, None)
        elif isinstance(result, Failed):
            msg = dataclasses.replace(
                self._outbox_message(result.item), delivery=Delivery.FAILED, error=result.error
            )
            self._replace_in_chat(msg.chat_id, msg)
            emit(MessageUpdated(msg.chat_id, msg))

    # -- live ---------------------------------------------------------------------------------

    def on_typing(self, ev: Event) -> None:
        """A typing notice: said for the open chat's client user."""
        current = ev.chat_id is not None and ev.chat_id == self.current_chat_id
        if current and ev.data.get("kind") == "client" and ev.chat_id is not None:
            self._session.emit(UserTyping(ev.chat_id, str(ev.data.get("name", ""))))

    def on_message_event(self, ev: Event) -> None:
        """`message.created`: into the open chat (own echo replaces its pending row), then
        the user's row in the current line."""
        s = self._session
        msg = parse.message(ev.data)
        self._arrivals.heard(msg)
        chat = self.chats.get(msg.chat_id)
        if chat is not None and chat.has_newer:
            chat = None  # shown from a jump: it comes with the newer pages
        if chat is not None and msg.id not in chat.ids:
            mine = (
                s.me is not None and msg.author.kind == "specialist" and (msg.author.id == s.me.id)
            )
            i = chat.index_of(msg.client_msg_id) if mine else None
            shown = dataclasses.replace(msg, delivery=Delivery.SENT)
            if i is not None:
                chat.messages[i] = shown
                chat.ids.add(msg.id)  # type: ignore[arg-type]
                s.emit(MessageUpdated(msg.chat_id, shown))
            else:
                chat.messages.append(shown)
                chat.ids.add(msg.id)  # type: ignore[arg-type]
                s.emit(MessageAdded(msg.chat_id, shown))
            if msg.author.kind == "client" and self.read_chat_id() == msg.chat_id and msg.id:
                self.read_up_to(msg.chat_id, msg.id)
        self._current_line.on_message(msg, ev.line_id, ev.user_id)
