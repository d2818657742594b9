"""Workplace: the facade the UI calls — the state it reads and the intents it issues.

The only channel out is `subscribe(callback)`: every change is an `app.core.changes`
object. No intent raises into the caller: failures become a `Problem` (or a
`ConnectionChanged`) with a `ProblemCode`. See docs/client.md for the contract with `ui/`.

The Workplace builds the parts and routes; the parts do the work, own their tasks and
register what they handle (`Context.routes`, `Context.intents`): `CurrentLine`, `Chats`,
`Presence`, `Tickets`, `Groups`, `ChatDrafts`, `Avatars`; `SignIn`, `Live`, `DemoSupervisor`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.calls.part import CallBook
from app.chat.alerts import ChatAlerts
from app.chat.deletion import ChatDeletion
from app.chat.files import ChatFiles
from app.chat.search import ChatSearch
from app.clients.avatars import Avatars
from app.clients.chats import Chats, ChatState
from app.clients.companies import Companies
from app.clients.current_line import CurrentLine
from app.clients.drafts import ChatDrafts
from app.clients.presence import Presence
from app.clients.userindex import UserIndex
from app.context import Context, Subscribers
from app.core.changes import Change
from app.core.domain import Colleague, ConnectionState, Line, Me, Message, Status
from app.demo.supervisor import DemoSupervisor
from app.disconnect.part import Disconnections
from app.favourites.part import Favourites
from app.groups.part import Groups
from app.live import Live
from app.net.api import ApiClient, ApiError
from app.net.events import HEARTBEAT_S, EventStream
from app.profile.part import Profile
from app.remote.part import RemoteDesk
from app.signin import SignIn
from app.store.credentials import Credentials
from app.store.outbox import Outbox
from app.store.settings import Settings
from app.tickets import part as tickets

if TYPE_CHECKING:
    from app.demo.server import DemoServer

log = logging.getLogger("linedesk.workplace")


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
        self._subs = Subscribers()
        credentials = credentials if credentials is not None else Credentials()
        s = self._session = Context(self.data_dir, self._subs.emit, credentials)
        self._line = CurrentLine(s, self.settings, open_chat_id=lambda: self._chats.read_chat_id())
        self._chats = Chats(s, self._line)
        self._presence = Presence(s, self.settings)
        self._profile = Profile(s, lambda: self._presence.colleagues)
        self._tickets = tickets.Tickets(s, self._line)
        self._disconnections = Disconnections(s, self._line)
        self._groups = Groups(s, self._chats, self._line)
        self._companies = Companies(s)
        self.remote = RemoteDesk(s, self.settings)
        self.calls = CallBook(s)
        self._drafts = ChatDrafts(s)
        self._files = ChatFiles(s)
        self._deletion = ChatDeletion(s, self._chats, self._line)
        self._search = ChatSearch(s)
        self._alerts = ChatAlerts(
            s, self.settings, self._chats.read_chat_id, lambda: self._presence.status
        )
        self._line.also_load(self._alerts.load_unread)  # the unread before this window
        self._favourites = Favourites(s, self._line, self._alerts)
        self._avatars = Avatars(
            self.data_dir / "avatars", api=lambda: s.api, server_key=lambda: s.server_key
        )
        parts = (self._line, self._chats, self._presence)
        backoff = (backoff_base, backoff_max)
        self._live = Live(s, self.settings, *parts, self._stop_parts, backoff, heartbeat)
        self._demo = DemoSupervisor(s, retry_now=self._live.retry_stream)
        self._live.on_state(self._demo.on_connection)
        self._live.on_state(self.calls.recordings.on_connection)  # recordings left to send
        self.remote.on_engaged = lambda on: self._presence.engaged("remote", on)
        self._sign_in = SignIn(s, self.settings, self._live, self._line, self._presence, self._demo)

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
    def outbox(self) -> Outbox:
        return self._session.outbox

    @property
    def account(self) -> str:
        return self._session.account

    @property
    def lines(self) -> tuple[Line, ...]:
        return self._line.lines

    @property
    def current_line_id(self) -> int | None:
        return self._line.current_line_id

    @property
    def users(self) -> UserIndex:
        return self._line.users

    @property
    def chats(self) -> dict[int, ChatState]:
        return self._chats.chats

    @property
    def status(self) -> Status:
        return self._presence.status

    @property
    def colleagues(self) -> dict[int, Colleague]:
        return self._presence.colleagues

    @property
    def connection(self) -> ConnectionState:
        return self._live.connection

    @property
    def events(self) -> EventStream | None:
        return self._live.events

    @property
    def demo_server(self) -> DemoServer | None:
        return self._demo.server

    @property
    def avatars(self) -> Avatars:
        return self._avatars

    @property
    def credentials(self) -> Credentials:
        return self._session.credentials

    @credentials.setter
    def credentials(self, value: Credentials) -> None:
        self._session.credentials = value

    @property
    def page(self) -> int:
        """Chat history page size."""
        return self._chats.page

    @page.setter
    def page(self, value: int) -> None:
        self._chats.page = value

    @property
    def idle_seconds(self) -> float | None:
        """Overrides settings.idle_away_minutes (tests)."""
        return self._presence.idle_seconds

    @idle_seconds.setter
    def idle_seconds(self, value: float | None) -> None:
        self._presence.idle_seconds = value

    @property
    def system_idle(self) -> Callable[[], float | None]:
        """The desktop's idle time in seconds, None where unknown (app/clients/system_idle.py;
        tests give their own)."""
        return self._presence.system_idle

    @system_idle.setter
    def system_idle(self, query: Callable[[], float | None]) -> None:
        self._presence.system_idle = query

    def line(self, line_id: int | None = None) -> Line | None:
        return self._line.line(line_id)

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """`callback(change)` for every change from now on; returns the unsubscribe."""
        return self._subs.subscribe(callback)

    # -- signing in (app/signin.py) -------------------------------------------------------

    async def start_demo(self, server: DemoServer | None = None) -> bool:
        return await self._sign_in.demo(server)

    async def show_cached(self) -> bool:
        return await self._sign_in.show_cached()

    async def sign_in(self, server_url: str, login: str, password: str, remember: bool) -> bool:
        return await self._sign_in.password(server_url, login, password, remember)

    async def resume_session(self, server_url: str) -> bool:
        """Sign in with a remembered token. False: the sign-in dialog is needed."""
        return await self._sign_in.remembered(server_url)

    # -- intents: never raise (Context.attempt) ---------------------------------------------

    async def act(self, intent: str, *args: Any) -> Any:
        """An intent a part registered (`Context.intents`), by name, e.g. `tickets.FINISH`."""
        return await self._session.attempt(intent, lambda: self._session.intents.get(intent)(*args))

    async def select_line(self, line_id: int) -> None:
        async def select() -> None:
            if self.current_line_id != line_id:
                self._chats.current_chat_id = None
            await self._line.select(line_id)

        await self._session.attempt("select_line", select)

    def search(self, query: str) -> None:
        """Filter the current line's users (synchronous, over the prepared index)."""
        self._line.search(query)

    async def load_card(self, user_id: int) -> None:
        await self._session.attempt("load_card", lambda: self._line.load_card(user_id))

    async def finish_ticket(self, user_id: int) -> None:
        await self.act(tickets.FINISH, user_id)

    async def open_chat(self, user_id: int) -> None:
        await self._session.attempt("open_chat", lambda: self._chats.open(user_id))

    async def load_older(self, chat_id: int) -> None:
        await self._session.attempt("load_older", lambda: self._chats.load_older(chat_id))

    def send(
        self, chat_id: int, text: str, quote_id: int | None = None, quote_text: str = ""
    ) -> Message:
        """Queue a message in the outbox; `MessageAdded` (SENDING) now, `MessageUpdated` later."""
        return self._chats.send(chat_id, text, quote_id, quote_text)

    def retry(self, chat_id: int, client_msg_id: str) -> None:
        self._chats.retry(chat_id, client_msg_id)

    async def set_status(self, status: Status) -> None:
        await self._session.attempt("set_status", lambda: self._presence.set_status(status))

    def draft(self, chat_id: int) -> str:
        """The chat's half-written reply ("" when none), kept across restarts."""
        return self._drafts.get(chat_id)

    def keep_draft(self, chat_id: int, text: str) -> None:
        """Keep what is typed in the chat (blank: forget its draft)."""
        self._drafts.keep(chat_id, text)

    def reconnect_now(self) -> None:
        """Try the server again at once instead of at the end of the backoff wait."""
        self._live.retry_now()

    def server_now(self) -> datetime:
        """Now by the server's clock (the workstation's may be hours off: app/net/clock.py)."""
        api = self._session.api
        return datetime.now(UTC) + timedelta(seconds=api.clock_offset if api else 0.0)

    def window_seen(self, seen: bool) -> None:
        """The UI says whether its window is in front (active, not minimised): only then do
        messages coming into the open chat count as read."""
        self._chats.set_seen(seen)

    def activity(self) -> None:
        """Keyboard or mouse seen: resets the idle timer; ends an automatic Away."""
        self._presence.activity()

    def engaged(self, what: str, on: bool) -> None:
        """On a call, in a remote session (``what``): no automatic Away meanwhile."""
        self._presence.engaged(what, on)

    async def avatar(self, url: str) -> bytes | None:
        """The picture at `url` (a row's `avatar_url`): PNG or JPEG bytes, from the disk cache
        or the server; None when there is none to show (404, network, malformed — logged,
        remembered for a while, never a Problem)."""
        return await self._avatars.shown(url, self._session.preview_over)

    # -- closing ----------------------------------------------------------------------------

    async def _stop_parts(self) -> None:
        """The session ends: every part's tasks are cancelled (Live stops the rest)."""
        await self._avatars.close()
        self._avatars.forget_failures()
        parts = (self._line, self._chats, self._presence, self._alerts, self._demo)
        for part in (*parts, self.calls.recordings):
            await part.tasks.cancel_all()

    async def sign_out(self) -> None:
        """Revoke the token, forget it, and stop talking to the server."""
        if self.api is not None:
            with contextlib.suppress(ApiError):
                await self.api.logout()
        if self.server_url:
            self.credentials.delete(self.server_url)
        await self._live.stop()
        self._session.me = None

    async def close(self) -> None:
        s = self._session
        if s.closed:
            return
        s.closed = True
        with contextlib.suppress(TimeoutError):  # let the cache writes in flight finish first
            async with asyncio.timeout(5):
                await s.writes.join()
        await self.remote.close()  # the window asked before ending live sessions
        await self._live.stop()
        await s.close_storage()
        await self._demo.stop()

    async def __aenter__(self) -> Workplace:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
