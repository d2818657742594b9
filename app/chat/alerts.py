"""Alerts for chats not in view: a client's message to a chat the specialist is not reading
(another chat open, or the window behind others) becomes a `ChatAlert`, with the alert sound
played to the chosen device. A part of the core; the window shows an alert as a desktop
notification and the taskbar's attention, and the unread count on the tray's icon
(ui/chat/notify.py).

Guarantees:
- which messages alert is the settings' (`alert_first`: the first message to a quiet chat,
  a new conversation; `alert_every`: each further one), read at each message: a change in
  the Settings dialog applies to the next one;
- Do not disturb mutes the alerts and their sound; the unread count still counts;
- a new conversation nobody opens is alerted again every `alert_repeat_seconds` (0: never)
  until its chat is read — here (the chat opened while the window is seen) or by a
  colleague (`chat.read`) — or answered by a specialist; the interval is read anew at each
  turn;
- the unread count (`UnreadChanged`) is the client messages that came to chats not being
  read since each was last read, with those unread before the window signed in (every
  served line's, `load_unread` with each line's load); it drops at once when the server
  says a chat was read;
- the alert sound plays one at a time (app/chat/sounds.py); a failed play never loses the
  alert;
- in a watched chat (a favourite's, app/favourites/part.py) every event alerts: colleagues'
  messages and the ticket's steps (started, taken, transferred, finished…) too — never what
  the specialist did themselves, never the chat being read; Do not disturb mutes them too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.chat.sounds import AlertSound
from app.context import Context
from app.core import parse
from app.core.changes import ChatAlert, UnreadChanged
from app.core.tasks import Tasks
from app.net.api import ApiError
from app.net.events import Event
from app.store.settings import Settings
from contract.chats import UnreadChats
from contract.tickets import StepKind, TicketStep
from contract.types import EventKind, Status

log = logging.getLogger("linedesk.chat.alerts")

Watched = Callable[[int], str | None]
"""A chat id → the watched user's name, or None when the chat is not watched."""


def _nobody(_chat_id: int) -> str | None:
    return None


def _actor(step: TicketStep) -> int | None:
    """The specialist who did what the step says, if a specialist did it."""
    if step.kind is StepKind.TRANSFERRED:
        return step.from_specialist_id
    if step.kind in (StepKind.TAKEN, StepKind.FINISHED, StepKind.REMOTE_SESSION, StepKind.OPENED):
        return step.specialist_id
    return None


@dataclass(slots=True)
class _Waiting:
    """A new conversation not opened yet: its alert and when it is due again."""

    alert: ChatAlert
    due: float


