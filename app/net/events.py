"""EventStream: the server's event log over WebSocket `/api/v1/events?after=N`.

- resumes from its cursor (the last `seq` received) after every reconnect:
  nothing missed, nothing twice (a `seq` at or below the cursor is dropped);
- reconnects with exponential backoff and jitter, reporting each state;
- on `resync` (the cursor is older than the server keeps) it asks its owner
  to reload and continues from the server's head;
- every frame is decoded through the contract (`contract.events`: the frame by its
  `type`, an event's data by its `kind`); a malformed frame is logged and skipped,
  never a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp
import msgspec

from app.core import parse
from app.core.domain import ConnectionState
from app.core.problems import ProblemCode
from app.core.tasks import Tasks
from app.net.api import ApiClient
from contract.events import (
    EVENT_DATA,
    ErrorFrame,
    EventData,
    EventFrame,
    HelloFrame,
    ResyncFrame,
    ServerFrame,
    TypingFrame,
)

log = logging.getLogger("linedesk.events")

HEARTBEAT_S = 10.0
"""A ping this often; no pong within half of it drops the socket and reconnects: a server that
stops answering without closing (frozen, or a network that silently drops packets) shows as
reconnecting within 10–15 s instead of looking connected while nothing arrives."""


TYPING = "typing"
"""The kind of a typing notice handed to the parts like an event (it has no place in the
event log: seq 0, never a cursor); data: the author's id, kind and name."""


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    kind: str
    line_id: int | None
    chat_id: int | None
    user_id: int | None
    at: datetime | None
    data: Mapping[str, Any] = field(default_factory=dict)  # as plain data
    payload: EventData | None = None  # the same, decoded as its kind's contract type


_FRAMES: msgspec.json.Decoder[ServerFrame] = msgspec.json.Decoder(ServerFrame)


def frame_of(raw: str | bytes) -> ServerFrame:
    """A server frame, decoded by its `type` (Malformed when it fits none)."""
    try:
        return _FRAMES.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError) as e:
        raise parse.Malformed(str(e)) from None


def event_of(frame: EventFrame) -> Event:
    """An `event` frame → Event, its data checked against its kind's type (Malformed)."""
    payload = parse.decode(frame.data, EVENT_DATA[frame.kind])
    data = msgspec.json.decode(frame.data)
    return Event(
        frame.seq,
        frame.kind,
        frame.line_id,
        frame.chat_id,
        frame.user_id,
        frame.at,
        data,
        payload,
    )


OnEvent = Callable[[Event], Awaitable[None]]
OnState = Callable[[ConnectionState, "ProblemCode | None", "float | None"], None]
OnResync = Callable[[], Awaitable[None]]
OnUnauthorized = Callable[[], None]


async def _nothing() -> None:
    return None


