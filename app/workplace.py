"""Workplace: the state of the specialist's workplace and the intents the UI calls.

The only channel out is `subscribe(callback)`: every change is an
`app.core.changes` object. No intent raises into the caller: failures become a
`Problem` (or a `ConnectionChanged`) in the specialist's words. See
docs/client.md for the contract with `ui/`.

The Workplace signs in and owns the session, its tasks and the subscribers; the parts
do the work: `CurrentLine` (lines and users), `Chats` (the open chat and sending),
`Presence` (status, idle-away, colleagues).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from app.clients.avatars import Avatars
from app.clients.chats import Chats, ChatState
from app.clients.current_line import CurrentLine
from app.clients.presence import Presence
from app.clients.userindex import UserIndex
from app.context import Context
from app.core import parse, problems
from app.core.changes import Change, ConnectionChanged, Problem, SessionExpired, SignedIn
from app.core.domain import Colleague, ConnectionState, Line, Me, Message, Status
from app.net.api import ApiClient, ApiError, Unauthorized, Unreachable, normalize_url
from app.net.events import HEARTBEAT_S, Event, EventStream
from app.store.cache import Cache, to_json
from app.store.credentials import Credentials
from app.store.outbox import Outbox
from app.store.settings import Settings

if TYPE_CHECKING:
    from app.demo.server import DemoServer

log = logging.getLogger("linedesk.workplace")

P = ParamSpec("P")
R = TypeVar("R")


def _guard(
    fn: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R | None]]:
    """An intent never raises: ApiError → Problem; anything else is logged → Problem."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        self = args[0]
        assert isinstance(self, Workplace)
        if self.api is None and self._preview is not None:
            await self._preview.wait()  # the cached state is shown: act once signed in
            if self.api is None:
                return None
        try:
            return await fn(*args, **kwargs)
        except Unauthorized:
            self._on_unauthorized()
        except ApiError as e:
            self._session.problem_from(e)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log.exception("%s failed", fn.__name__)
            self._emit(Problem(problems.SERVER_ERROR, f"{type(e).__name__}: {e}"))
        return None

    return wrapper


DEMO_RESTARTS, DEMO_RESTARTS_WITHIN = 3, 60.0  # an ended demo server: restarted ≤ 3× a minute