class ChatAlerts:
    def __init__(
        self,
        session: Context,
        settings: Settings,
        reading: Callable[[], int | None],
        status: Callable[[], Status],
    ) -> None:
        self._session = session
        self._settings = settings
        self._reading = reading  # the chat being read now (None: none)
        self._status = status
        self.muted = 0  # alerts Do not disturb kept quiet (diagnostics, tests)
        self.unread: dict[int, tuple[int, int]] = {}  # chat → (count, newest message id)
        self.waiting: dict[int, _Waiting] = {}  # chat → a new conversation not opened
        self._loaded: set[int] = set()  # chats counted from the load alone (nothing alerted)
        self.sound = AlertSound()
        self.tasks = Tasks(log=log)
        self.clock: Callable[[], float] = time.monotonic
        self._wake = asyncio.Event()
        self._watched: Watched = _nobody
        session.routes.register(EventKind.MESSAGE_CREATED, self.on_message_event)
        session.routes.register(EventKind.CHAT_READ, self.on_read_event)
        session.routes.register(EventKind.TICKET_STEP, self.on_step_event)

    def watch(self, watched: Watched) -> None:
        """Chats whose every event alerts (favourites' chats)."""
        self._watched = watched

    def _by_me(self, specialist_id: int | None) -> bool:
        me = self._session.me
        return me is not None and specialist_id == me.id

    @property
    def total(self) -> int:
        return sum(count for count, _newest in self.unread.values())

    def on_message_event(self, ev: Event) -> None:
        msg = parse.message(ev.data)
        if msg.author.kind != "client":  # a specialist answered: not a missed chat
            if self.waiting.pop(msg.chat_id, None) is not None:
                self._wake.set()
            watched = self._watched(msg.chat_id)
            if watched is None or msg.chat_id == self._reading() or self._by_me(msg.author.id):
                return
            if self._status() is Status.DND:
                self.muted += 1
                return
            name = f"{msg.author.full_name} → {watched}"
            text = " ".join(msg.text.split())
            preview = text or (f"📎 {msg.file.name}" if msg.file else "")
            self._alert(ChatAlert(msg.chat_id, ev.user_id, name, preview[:200], first=False))
            return
        if msg.chat_id == self._reading():
            return
        count, _newest = self.unread.get(msg.chat_id, (0, 0))
        self.unread[msg.chat_id] = (count + 1, msg.id or 0)
        self._session.emit(UnreadChanged(self.total))
        quiet = count == 0 or msg.chat_id in self._loaded  # nothing said of it here yet
        self._loaded.discard(msg.chat_id)
        first = quiet and msg.chat_id not in self.waiting
        s = self._settings
        if not (s.alert_first if first else s.alert_every):
            return
        if self._status() is Status.DND:
            self.muted += 1
            return
        text = " ".join(msg.text.split())
        preview = text or (f"📎 {msg.file.name}" if msg.file else "")
        alert = ChatAlert(msg.chat_id, ev.user_id, msg.author.full_name, preview[:200], first)
        self._alert(alert)
        if first:
            self.waiting[msg.chat_id] = _Waiting(alert, 0.0)
            self._schedule(msg.chat_id)

    async def load_unread(self, _index: object = None) -> None:
        """The chats of every served line that were unread before this window heard of them
        (at sign-in, after a resync; `GET /me/unread`) join the count. A chat counted already
        keeps the larger count: its events since are in it. Nothing is alerted for them: the
        next message to one is still its first alert here."""
        api = self._session.api
        if api is None:
            return
        try:
            found = parse.convert(await api.call("GET", "/me/unread"), UnreadChats)
        except (ApiError, parse.Malformed) as e:
            log.info("unread chats: %s", e)
            return
        reading, before = self._reading(), self.total
        for chat in found.items:
            if chat.chat_id != reading:
                count, newest = self.unread.get(chat.chat_id, (0, 0))
                self.unread[chat.chat_id] = (max(count, chat.count), max(newest, chat.newest))
                if not count:
                    self._loaded.add(chat.chat_id)
        if self.total != before:
            self._session.emit(UnreadChanged(self.total))

    def on_step_event(self, ev: Event) -> None:
        """`ticket.step` in a watched chat: said (a colleague's work with a favourite)."""
        step = parse.convert(ev.data, TicketStep)
        watched = self._watched(step.chat_id)
        if watched is None or step.chat_id == self._reading() or self._by_me(_actor(step)):
            return
        if self._status() is Status.DND:
            self.muted += 1
            return
        self._alert(ChatAlert(step.chat_id, ev.user_id, watched, "", first=False, step=step))

    def on_read_event(self, ev: Event) -> None:
        """`chat.read`: read here or by a colleague, up to a message."""
        chat_id, up_to = parse.req_int(ev.data, "chat_id"), parse.req_int(ev.data, "up_to")
        self.read(chat_id, up_to)

    def read(self, chat_id: int, up_to: int | None = None) -> None:
        """`chat_id` was read (up to `up_to`; None: all of it): not missed any more."""
        _count, newest = self.unread.get(chat_id, (0, 0))
        if up_to is None or newest <= up_to:
            self._loaded.discard(chat_id)
            if self.unread.pop(chat_id, None) is not None:
                self._session.emit(UnreadChanged(self.total))
            if self.waiting.pop(chat_id, None) is not None:
                self._wake.set()

    def _alert(self, alert: ChatAlert) -> None:
        self._session.emit(alert)
        s = self._settings
        if s.sound_on:
            play = self.sound.play(s.sound_name, s.sound_device, s.sound_volume)
            self.tasks.spawn(play, "alert-sound")

    # -- the repeat of new conversations nobody opens ----------------------------------------

    def _schedule(self, chat_id: int) -> None:
        seconds = self._settings.alert_repeat_seconds
        waiting = self.waiting.get(chat_id)
        if waiting is None or not seconds:
            return
        waiting.due = self.clock() + seconds
        self._wake.set()
        if not self.tasks.running("alert-repeat"):
            self.tasks.spawn(self._repeat(), "alert-repeat")

    async def _repeat(self) -> None:
        """One task while any new conversation waits: sleeps until the next one is due (or
        something changes), then alerts it again."""
        while self.waiting:
            self._wake.clear()
            seconds = self._settings.alert_repeat_seconds
            if not seconds:
                return  # turned off; a new conversation starts the task again
            now = self.clock()
            for chat_id, waiting in list(self.waiting.items()):
                if chat_id == self._reading():
                    del self.waiting[chat_id]  # open now, and seen
                    continue
                waiting.due = min(waiting.due, now + seconds)  # a shorter interval at once
                if waiting.due <= now:
                    self._remind(chat_id, waiting, now + seconds)
            if not self.waiting:
                return
            wait = min(w.due for w in self.waiting.values()) - now
            try:
                async with asyncio.timeout(max(0.05, wait)):
                    await self._wake.wait()
            except TimeoutError:
                pass

    def _remind(self, chat_id: int, waiting: _Waiting, due: float) -> None:
        waiting.due = due
        if self._status() is Status.DND:
            self.muted += 1
            return
        waiting.alert = replace(waiting.alert, repeat=waiting.alert.repeat + 1)
        log.info("chat %s still not opened: alerting again (%s)", chat_id, waiting.alert.repeat)
        self._alert(waiting.alert)

    async def close(self) -> None:
        await self.tasks.cancel_all()