class EventStream:
    """Owns one task that keeps the WebSocket open. `start()`, `await stop()`."""

    def __init__(
        self,
        api: ApiClient,
        on_event: OnEvent,
        on_state: OnState,
        *,
        on_resync: OnResync = _nothing,
        on_unauthorized: OnUnauthorized | None = None,
        cursor: int | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        offline_after: int = 3,
        heartbeat: float = HEARTBEAT_S,
    ) -> None:
        self.api = api
        self.cursor = cursor
        self.head: int | None = None
        self._on_event = on_event
        self._on_state = on_state
        self._on_resync = on_resync
        self._on_unauthorized = on_unauthorized
        self._base = backoff_base
        self._max = backoff_max
        self._offline_after = offline_after
        self._heartbeat = heartbeat
        self._tasks = Tasks(log=log)  # the one task that keeps the socket
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._wake = asyncio.Event()
        self.state = ConnectionState.OFFLINE
        self.connects = 0  # successful handshakes (tests, diagnostics)
        self.skipped = 0  # malformed frames skipped

    # -- control --------------------------------------------------------------

    def start(self) -> None:
        if not self._tasks.running("event-stream"):
            self._tasks.spawn(self._run(), "event-stream")

    async def stop(self) -> None:
        await self._tasks.cancel_all()
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        self._ws = None

    def retry_now(self) -> None:
        """Skip the rest of the backoff wait (e.g. the specialist pressed "reconnect")."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._tasks.running("event-stream")

    def delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter in [d/2, d]."""
        d: float = min(self._max, self._base * (2 ** min(attempt, 16)))
        return d * (0.5 + random.random() / 2)

    # -- the loop ----------------------------------------------------------------

    def _set_state(
        self, state: ConnectionState, cause: ProblemCode | None, retry_in: float | None
    ) -> None:
        self.state = state
        try:
            self._on_state(state, cause, retry_in)
        except Exception:
            log.exception("connection state observer failed")

    async def _run(self) -> None:
        attempt = 0
        resyncs = 0  # in a row, with no stream in between
        self._set_state(ConnectionState.CONNECTING, None, None)
        while True:
            outcome = "lost"
            try:
                outcome = await self._session()
            except asyncio.CancelledError:
                raise
            except aiohttp.WSServerHandshakeError as e:
                if e.status == 401:
                    log.warning("event stream: unauthorized")
                    self._set_state(ConnectionState.OFFLINE, ProblemCode.SESSION_EXPIRED, None)
                    if self._on_unauthorized is not None:
                        self._on_unauthorized()
                    return
                log.info("event stream handshake failed: %s", e)
            except (aiohttp.ClientError, OSError, TimeoutError) as e:
                log.info("event stream: %s: %s", type(e).__name__, e)
            except Exception:
                log.exception("event stream: unexpected error")
            if outcome == "resync":
                resyncs += 1
                if resyncs == 1:  # reloaded: go on at once (again and again: back off)
                    attempt = 0
                    continue
            else:
                resyncs = 0
            if outcome == "connected":  # was up, then lost: start the backoff afresh
                attempt = 0
            wait = self.delay(attempt)
            attempt += 1
            if attempt >= self._offline_after:
                self._set_state(ConnectionState.OFFLINE, ProblemCode.OFFLINE, wait)
            else:
                self._set_state(ConnectionState.CONNECTING, ProblemCode.RECONNECTING, wait)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._set_state(ConnectionState.CONNECTING, ProblemCode.RECONNECTING, None)

    async def _session(self) -> str:
        """One connection. Returns "resync", "connected" (was up, then closed) or raises."""
        url = self.api.events_url(self.cursor)
        log.info("event stream: connecting after=%s", self.cursor)
        async with self.api.http.ws_connect(
            url, headers=self.api.headers(), heartbeat=self._heartbeat, max_msg_size=8 * 2**20
        ) as ws:
            self._ws = ws
            hello_seen = False
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    if msg.type == aiohttp.WSMsgType.ERROR:
                        log.info("event stream error: %s", ws.exception())
                        break
                    continue
                try:
                    frame = frame_of(msg.data)
                    if isinstance(frame, HelloFrame):
                        self.head = frame.head
                        if self.cursor is None:
                            self.cursor = frame.head
                        hello_seen = True
                        self.connects += 1
                        self._set_state(ConnectionState.CONNECTED, None, None)
                    elif isinstance(frame, EventFrame):
                        ev = event_of(frame)
                        if self.cursor is not None and ev.seq <= self.cursor:
                            log.debug("event %s already seen", ev.seq)
                            continue
                        self.cursor = ev.seq
                        try:
                            await self._on_event(ev)
                        except Exception:
                            log.exception("event %s (%s) could not be applied", ev.seq, ev.kind)
                    elif isinstance(frame, ResyncFrame):
                        log.warning(
                            "event stream: resync (cursor %s, the server keeps %s..%s)",
                            self.cursor,
                            frame.oldest,
                            frame.head,
                        )
                        await ws.close()
                        self._ws = None
                        # go on from the server's head as it is now; the reload below then
                        # shows everything up to there
                        self.cursor = self.head = frame.head
                        await self._on_resync()
                        return "resync"
                    elif isinstance(frame, TypingFrame):  # not logged: to the parts at once
                        author = frame.author
                        data = {"id": author.id, "kind": str(author.kind), "name": author.full_name}
                        await self._on_event(
                            Event(0, TYPING, None, frame.chat_id, None, None, data)
                        )
                    elif isinstance(frame, ErrorFrame):
                        log.debug("event stream: %s", frame)
                except (ValueError, TypeError) as e:
                    self.skipped += 1
                    log.warning("event stream: malformed frame skipped (%s): %.200r", e, msg.data)
            self._ws = None
            return "connected" if hello_seen else "lost"
