"""Live events of this process: one tail per company reads the log after every doorbell
and writes each event, in seq order, to the sockets that may see it (the rule is
``server.events.audience.may_see``, the same the replay uses; the tail's index only narrows
whom it asks about).

An event's WebSocket frame is encoded once (``LogEvent.wire``) and written straight to each
recipient's transport from the tail: no task, no queue per delivery. Only a socket that
falls behind (its transport's buffer over the high-water mark) gets a bounded inbox, drained
by its own task with flow control; past ``backlog`` items it is closed (1013) and the
client resumes from its cursor."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from sqlalchemy import text

from server.core.db import Database
from server.events.audience import Viewer, ViewerIndex
from server.events.log import LogEvent, head, read_after_sync, text_frame

log = logging.getLogger(__name__)
READ_BATCH = 500
DISPATCH_CHUNK = 100
TYPING_CHANNEL = "linedesk_typing"


@dataclass(frozen=True, slots=True)
class Typing:
    """An ephemeral typing notice (not in the log); between processes it travels as a
    NOTIFY payload (small: ids and a name)."""

    company_id: int
    line_id: int
    chat_id: int
    user_id: int
    author: str  # "kind:id", so the typist does not hear themselves
    frame: str
    wire: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wire", text_frame(self.frame))

    @property
    def kind(self) -> str:
        return "typing"

    @property
    def lines(self) -> frozenset[int]:
        return frozenset((self.line_id,))

    @property
    def hidden_from(self) -> str:
        """The typist does not hear themselves."""
        return self.author

    @property
    def audience(self) -> None:
        """A user's chat: its line's specialists and the user (group chats have no notices)."""
        return None

    def payload(self) -> str:
        return json.dumps(
            [self.company_id, self.line_id, self.chat_id, self.user_id, self.author, self.frame],
            ensure_ascii=False,
        )

    @classmethod
    def from_payload(cls, payload: str) -> Typing:
        company_id, line_id, chat_id, user_id, author, frame = json.loads(payload)
        return cls(
            int(company_id), int(line_id), int(chat_id), int(user_id), str(author), str(frame)
        )


Item = LogEvent | Typing


class Subscriber:
    """One WebSocket's live feed, for ``viewer`` (who may see what: the audience rule).
    ``cursor`` is the last seq written; events at or below it are dropped, so the
    replay→live handover sends each event once.

    Until :meth:`pump` runs (during the replay) and whenever the socket is behind, items
    wait in ``pending``; otherwise (``pending is None``) :meth:`offer` writes directly."""

    __slots__ = (
        "backlog",
        "cursor",
        "high_water",
        "overflowed",
        "pending",
        "transport",
        "viewer",
        "wake",
        "writer",
        "ws",
    )

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.Transport,
        writer: AbstractStreamWriter,
        *,
        viewer: Viewer,
        backlog: int,
    ) -> None:
        self.ws = ws
        self.transport = transport
        self.writer = writer
        self.high_water = transport.get_write_buffer_limits()[1]
        self.viewer = viewer
        self.backlog = backlog
        self.cursor = 0
        self.pending: deque[Item] | None = deque()
        self.overflowed = False
        self.wake = asyncio.Event()

    def offer(self, item: Item) -> None:
        """Deliver (the tail asked the audience rule)."""
        pending = self.pending
        if pending is None:
            if isinstance(item, LogEvent):
                if item.seq <= self.cursor:
                    return
                self.cursor = item.seq
            transport = self.transport
            if self.ws.closed or transport.is_closing():
                return  # going away; its handler unsubscribes it
            transport.write(item.wire)
            if transport.get_write_buffer_size() > self.high_water:
                self.pending = deque()  # behind: queue until the transport drains
                self.wake.set()
        elif self.overflowed:
            return
        elif len(pending) >= self.backlog:
            self.overflowed = True
            pending.clear()
            self.wake.set()
        else:
            pending.append(item)

    def offer_run(self, events: list[LogEvent], wire: bytes) -> None:
        """Deliver a run of events (in seq order; ``wire`` is their frames joined) with one
        write to the socket when it is live: one system call for the run instead of one per
        event, so the busier the log, the less CPU each delivery costs."""
        if self.pending is not None or events[0].seq <= self.cursor:
            for event in events:  # queued, or partly sent already: one by one
                self.offer(event)
            return
        self.cursor = events[-1].seq
        transport = self.transport
        if self.ws.closed or transport.is_closing():
            return
        transport.write(wire)
        if transport.get_write_buffer_size() > self.high_water:
            self.pending = deque()
            self.wake.set()

    async def write(self, wire: bytes) -> None:
        """Write one frame with flow control (the replay and the inbox use this)."""
        if self.ws.closed or self.transport.is_closing():
            raise ConnectionResetError("the WebSocket is closing")
        self.transport.write(wire)
        await self.writer.drain()

    async def pump(self) -> None:
        """After the replay: drain the inbox, then let the tail write directly; queue
        again while the socket is behind. Returns when the inbox overflowed."""
        while not self.overflowed:
            await self.writer.drain()
            pending = self.pending
            assert pending is not None
            while pending and not self.overflowed:
                item = pending.popleft()
                if isinstance(item, LogEvent):
                    if item.seq <= self.cursor:
                        continue
                    self.cursor = item.seq
                await self.write(item.wire)
            if self.overflowed:
                return
            self.pending = None  # live: the tail writes directly from now on
            self.wake.clear()
            await self.wake.wait()


class CompanyTail:
    def __init__(self, db: Database, company_id: int, position: int) -> None:
        self.db = db
        self.company_id = company_id
        self.position = position
        self.watchers: ViewerIndex[Subscriber] = ViewerIndex()
        self.wake = asyncio.Event()
        self.task = asyncio.create_task(self._run(), name=f"tail-{company_id}")

    def add(self, subscriber: Subscriber) -> None:
        self.watchers.add(subscriber)

    def discard(self, subscriber: Subscriber) -> None:
        self.watchers.discard(subscriber)

    def audience(self, item: Item) -> list[Subscriber]:
        """Who gets ``item``: the rule asked about the index's candidates."""
        return self.watchers.audience(item)

    def dispatch(self, item: Item) -> None:
        for subscriber in self.audience(item):
            subscriber.offer(item)

    async def _deliver(self, event: LogEvent) -> None:
        """Write ``event`` to its audience, yielding to the loop between chunks so that
        requests (and their short write transactions) are not held up by a big fan-out."""
        audience = self.audience(event)
        for start in range(0, len(audience), DISPATCH_CHUNK):
            if start:
                await asyncio.sleep(0)
            for subscriber in audience[start : start + DISPATCH_CHUNK]:
                subscriber.offer(event)

    async def _deliver_run(self, events: list[LogEvent]) -> None:
        """Several events read at once: each socket gets the ones it may see in one write
        (the joined frames are built once per distinct run, shared by its sockets)."""
        runs: dict[Subscriber, list[LogEvent]] = {}
        for event in events:
            for subscriber in self.audience(event):
                run = runs.get(subscriber)
                if run is None:
                    runs[subscriber] = [event]
                else:
                    run.append(event)
        joined: dict[tuple[int, ...], bytes] = {}
        items = list(runs.items())
        for start in range(0, len(items), DISPATCH_CHUNK):
            if start:
                await asyncio.sleep(0)
            for subscriber, run in items[start : start + DISPATCH_CHUNK]:
                key = tuple(event.seq for event in run)
                wire = joined.get(key)
                if wire is None:
                    wire = joined[key] = b"".join(event.wire for event in run)
                subscriber.offer_run(run, wire)

    async def _run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            try:
                await self._catch_up()
            except Exception:
                log.exception("reading the event log of company %s failed", self.company_id)
                await asyncio.sleep(1)
                self.wake.set()

    async def _catch_up(self) -> None:
        while True:
            events = await self.db.query(
                functools.partial(
                    read_after_sync,
                    company_id=self.company_id,
                    after=self.position,
                    limit=READ_BATCH,
                )
            )
            if len(events) == 1:
                self.position = events[0].seq
                await self._deliver(events[0])
            elif events:
                self.position = events[-1].seq
                await self._deliver_run(events)
            if len(events) < READ_BATCH:
                return


