"""PostgreSQL LISTEN/NOTIFY as a doorbell: a notification carries only "company:seq";
the tails re-read the event table, also after every reconnect of the listener.
Ephemeral typing notices ride a second channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from sqlalchemy.engine.url import URL

from server.events.fanout import TYPING_CHANNEL, Hub, Typing
from server.events.log import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
SAFETY_POLL_SECONDS = 5.0


class Doorbell:
    def __init__(self, url: URL, hub: Hub) -> None:
        self.url = url
        self.hub = hub
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._listen_forever(), name="doorbell")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _listen_forever(self) -> None:
        while True:
            lost = asyncio.Event()
            try:
                connection = await asyncpg.connect(
                    host=self.url.host,
                    port=self.url.port,
                    user=self.url.username,
                    password=self.url.password,
                    database=self.url.database,
                )
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("doorbell: cannot connect (%s); retrying", exc)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            try:
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(NOTIFY_CHANNEL, self._rung)
                await connection.add_listener(TYPING_CHANNEL, self._typing)
                self.hub.ring_all()  # whatever was committed while we were not listening
                while not lost.is_set():
                    # A connection can die silently (no RST); a slow re-read bounds the delay.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), SAFETY_POLL_SECONDS)
                    self.hub.ring_all()
                log.warning("doorbell: connection lost; reconnecting")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("doorbell: listening failed (%s); reconnecting", exc)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await connection.close(timeout=2)

    def _typing(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            typing = Typing.from_payload(payload)
        except (ValueError, TypeError):
            log.warning("doorbell: bad typing payload %r", payload[:100])
            return
        self.hub.broadcast(typing)

    def _rung(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        company, _, seq = payload.partition(":")
        if company.isdigit():
            self.hub.ring_at(int(company), int(seq) if seq.isdigit() else 1 << 62)
