"""The aiohttp application: routes, middleware, background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import WSCloseCode, web
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth import routes as routes_accounts
from server.auth.tokens import LoginThrottle, purge_expired
from server.calls import callers as routes_callers
from server.calls import recording as routes_recordings
from server.calls import ringing
from server.calls import routes as routes_calls
from server.calls import stats as routes_call_stats
from server.chats import delete as routes_chat_delete
from server.chats import file_list as routes_chat_files
from server.chats import files as routes_files
from server.chats import routes as routes_chats
from server.chats import search_routes as routes_chat_search
from server.chats import unread as routes_unread
from server.chats import unused as unused_files
from server.clients import companies as routes_companies
from server.clients import directory as routes_directory
from server.clients import disconnect as routes_disconnect
from server.clients import lines as routes_lines
from server.clients import mylist as routes_mylist
from server.core.config import Settings
from server.core.db import COMMITTED_COMPANIES, Database
from server.core.edge import body_deadline
from server.core.openapi import routes as openapi_routes
from server.core.problems import problem_middleware
from server.core.state import STATE, State
from server.core.sweeps import background as sweeps_background
from server.events import log as eventlog
from server.events import routes as routes_events
from server.events.doorbell import Doorbell
from server.events.fanout import Hub
from server.favourites import routes as routes_favourites
from server.groups import routes as routes_groups
from server.photos import routes as routes_avatars
from server.profile import routes as routes_profile
from server.remote import expiry as remote_expiry
from server.remote import routes as routes_remote
from server.tickets import auto_finish
from server.tickets import history as routes_ticket_history
from server.tickets import monitor as routes_monitor
from server.tickets import routes as routes_tickets
from server.tickets import settings as routes_ticket_settings
from server.tickets import wake as queue_wake

log = logging.getLogger(__name__)
HOUSEKEEPING_EVERY_SECONDS = 600.0
ROUTE_TABLES = (
    routes_accounts.routes,
    routes_avatars.routes,
    routes_profile.routes,
    routes_lines.routes,
    routes_directory.routes,
    routes_mylist.routes,
    routes_companies.routes,
    routes_favourites.routes,
    routes_chats.routes,
    routes_chat_delete.routes,
    routes_tickets.routes,
    routes_monitor.routes,
    routes_ticket_history.routes,
    routes_chat_files.routes,
    routes_ticket_settings.routes,
    routes_files.routes,
    routes_events.routes,
    routes_remote.routes,
    routes_calls.routes,
    routes_call_stats.routes,
    routes_recordings.routes,
    routes_callers.routes,
    routes_chat_search.routes,
    routes_unread.routes,
    routes_groups.routes,
    routes_disconnect.routes,
    openapi_routes,
)
"""Every handler, each registered by its contract operation (contract.routes)."""
SWEEPS = (
    auto_finish.SWEEP,
    queue_wake.SWEEP,
    remote_expiry.SWEEP,
    ringing.SWEEP,
    routes_disconnect.SWEEP,
)
"""What time makes stale, changed every ``--sweep-every`` seconds (server/core/sweeps.py)."""


def build_app(db: Database, settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[problem_middleware, body_deadline(settings.max_file_size)],
        client_max_size=settings.max_json_body,
    )
    hub = Hub(db)
    db.after_commit[COMMITTED_COMPANIES] = hub.ring
    app[STATE] = State(
        db,
        hub,
        settings,
        LoginThrottle(
            settings.login_failures_per_login_and_address,
            settings.login_failures_per_login,
            settings.login_failures_per_address,
            settings.login_window,
        ),
    )
    for table in ROUTE_TABLES:
        app.add_routes(table)
    app.cleanup_ctx.append(_background)
    app.cleanup_ctx.append(queue_wake.background)
    app.cleanup_ctx.append(sweeps_background((*SWEEPS, unused_files.sweep(settings))))
    app.on_shutdown.append(_close_sockets)
    return app


async def _close_sockets(app: web.Application) -> None:
    """Say goodbye to WebSocket clients so shutdown does not wait for them."""
    for ws in list(app[STATE].sockets):
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")


async def _background(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE]
    doorbell = None if state.db.is_sqlite else Doorbell(state.db.url, state.hub)
    if doorbell is not None:
        doorbell.start()
    pruner = asyncio.create_task(_housekeeping(state.db, state.settings.event_retention))
    yield
    pruner.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pruner
    if doorbell is not None:
        await doorbell.stop()
    await state.hub.close()


async def tidy(session: AsyncSession, keep_events: int) -> None:
    """Trim the event log to its retention and forget expired tokens."""
    await eventlog.prune(session, keep_events)
    await purge_expired(session)


async def _housekeeping(db: Database, keep: int) -> None:
    while True:
        await asyncio.sleep(HOUSEKEEPING_EVERY_SECONDS)
        try:
            async with db.write() as session:
                await tidy(session, keep)
        except Exception:
            log.exception("housekeeping failed")
