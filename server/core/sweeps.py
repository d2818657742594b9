"""The server's periodic sweeps: what no request triggers but time does (a ticket idle past
its line's auto-finish time, a remote-desktop request nobody answered). A feature offers a
`Sweep`; `server.app` registers the list as it registers route tables, and one background
task per sweep runs it every ``--sweep-every`` seconds for as long as the server runs.

A sweep changes what time has made stale, in write transactions (one, or one per row where
a row's change locks more), and writes the events of it, so every specialist's window
learns of it live — not only the next person to touch the object. With several server
processes each one sweeps; the sweeps take their rows ``FOR UPDATE SKIP LOCKED``, so one row
is changed once, and a row someone is changing right now is left for the next turn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web

from server.core.db import Database
from server.core.state import STATE

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Sweep:
    name: str
    run: Callable[[Database], Awaitable[int]]
    """One turn: changes what is stale, returns how many objects it changed."""
    every: float | None = None
    """Seconds between its turns (None: ``--sweep-every``)."""


async def _forever(sweep: Sweep, db: Database, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            done = await sweep.run(db)
        except Exception:
            log.exception("the %s sweep failed", sweep.name)
        else:
            if done:
                log.info("the %s sweep changed %d", sweep.name, done)


def background(
    sweeps: Sequence[Sweep],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context running every sweep while the application runs."""

    async def run(app: web.Application) -> AsyncIterator[None]:
        state = app[STATE]
        every = state.settings.sweep_every
        tasks = [asyncio.create_task(_forever(s, state.db, s.every or every)) for s in sweeps]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return run