class Hub:
    """The company tails of this process."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.tails: dict[int, CompanyTail] = {}
        self._starting: dict[int, asyncio.Lock] = {}

    async def subscribe(self, company_id: int, subscriber: Subscriber) -> int:
        """Register; from the returned position on, every event reaches the subscriber."""
        tail = await self._tail(company_id)
        tail.add(subscriber)
        return tail.position

    def unsubscribe(self, company_id: int, subscriber: Subscriber) -> None:
        tail = self.tails.get(company_id)
        if tail is not None:
            tail.discard(subscriber)

    def ring(self, companies: set[int]) -> None:
        for company_id in companies:
            tail = self.tails.get(company_id)
            if tail is not None:
                tail.wake.set()

    def ring_at(self, company_id: int, seq: int) -> None:
        """A doorbell for ``seq``: nothing to read if this process's tail is already past it."""
        tail = self.tails.get(company_id)
        if tail is not None and seq > tail.position:
            tail.wake.set()

    def ring_all(self) -> None:
        self.ring(set(self.tails))

    async def publish(self, typing: Typing) -> None:
        """To this process's subscribers, or on PostgreSQL to every process's."""
        if self.db.is_sqlite:
            self.broadcast(typing)
            return
        async with self.db.read() as session:
            await session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": TYPING_CHANNEL, "payload": typing.payload()},
            )
            await session.commit()

    def broadcast(self, typing: Typing) -> None:
        tail = self.tails.get(typing.company_id)
        if tail is not None:
            tail.dispatch(typing)

    async def _tail(self, company_id: int) -> CompanyTail:
        lock = self._starting.setdefault(company_id, asyncio.Lock())
        async with lock:
            if company_id not in self.tails:
                async with self.db.read() as session:
                    position = await head(session, company_id)
                self.tails[company_id] = CompanyTail(self.db, company_id, position)
                self.tails[company_id].wake.set()
            return self.tails[company_id]

    async def close(self) -> None:
        for tail in self.tails.values():
            tail.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tail.task
        self.tails.clear()
