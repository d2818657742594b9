"""Context: what the parts of the Workplace share — the server, who is signed in, the local
storage, and the ways out (emit a change, spawn an owned task)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from app.core.changes import Change, Problem
from app.core.domain import Me
from app.net.api import ApiClient, ApiError
from app.store.cache import Cache
from app.store.drafts import Drafts
from app.store.outbox import Outbox

log = logging.getLogger("linedesk.workplace")

Emit = Callable[[Change], None]
Spawn = Callable[[Coroutine[Any, Any, Any], str], "asyncio.Task[Any]"]


class Context:
    def __init__(self, data_dir: Path, emit: Emit, spawn: Spawn) -> None:
        self.data_dir = data_dir
        self.emit = emit
        self.spawn = spawn
        self.api: ApiClient | None = None
        self.me: Me | None = None
        self.server_url: str | None = None
        self.demo = False
        self.closed = False
        # something shown came from the cache (or did not come) because the server could not
        # be reached: everything is loaded again once the event stream is connected
        self.stale = False
        self._outbox: Outbox | None = None
        self._cache: Cache | None = None
        self._drafts: Drafts | None = None

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            self._outbox = Outbox(self.data_dir / "outbox.sqlite3")
        return self._outbox

    @property
    def drafts(self) -> Drafts:
        if self._drafts is None:
            self._drafts = Drafts(self.data_dir / "drafts.sqlite3")
        return self._drafts

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            self._cache = Cache(self.data_dir / "cache.sqlite3")
        return self._cache

    @property
    def server_key(self) -> str:
        """Who the server is for local storage: the demo server's port changes, its data not."""
        return "demo" if self.demo else (self.server_url or "")

    @property
    def account(self) -> str:
        return f"{self.server_key}#{self.me.id if self.me else 0}"

    def problem_from(self, e: ApiError) -> None:
        log.info("problem: %s (%s)", e.text, e.detail)
        self.emit(Problem(e.text, e.detail))

    async def close_storage(self) -> None:
        if self._cache is not None:
            await self._cache.close()
            self._cache = None
        if self._outbox is not None:
            self._outbox.close()
            self._outbox = None
        if self._drafts is not None:
            self._drafts.close()
            self._drafts = None
