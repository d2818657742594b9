"""The aiohttp application: routes, middleware, background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from server import (
    eventlog,
    routes_accounts,
    routes_chats,
    routes_events,
    routes_files,
    routes_lines,
)
from server.auth import LoginThrottle
from server.config import Settings
from server.db import Database
from server.doorbell import Doorbell
from server.fanout import Hub
from server.openapi import routes as openapi_routes
from server.problems import problem_middleware
from server.state import STATE, State

log = logging.getLogger(__name__)
PRUNE_EVERY_SECONDS = 600.0


def build_app(db: Database, settings: Settings) -> web.Application:
    app = web.Application(middlewares=[problem_middleware], client_max_size=settings.max_json_body)
    hub = Hub(db)
    db.on_events_committed = hub.ring
    app[STATE] = State(
        db,
        hub,
        settings,
        LoginThrottle(
            settings.login_failures_per_login,
            settings.login_failures_per_address,
            settings.login_window,
        ),
    )
    for table in (
        routes_accounts.routes,
        routes_lines.routes,
        routes_chats.routes,
        routes_files.routes,
        routes_events.routes,
        openapi_routes,
    ):
        app.add_routes(table)
    app.cleanup_ctx.append(_background)
    return app


async def _background(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE]
    doorbell = None if state.db.is_sqlite else Doorbell(state.db.url, state.hub)
    if doorbell is not None:
        doorbell.start()
    pruner = asyncio.create_task(_prune_forever(state.db, state.settings.event_retention))
    yield
    pruner.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pruner
    if doorbell is not None:
        await doorbell.stop()
    await state.hub.close()


async def _prune_forever(db: Database, keep: int) -> None:
    while True:
        await asyncio.sleep(PRUNE_EVERY_SECONDS)
        try:
            async with db.write() as session:
                await eventlog.prune(session, keep)
        except Exception:
            log.exception("pruning the event log failed")
