"""Live events of this process: one tail per company reads the log after every doorbell
and hands each event, in seq order, to the subscribers that may see it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from server.db import Database
from server.eventlog import LogEvent, head, read_after

log = logging.getLogger(__name__)
READ_BATCH = 500


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


@dataclass(eq=False)
class Subscriber:
    """A WebSocket's inbox. ``visible`` decides what it may see; an overflowing inbox
    is closed (the client resumes from its cursor)."""

    visible: Callable[[Item], bool]
    backlog: int
    queue: asyncio.Queue[Item | None] = field(default_factory=asyncio.Queue)
    overflowed: bool = False

    def offer(self, item: Item) -> None:
        if self.overflowed or not self.visible(item):
            return
        if self.queue.qsize() >= self.backlog:
            self.overflowed = True
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(item)


class CompanyTail:
    def __init__(self, db: Database, company_id: int, position: int) -> None:
        self.db = db
        self.company_id = company_id
        self.position = position
        self.subscribers: set[Subscriber] = set()
        self.wake = asyncio.Event()
        self.task = asyncio.create_task(self._run(), name=f"tail-{company_id}")

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
            async with self.db.read() as session:
                events = await read_after(session, self.company_id, self.position, READ_BATCH)
            for event in events:
                self.position = event.seq
                for subscriber in list(self.subscribers):
                    subscriber.offer(event)
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
        tail.subscribers.add(subscriber)
        return tail.position

    def unsubscribe(self, company_id: int, subscriber: Subscriber) -> None:
        tail = self.tails.get(company_id)
        if tail is not None:
            tail.subscribers.discard(subscriber)

    def ring(self, companies: set[int]) -> None:
        for company_id in companies:
            tail = self.tails.get(company_id)
            if tail is not None:
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
            for subscriber in list(tail.subscribers):
                subscriber.offer(typing)

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