class Workplace:
    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        settings: Settings | None = None,
        credentials: Credentials | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        heartbeat: float = HEARTBEAT_S,
    ) -> None:
        if data_dir is None:
            import platformdirs

            data_dir = platformdirs.user_data_dir("linedesk", appauthor=False)
        self.data_dir = Path(data_dir)
        self.settings = settings if settings is not None else Settings.load()
        self.credentials = credentials if credentials is not None else Credentials()
        self._subs: list[Callable[[Change], None]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._session = Context(self.data_dir, self._emit, self._spawn)
        self._current_line = CurrentLine(
            self._session, self.settings, open_chat_id=lambda: self._chats.read_chat_id()
        )
        self._chats = Chats(self._session, self._current_line)
        self._presence = Presence(self._session, self.settings)
        self._avatars = Avatars(
            self.data_dir / "avatars",
            api=lambda: self._session.api,
            server_key=lambda: self._session.server_key,
        )
        self._handlers: dict[str, Callable[[Event], None]] = {
            "message.created": self._chats.on_message_event,
            "specialist.status": self._presence.on_status_event,
            "ticket.opened": self._current_line.on_ticket_event,
            "ticket.updated": self._current_line.on_ticket_event,
            "ticket.closed": self._current_line.on_ticket_event,
            "chat.read": self._current_line.on_read_event,
            "user.updated": self._current_line.on_user_event,
        }

        self.connection: ConnectionState = ConnectionState.OFFLINE
        self._expired = False  # SessionExpired said once per session
        self.events: EventStream | None = None
        self.demo_server: Any = None  # app.demo.server.DemoServer when started by start_demo
        self._reviving = False
        self._demo_restarts: list[float] = []  # when it was started again (monotonic)
        self._demo_given_up = False
        self._backoff = (backoff_base, backoff_max)
        self._heartbeat = heartbeat
        self._ready = asyncio.Event()  # events wait for the first load after sign-in
        self._preview: asyncio.Event | None = None  # set: the cached state's preview is over

    # -- the state ui/ reads (kept by the parts) --------------------------------------------

    @property
    def api(self) -> ApiClient | None:
        return self._session.api

    @property
    def me(self) -> Me | None:
        return self._session.me

    @property
    def server_url(self) -> str | None:
        return self._session.server_url

    @property
    def demo(self) -> bool:
        return self._session.demo

    @property
    def lines(self) -> tuple[Line, ...]:
        return self._current_line.lines

    @property
    def current_line_id(self) -> int | None:
        return self._current_line.current_line_id

    @property
    def users(self) -> UserIndex:
        return self._current_line.users

    @property
    def chats(self) -> dict[int, ChatState]:
        return self._chats.chats

    @property
    def current_chat_id(self) -> int | None:
        return self._chats.current_chat_id

    @property
    def page(self) -> int:
        """Chat history page size."""
        return self._chats.page

    @page.setter
    def page(self, value: int) -> None:
        self._chats.page = value

    @property
    def status(self) -> Status:
        return self._presence.status

    @property
    def colleagues(self) -> dict[int, Colleague]:
        return self._presence.colleagues

    @property
    def idle_seconds(self) -> float | None:
        """Overrides settings.idle_away_minutes (tests)."""
        return self._presence.idle_seconds

    @idle_seconds.setter
    def idle_seconds(self, value: float | None) -> None:
        self._presence.idle_seconds = value

    @property
    def outbox(self) -> Outbox:
        return self._session.outbox

    @property
    def cache(self) -> Cache:
        return self._session.cache

    @property
    def server_key(self) -> str:
        return self._session.server_key

    @property
    def account(self) -> str:
        return self._session.account

    def line(self, line_id: int | None = None) -> Line | None:
        return self._current_line.line(line_id)

    # -- observers and tasks ----------------------------------------------------------------

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        self._subs.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subs.remove(callback)

        return unsubscribe

    def _emit(self, change: Change) -> None:
        for cb in list(self._subs):
            try:
                cb(change)
            except Exception:
                log.exception("an observer failed on %s", type(change).__name__)

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s failed", task.get_name(), exc_info=task.exception())

    # -- signing in -----------------------------------------------------------------------------

    async def start_demo(self, server: DemoServer | None = None) -> bool:
        """Sign in the demo specialist on the embedded demo server (app.demo.server): `server`
        when `python -m app` spawned it already, else one started here. While it starts, the
        window shows the last state from the local cache (`show_cached`)."""
        from app.demo.server import DemoServer, DemoServerError

        self.demo_server = server if server is not None else DemoServer(self.data_dir)
        self._session.demo = True
        self._preview = asyncio.Event()
        try:
            self.demo_server.spawn()
            await self.show_cached()
            url = await self.demo_server.start()
        except (DemoServerError, OSError) as e:
            log.error("demo server: %s", e)
            self._session.demo = False
            self._emit(Problem(problems.DEMO_FAILED, str(e)))
            return False
        finally:
            self._preview.set()
            self._preview = None
        token = self.demo_server.token
        if token is not None and await self._sign_in_with(url, token):
            return True
        return await self.sign_in(url, "demo", "demo", remember=False)

    async def _sign_in_with(self, server_url: str, token: str) -> bool:
        """The demo server's own session for the demo specialist (no password check);
        False: it did not work, sign in with the password instead."""
        api = ApiClient(server_url, token)
        try:
            me = await api.me()
        except ApiError as e:
            await api.close()
            log.warning("the demo server's session did not work: %s", e)
            return False
        await self._signed_in(api, server_url, me)
        return True

    async def show_cached(self) -> bool:
        """Show the last state from the local cache — me, the lines, the first rows of the
        current line — before the server answers. False: the cache has none for this server."""
        s = self._session
        try:
            me = parse.me(await s.cache.load_value(s.server_key, "me"))
        except parse.Malformed:
            return False
        if s.me is not None:  # signed in meanwhile: the server's state wins
            return False
        s.me = me
        self._presence.status = me.status
        self._emit(SignedIn(me, "", s.demo))
        lines = await s.cache.load_lines(s.account)
        if not lines or s.api is not None:
            return True
        self._current_line.set_lines(tuple(lines))
        await self._current_line.show_cached()
        return True

    async def sign_in(self, server_url: str, login: str, password: str, remember: bool) -> bool:
        url = normalize_url(server_url)
        api = ApiClient(url)
        try:
            granted = await api.login(login, password)
            if granted.kind != "specialist":
                await api.close()
                self._emit(Problem(problems.NOT_SPECIALIST))
                return False
            me = await api.me()
        except ApiError as e:
            await api.close()
            self._session.problem_from(e)
            return False
        if not self._session.demo:
            self.settings.server_url = url
            self.settings.last_login = login
            self.settings.remember = remember
            with contextlib.suppress(OSError):
                self.settings.save()
            if remember:
                self.credentials.set(url, granted.token)
                warning = self.credentials.take_warning()
                if warning:
                    self._emit(Problem(warning))
        await self._signed_in(api, url, me)
        return True

    async def resume_session(self, server_url: str) -> bool:
        """Sign in with a remembered token. False: the sign-in dialog is needed."""
        url = normalize_url(server_url)
        token = self.credentials.get(url)
        if not token:
            return False
        api = ApiClient(url, token)
        self._session.server_url = url
        try:
            me = await api.me()
        except Unauthorized:
            await api.close()
            self.credentials.delete(url)
            self._emit(Problem(problems.SESSION_EXPIRED))
            return False
        except Unreachable as e:
            cached = await self.cache.load_value(url, "me")
            try:
                me = parse.me(cached)
            except parse.Malformed:
                await api.close()
                self._session.problem_from(e)
                return False
            log.info("server unreachable: starting from the cache")
            self._session.problem_from(e)
        except ApiError as e:
            await api.close()
            self._session.problem_from(e)
            return False
        await self._signed_in(api, url, me)
        return True

    async def _signed_in(self, api: ApiClient, url: str, me: Me) -> None:
        if self.api is not None and self.api is not api:
            await self._stop_session()
        self._expired = False
        self._session.api = api
        self._session.server_url = url
        self._session.me = me
        self._presence.status = me.status
        self._ready.clear()
        self._emit(SignedIn(me, url, self.demo))
        self._spawn(self.cache.save_me(self.account, me), "cache-me")
        self._spawn(self.cache.save_value(self.server_key, "me", to_json(me)), "cache-me-key")
        # the event stream first: it fixes the cursor (head) before the data is loaded,
        # so nothing that happens during the load is missed (events apply idempotently)
        self.events = EventStream(
            api,
            self._on_event,
            self._on_connection,
            on_resync=self._on_resync,
            on_unauthorized=self._on_unauthorized,
            backoff_base=self._backoff[0],
            backoff_max=self._backoff[1],
            heartbeat=self._heartbeat,
        )
        self.events.start()
        try:
            await self._load_all()
        finally:
            self._ready.set()
        self._spawn(self._chats.courier(), "outbox-courier")
        self._presence.start()

    @_guard
    async def _bring_up_to_date(self) -> None:
        """Connected again after showing the cache (or nothing): load it all from the server.
        The stream's cursor was fixed by its hello, so what happens meanwhile is not missed."""
        await self._ready.wait()
        log.info("connected: loading what was shown from the cache again")
        await self._load_all()

    async def _load_all(self) -> None:
        if await self._current_line.load_lines() is None:
            return
        if self.current_line_id is not None:
            await self._current_line.load(self.current_line_id)
        user_id = self._chats.open_chat_user_id()
        if user_id is not None:
            await self.open_chat(user_id)
        await self._presence.load_colleagues()

    # -- intents ----------------------------------------------------------------------------

    @_guard
    async def select_line(self, line_id: int) -> None:
        if self.current_line_id != line_id:
            self._chats.current_chat_id = None
        await self._current_line.select(line_id)

    def search(self, query: str) -> None:
        """Filter the current line's users (synchronous, over the prepared index)."""
        self._current_line.search(query)

    @_guard
    async def load_card(self, user_id: int) -> None:
        await self._current_line.load_card(user_id)

    @_guard
    async def finish_ticket(self, user_id: int) -> None:
        await self._current_line.finish_ticket(user_id)

    @_guard
    async def open_chat(self, user_id: int) -> None:
        await self._chats.open(user_id)

    @_guard
    async def load_older(self, chat_id: int) -> None:
        await self._chats.load_older(chat_id)

    def send(self, chat_id: int, text: str, quote_id: int | None = None) -> Message:
        """Queue a message in the outbox; `MessageAdded` (SENDING) now, `MessageUpdated` later."""
        return self._chats.send(chat_id, text, quote_id)

    def retry(self, chat_id: int, client_msg_id: str) -> None:
        self._chats.retry(chat_id, client_msg_id)

    @_guard
    async def set_status(self, status: Status) -> None:
        await self._presence.set_status(status)

    def draft(self, chat_id: int) -> str:
        """The chat's half-written reply ("" when none), kept across restarts."""
        if self._session.me is None:
            return ""
        try:
            return self._session.drafts.get(self._session.account, chat_id)
        except Exception:  # a damaged file costs the draft, never the window
            log.exception("draft of chat %s", chat_id)
            return ""

    def keep_draft(self, chat_id: int, text: str) -> None:
        """Keep what is typed in the chat (blank: forget its draft)."""
        if self._session.me is None:
            return
        try:
            self._session.drafts.put(self._session.account, chat_id, text)
        except Exception:
            log.exception("keeping the draft of chat %s", chat_id)

    def reconnect_now(self) -> None:
        """Try the server again at once instead of at the end of the backoff wait."""
        if self.events is not None:
            self.events.retry_now()
        self._chats.wake_courier()

    def window_seen(self, seen: bool) -> None:
        """The UI says whether its window is in front (active, not minimised): only then do
        messages coming into the open chat count as read."""
        self._chats.set_seen(seen)

    def activity(self) -> None:
        """Keyboard or mouse seen: resets the idle timer; ends an automatic Away."""
        self._presence.activity()

    async def avatar(self, url: str) -> bytes | None:
        """The picture at `url` (a row's `avatar_url`): PNG or JPEG bytes, from the disk cache
        or the server; None when there is none to show (404, network, malformed — logged,
        remembered for a while, never a Problem)."""
        try:
            if self.api is None and self._preview is not None:
                await self._preview.wait()  # the cached state is shown: fetch once signed in
            return await self._avatars.get(url)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            return None  # the shared fetch was stopped (signed out, closing)
        except Exception as e:
            log.warning("avatar %s: %s: %s", url, type(e).__name__, e)
            return None

    @property
    def avatars(self) -> Avatars:
        return self._avatars

    # -- the event stream -------------------------------------------------------------------

    def _on_connection(self, state: ConnectionState, detail: str, retry_in: float | None) -> None:
        self.connection = state
        self._emit(ConnectionChanged(state, detail, retry_in))
        if state == ConnectionState.CONNECTED:
            self._chats.wake_courier()
            if self._session.stale:
                self._session.stale = False
                self._spawn(self._bring_up_to_date(), "bring-up-to-date")
        elif (
            self.demo_server is not None
            and self.demo_server.ended
            and not self._reviving
            and not self._demo_given_up
        ):
            self._reviving = True
            self._spawn(self._revive_demo_server(), "revive-demo-server")

    async def _revive_demo_server(self) -> None:
        """The embedded server ended under us (killed, crashed): start it again on its own
        database and carry on — the session, the cursor and the outbox stay valid. At most
        `DEMO_RESTARTS` times in `DEMO_RESTARTS_WITHIN` s; past that it stays down, said so."""
        from app.demo.server import DemoServerError

        server = self.demo_server
        try:
            log.warning("the demo server ended (%s): starting it again", server.output[-1:])
            while True:
                now = time.monotonic()
                self._demo_restarts = [
                    t for t in self._demo_restarts if now - t < DEMO_RESTARTS_WITHIN
                ]
                if len(self._demo_restarts) >= DEMO_RESTARTS:
                    log.error("the demo server keeps ending: not started again")
                    self._demo_given_up = True
                    self._emit(Problem(problems.DEMO_FAILED, "\n".join(server.output[-5:])))
                    return
                self._demo_restarts.append(now)
                try:
                    url = await server.restart()
                    break
                except (DemoServerError, OSError) as e:
                    log.error("demo server: %s", e)
            if server is not self.demo_server:  # closed meanwhile
                return
            if url != self._session.server_url and self.api is not None:
                self.api.server_url = url  # another port: the same server and data
                self._session.server_url = url
            self._emit(Problem(problems.DEMO_RESTARTED))
            if self.events is not None:
                self.events.retry_now()
        finally:
            self._reviving = False

    def _on_unauthorized(self) -> None:
        if self._expired:
            return
        self._expired = True
        if self.server_url:
            self.credentials.delete(self.server_url)
        self._emit(Problem(problems.SESSION_EXPIRED))
        login = self.me.login if self.me is not None else self.settings.last_login
        self._emit(SessionExpired(self.server_url or "", login or ""))

    async def _on_resync(self) -> None:
        self._emit(Problem(problems.EVENTS_RESYNC))
        await self._load_all()

    async def _on_event(self, ev: Event) -> None:
        await self._ready.wait()
        handler = self._handlers.get(ev.kind)
        if handler is None:
            log.debug("event %s: %s ignored", ev.seq, ev.kind)
            return
        try:
            handler(ev)
        except (parse.Malformed, ValueError, TypeError, KeyError) as e:
            log.warning("event %s (%s) malformed, skipped: %s", ev.seq, ev.kind, e)

    # -- closing ----------------------------------------------------------------------------------

    async def _stop_session(self) -> None:
        if self.events is not None:
            await self.events.stop()
            self.events = None
        await self._avatars.close()
        self._avatars.forget_failures()
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._tasks.clear()
        self._presence.stopped()
        if self._session.api is not None:
            await self._session.api.close()
            self._session.api = None

    async def sign_out(self) -> None:
        """Revoke the token, forget it, and stop talking to the server."""
        if self.api is not None:
            with contextlib.suppress(ApiError):
                await self.api.logout()
        if self.server_url:
            self.credentials.delete(self.server_url)
        await self._stop_session()
        self._session.me = None

    async def close(self) -> None:
        if self._session.closed:
            return
        self._session.closed = True
        # let the cache writes in flight finish before stopping
        pending = [t for t in self._tasks if t.get_name().startswith("cache-")]
        if pending:
            await asyncio.wait(pending, timeout=5)
        await self._stop_session()
        await self._session.close_storage()
        if self.demo_server is not None:
            await self.demo_server.stop()
            self.demo_server = None

    async def __aenter__(self) -> Workplace:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
