"""Live: a signed-in session kept up to date — the event stream (its events routed to the
parts that registered their kinds), the first load after signing in, the reload after a
resync or after showing the cache, the connection's state, and the end of the session
(a 401 anywhere, signing out, closing).

The Workplace hands it what a sign-in produced (`start`); the parts do the rest.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable

from app.clients.chats import Chats
from app.clients.current_line import CurrentLine
from app.clients.presence import Presence
from app.context import Context
from app.core import parse
from app.core.changes import ConnectionChanged, Problem, SessionExpired, SignedIn
from app.core.domain import ConnectionState, Me
from app.core.problems import ProblemCode
from app.core.tasks import Tasks
from app.net.api import ApiClient, ApiError, Unauthorized
from app.net.events import HEARTBEAT_S, Event, EventStream
from app.store.cache import to_json
from app.store.settings import Settings

log = logging.getLogger("linedesk.workplace")

OnState = Callable[[ConnectionState], None]


class Live:
    def __init__(
        self,
        session: Context,
        settings: Settings,
        line: CurrentLine,
        chats: Chats,
        presence: Presence,
        stop_parts: Callable[[], Awaitable[None]],
        backoff: tuple[float, float] = (0.5, 30.0),
        heartbeat: float = HEARTBEAT_S,
    ) -> None:
        self._session = session
        self._settings = settings
        self._line = line
        self._chats = chats
        self._presence = presence
        self._stop_parts = stop_parts
        self._backoff = backoff
        self._heartbeat = heartbeat
        self.connection: ConnectionState = ConnectionState.OFFLINE
        self.events: EventStream | None = None
        self.tasks = Tasks(log=log)
        self._listeners: list[OnState] = []
        self._expired = False  # SessionExpired said once per session
        self._ready = asyncio.Event()  # events wait for the first load after sign-in
        session.on_unauthorized = self.on_unauthorized

    def on_state(self, listener: OnState) -> None:
        """`listener(state)` after every change of the connection's state."""
        self._listeners.append(listener)

    async def start(self, api: ApiClient, url: str, me: Me) -> None:
        """Signed in: this api, this server, this specialist — stream, load, deliver."""
        s = self._session
        if s.api is not None and s.api is not api:
            await self.stop()
        self._expired = False
        s.api = api
        s.server_url = url
        if me.server:  # what waited under the key of before the server's id goes on
            s.outbox.rekey(f"{s.server_key}#{me.id}", f"{s.server_key}#{me.server}#{me.id}")
        s.me = me
        s.server_checked = True  # (this me was just read from it)
        self._presence.status = me.status
        self._ready.clear()
        s.emit(SignedIn(me, url, s.demo))
        s.write(s.cache.save_me(s.account, me), "cache-me")
        s.write(s.cache.save_value(s.server_key, "me", to_json(me)), "cache-me-key")
        # the event stream first: it fixes the cursor (head) before the data is loaded,
        # so nothing that happens during the load is missed (events apply idempotently)
        self.events = EventStream(
            api,
            self.on_event,
            self._on_connection,
            on_resync=self._on_resync,
            on_unauthorized=self.on_unauthorized,
            backoff_base=self._backoff[0],
            backoff_max=self._backoff[1],
            heartbeat=self._heartbeat,
        )
        self.events.start()
        try:
            await self.load_all()
        finally:
            self._ready.set()
        self._chats.start()
        self._presence.start()

    async def load_all(self) -> None:
        if await self._line.load_lines() is None:
            return
        if self._line.current_line_id is not None:
            await self._line.load(self._line.current_line_id)
        user_id = self._chats.open_chat_user_id()
        if user_id is not None:
            await self._session.attempt("open_chat", lambda: self._chats.open(user_id))
        await self._presence.load_colleagues()

    async def _bring_up_to_date(self) -> None:
        """Connected again after showing the cache (or nothing): load it all from the server.
        The stream's cursor was fixed by its hello, so what happens meanwhile is not missed."""
        await self._ready.wait()
        log.info("connected: loading what was shown from the cache again")
        await self.load_all()

    def _on_connection(
        self, state: ConnectionState, cause: ProblemCode | None, retry_in: float | None
    ) -> None:
        s = self._session
        self.connection = state
        s.emit(ConnectionChanged(state, cause, retry_in))
        if state != ConnectionState.CONNECTED:
            s.server_checked = False  # it may come back as another server
        elif not s.server_checked:
            self.tasks.spawn(s.attempt("check the server", self._check_server), "check-server")
        else:
            self._connected_again()
        for listener in list(self._listeners):
            listener(state)

    async def _check_server(self) -> None:
        """Connected again: the same server as before (its id), else another one took its
        address — a new database, whose chat numbers are other people's: signed in again,
        and what waited for the old one stays there (it went into the new one's chats).
        Asked again while connected until it answers (one failed check held the outbox)."""
        s = self._session
        delay = 1.0
        while self.connection == ConnectionState.CONNECTED and not s.server_checked:
            assert s.api is not None
            try:
                me = await s.api.me()
            except Unauthorized:
                raise
            except ApiError as e:
                log.info("the server's id: %s (asked again in %.0f s)", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if s.me is not None and s.me.server and me.server != s.me.server:
                log.warning("the server at %s is another one now: sign in again", s.server_url)
                self.on_unauthorized()
                return
            self._adopt_id(me)
            s.server_checked = True
            self._connected_again()

    def _connected_again(self) -> None:
        """The same server is back: what waits goes, what was shown stale is loaded again
        (not before the check: a replaced server's data was cached as the old one's)."""
        s = self._session
        self._chats.wake_courier()
        if s.stale:
            s.stale = False
            self.tasks.spawn(
                s.attempt("bring up to date", self._bring_up_to_date), "bring-up-to-date"
            )

    def _adopt_id(self, me: Me) -> None:
        """A server's id first seen (it had none, or the cache's `me` was from before ids):
        what waited under the account's old key goes on under the new one."""
        s = self._session
        if s.me is None or s.me.server == me.server or not me.server:
            return
        legacy = s.account
        s.me = dataclasses.replace(s.me, server=me.server)
        s.outbox.rekey(legacy, s.account)

    def retry_now(self) -> None:
        """Try the server again at once instead of at the end of the backoff wait."""
        self.retry_stream()
        self._chats.wake_courier()

    def retry_stream(self) -> None:
        if self.events is not None:
            self.events.retry_now()

    def on_unauthorized(self) -> None:
        s = self._session
        if self._expired:
            return
        self._expired = True
        if s.server_url:
            s.credentials.delete(s.server_url)
        s.emit(Problem(ProblemCode.SESSION_EXPIRED))
        login = s.me.login if s.me is not None else self._settings.last_login
        s.emit(SessionExpired(s.server_url or "", login or ""))

    async def _on_resync(self) -> None:
        self._session.emit(Problem(ProblemCode.EVENTS_RESYNC))
        await self.load_all()

    async def on_event(self, ev: Event) -> None:
        """An event from the stream: to the parts that registered its kind (once the first
        load is in); a malformed one is logged and skipped."""
        await self._ready.wait()
        try:
            if not self._session.routes.dispatch(ev):
                log.debug("event %s: %s ignored", ev.seq, ev.kind)
        except (parse.Malformed, ValueError, TypeError, KeyError) as e:
            log.warning("event %s (%s) malformed, skipped: %s", ev.seq, ev.kind, e)

    async def stop(self) -> None:
        """Stop talking to the server: the stream, every part's tasks, the HTTP session."""
        if self.events is not None:
            await self.events.stop()
            self.events = None
        await self._stop_parts()
        await self.tasks.cancel_all()
        s = self._session
        await s.writes.cancel_all()
        if s.api is not None:
            await s.api.close()
            s.api = None
