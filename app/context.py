"""Context: what the parts of the Workplace share — the server, who is signed in, the local
storage, the registries the parts fill (event routes, intents), and the ways out (emit a
change, keep a storage write going, run an intent so that it never raises)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.changes import Change, Problem
from app.core.domain import Me
from app.core.problems import ProblemCode
from app.core.routes import EventRoutes, Intents
from app.core.tasks import Tasks
from app.net.api import ApiClient, ApiError, Unauthorized
from app.store.cache import Cache
from app.store.credentials import Credentials
from app.store.drafts import Drafts
from app.store.outbox import Outbox

if TYPE_CHECKING:
    from app.net.events import Event

log = logging.getLogger("linedesk.workplace")

Emit = Callable[[Change], None]
R = TypeVar("R")


class Subscribers:
    """Who hears the changes: `emit(change)` calls each; one that fails is logged, the
    others still hear it."""

    def __init__(self) -> None:
        self._subs: list[Callable[[Change], None]] = []

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        self._subs.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subs.remove(callback)

        return unsubscribe

    def emit(self, change: Change) -> None:
        for cb in list(self._subs):
            try:
                cb(change)
            except Exception:
                log.exception("an observer failed on %s", type(change).__name__)


class Context:
    def __init__(self, data_dir: Path, emit: Emit, credentials: Credentials) -> None:
        self.data_dir = data_dir
        self.emit = emit
        self.credentials = credentials
        self.routes: EventRoutes[Event] = EventRoutes()
        self.intents = Intents()
        # writes to the local storage (cache): let finish at close, not cut short
        self.writes = Tasks(log=log)
        self.api: ApiClient | None = None
        self.me: Me | None = None
        self.server_url: str | None = None
        self.demo = False
        self.closed = False
        # something shown came from the cache (or did not come) because the server could not
        # be reached: everything is loaded again once the event stream is connected
        self.stale = False
        # the server answering since the connection last came back is the one signed in to
        # (its id, `Me.server`): nothing waiting in the outbox goes before (app/live.py)
        self.server_checked = True
        # set while the cached state is shown before the sign-in: intents wait for it
        self.preview: asyncio.Event | None = None
        # the session's token stopped working (set by the live session)
        self.on_unauthorized: Callable[[], None] = lambda: None
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
        """Whose local storage (the outbox, the cache): the server's address, which server
        it is (a server replaced at that address — a new database, its chat numbers now
        other people's — is another, and what waits for the old one is never sent there)
        and the account on it."""
        me = self.me
        if me is None:
            return f"{self.server_key}#0"
        return (
            f"{self.server_key}#{me.server}#{me.id}" if me.server else f"{self.server_key}#{me.id}"
        )

    def write(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        """Keep the local storage up to date in the background (finished before closing)."""
        self.writes.spawn(coro, name)

    def problem_from(self, e: ApiError) -> None:
        log.info("problem: %s (%s)", e.code, e.detail)
        self.emit(Problem(e.code, e.detail))

    async def preview_over(self) -> None:
        """While the cached state is shown (before the sign-in), wait until it is over."""
        if self.api is None and self.preview is not None:
            await self.preview.wait()

    async def attempt(self, what: str, work: Callable[[], Awaitable[R]]) -> R | None:
        """Run an intent so that it never raises into the UI: a 401 ends the session, any
        other ApiError is a Problem, anything else is logged and a SERVER_ERROR Problem.
        While the cached state is shown it waits for the sign-in first."""
        if self.api is None and self.preview is not None:
            await self.preview.wait()  # the cached state is shown: act once signed in
            if self.api is None:
                return None
        try:
            return await work()
        except Unauthorized:
            self.on_unauthorized()
        except ApiError as e:
            self.problem_from(e)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log.exception("%s failed", what)
            self.emit(Problem(ProblemCode.SERVER_ERROR, f"{type(e).__name__}: {e}"))
        return None

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
