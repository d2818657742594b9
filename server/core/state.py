"""What every handler reaches through ``request.app[STATE]``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.tokens import Caller, LoginThrottle, bearer, caller_of
from server.core.config import Settings
from server.core.db import Database
from server.events.fanout import Hub


@dataclass(frozen=True, slots=True)
class State:
    db: Database
    hub: Hub
    settings: Settings
    throttle: LoginThrottle
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    # The open WebSockets of each token (by its hash), closed when it signs out.
    sockets_of_token: dict[str, set[web.WebSocketResponse]] = field(default_factory=dict)
    # How many event streams each account ("kind:id") has open or opening.
    streams_of_account: Counter[str] = field(default_factory=Counter)


STATE = web.AppKey("state", State)


def state_of(request: web.Request) -> State:
    return request.app[STATE]


async def authenticate(request: web.Request, session: AsyncSession) -> Caller:
    return await caller_of(session, bearer(request))
