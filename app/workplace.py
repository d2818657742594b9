"""Workplace: the state of the specialist's workplace and the intents the UI calls.

The only channel out is `subscribe(callback)`: every change is an
`app.changes` object. No intent raises into the caller: failures become a
`Problem` (or a `ConnectionChanged`) in the specialist's words. See
docs/client.md for the contract with `ui/`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, ParamSpec, TypeVar

from app import parse, problems
from app.api import ApiClient, ApiError, Unauthorized, Unreachable, normalize_url
from app.cache import Cache, to_json
from app.changes import (
    CardLoaded,
    Change,
    ChatOpened,
    ColleagueChanged,
    ConnectionChanged,
    HistoryPrepended,
    LinesLoaded,
    MessageAdded,
    MessageUpdated,
    Problem,
    SignedIn,
    StatusChanged,
    UserChanged,
    UserInserted,
    UserMoved,
    UsersReset,
)
from app.credentials import Credentials
from app.domain import (
    Author,
    Colleague,
    ConnectionState,
    Delivery,
    LastMessage,
    Line,
    Me,
    Message,
    OpenTicket,
    Status,
    UserRow,
)
from app.events import Event, EventStream
from app.outbox import Delivered, Failed, Outbox, OutboxItem, Result
from app.settings import Settings
from app.userindex import UserIndex

log = logging.getLogger("linedesk.workplace")

P = ParamSpec("P")
R = TypeVar("R")

PAGE = 50  # chat history page
USERS_PAGE = 500
ROWS_BATCH = 200  # rows fetched at once for what the view shows


def _trim_heap() -> None:
    """Return freed heap pages to the OS (glibc keeps them after a big, short-lived parse)."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _guard(
    fn: Callable[P, Coroutine[Any, Any, R]],
) -> Callable[P, Coroutine[Any, Any, R | None]]:
    """An intent never raises: ApiError → Problem; anything else is logged → Problem."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        self = args[0]
        assert isinstance(self, Workplace)
        try:
            return await fn(*args, **kwargs)
        except ApiError as e:
            self._problem_from(e)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log.exception("%s failed", fn.__name__)
            self._emit(Problem(problems.SERVER_ERROR, f"{type(e).__name__}: {e}"))
        return None

    return wrapper


@dataclass(slots=True)
class ChatState:
    chat_id: int
    user_id: int
    messages: list[Message] = field(default_factory=list)  # ascending, own pending at the end
    has_more: bool = False
    ids: set[int] = field(default_factory=set)

    def index_of(self, client_msg_id: str) -> int | None:
        if not client_msg_id:
            return None
        for i in range(len(self.messages) - 1, -1, -1):
            if self.messages[i].client_msg_id == client_msg_id:
                return i
        return None


class Workplace:
    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        settings: Settings | None = None,
        credentials: Credentials | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
    ) -> None:
        if data_dir is None:
            import platformdirs

            data_dir = platformdirs.user_data_dir("linedesk", appauthor=False)
        self.data_dir = Path(data_dir)
        self.settings = settings if settings is not None else Settings.load()
        self.credentials = credentials if credentials is not None else Credentials()
        self._subs: list[Callable[[Change], None]] = []

        self.me: Me | None = None
        self.lines: tuple[Line, ...] = ()
        self.current_line_id: int | None = None
        self.status: Status = Status.FREE
        self.connection: ConnectionState = ConnectionState.OFFLINE
        self.users = UserIndex()
        self.colleagues: dict[int, Colleague] = {}
        self.server_url: str | None = None
        self.demo = False
        self.chats: dict[int, ChatState] = {}
        self.current_chat_id: int | None = None

        self.api: ApiClient | None = None
        self.events: EventStream | None = None
        self.demo_server: Any = None  # app.demo_server.DemoServer when started by start_demo
        self._outbox: Outbox | None = None
        self._cache: Cache | None = None
        self._backoff = (backoff_base, backoff_max)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()  # events wait for the first load after sign-in
        self._courier_wake = asyncio.Event()
        self._courier: asyncio.Task[None] | None = None
        self._line_gen = 0
        self._search_gen = 0
        # idle-away
        self.idle_seconds: float | None = None  # overrides settings.idle_away_minutes (tests)
        self._last_activity = time.monotonic()
        self._auto_away_from: Status | None = None
        self._idle_task: asyncio.Task[None] | None = None
        self._closed = False
        self.page = PAGE  # chat history page size

    # -- observers --------------------------------------------------------------------------

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

    def _problem_from(self, e: ApiError) -> None:
        log.info("problem: %s (%s)", e.text, e.detail)
        self._emit(Problem(e.text, e.detail))

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s failed", task.get_name(), exc_info=task.exception())

    # -- storage ------------------------------------------------------------------------------

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            self._outbox = Outbox(self.data_dir / "outbox.sqlite3")
        return self._outbox

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

    # -- signing in -----------------------------------------------------------------------------

    async def start_demo(self) -> bool:
        """Start the embedded demo server (app.demo_server) and sign in the demo specialist."""
        from app.demo_server import DemoServer, DemoServerError

        self.demo_server = DemoServer(self.data_dir)
        try:
            url = await self.demo_server.start()
        except (DemoServerError, OSError) as e:
            log.error("demo server: %s", e)
            self._emit(Problem(problems.DEMO_FAILED, str(e)))
            return False
        self.demo = True
        return await self.sign_in(url, "demo", "demo", remember=False)

    async def sign_in(self, server_url: str, login: str, password: str, remember: bool) -> bool:
        url = normalize_url(server_url)
        api = ApiClient(url)
        try:
            session = await api.login(login, password)
            if session.kind != "specialist":
                await api.close()
                self._emit(Problem(problems.NOT_SPECIALIST))
                return False
            me = await api.me()
        except ApiError as e:
            await api.close()
            self._problem_from(e)
            return False
        if not self.demo:
            self.settings.server_url = url
            self.settings.last_login = login
            self.settings.remember = remember
            with contextlib.suppress(OSError):
                self.settings.save()
            if remember:
                self.credentials.set(url, session.token)
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
        self.server_url = url
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
                self._problem_from(e)
                return False
            log.info("server unreachable: starting from the cache")
            self._problem_from(e)
        except ApiError as e:
            await api.close()
            self._problem_from(e)
            return False
        await self._signed_in(api, url, me)
        return True

    async def _signed_in(self, api: ApiClient, url: str, me: Me) -> None:
        if self.api is not None and self.api is not api:
            await self._stop_session()
        self.api = api
        self.server_url = url
        self.me = me
        self.status = me.status
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
        )
        self.events.start()
        try:
            await self._load_all()
        finally:
            self._ready.set()
        self._courier = self._spawn(self._courier_loop(), "outbox-courier")
        self._last_activity = time.monotonic()
        if self._idle_task is None:
            self._idle_task = self._spawn(self._idle_loop(), "idle-away")

    async def _load_all(self) -> None:
        lines = await self._load_lines()
        if lines is None:
            return
        if self.current_line_id is not None:
            await self._load_line(self.current_line_id)
        if self.current_chat_id is not None and self.current_chat_id in self.chats:
            await self.open_chat(self.chats[self.current_chat_id].user_id)
        with contextlib.suppress(ApiError):
            assert self.api is not None
            self.colleagues = {c.id: c for c in await self.api.colleagues()}

    async def _load_lines(self) -> tuple[Line, ...] | None:
        assert self.api is not None
        try:
            lines = tuple(await self.api.lines())
            self._spawn(self.cache.save_lines(self.account, lines), "cache-lines")
        except Unreachable as e:
            cached = await self.cache.load_lines(self.account)
            if cached is None:
                self._problem_from(e)
                return None
            lines = tuple(cached)
        except ApiError as e:
            self._problem_from(e)
            return None
        self.lines = lines
        ids = [ln.id for ln in lines]
        if self.current_line_id not in ids:
            last = self.settings.last_line_id
            self.current_line_id = last if last in ids else (ids[0] if ids else None)
        self._emit(LinesLoaded(lines, self.current_line_id))
        return lines

    # -- lines and users ---------------------------------------------------------------------

    def line(self, line_id: int | None = None) -> Line | None:
        lid = self.current_line_id if line_id is None else line_id
        return next((ln for ln in self.lines if ln.id == lid), None)

    @_guard
    async def select_line(self, line_id: int) -> None:
        if self.current_line_id != line_id:
            self.current_chat_id = None
        self.current_line_id = line_id
        if self.settings.last_line_id != line_id:
            self.settings.last_line_id = line_id
            with contextlib.suppress(OSError):
                self.settings.save()
        await self._load_line(line_id)

    async def _load_line(self, line_id: int) -> None:
        assert self.api is not None
        self._line_gen += 1
        gen = self._line_gen
        ln = self.line(line_id)
        streaming = ln.streaming if ln else False
        days = self.settings.actuality_days
        index = UserIndex(line_id, streaming, days)
        index.on_miss = functools.partial(self._rows_wanted, index)
        index.search(self.users.query if self.users.line_id == line_id else "")
        # the first screen of the last time (a few rows), never the whole line
        cached = await self.cache.load_users(self.account, line_id)
        if gen != self._line_gen:
            return
        if cached is not None:
            index.complete = not streaming
            index.load(cached)
            self._set_index(index)
        try:
            if streaming:
                active = await self.api.all_users(line_id, active_days=days, page=USERS_PAGE)
                if gen != self._line_gen:
                    return
                index.complete = False
                index.load(active)
                self._set_index(index)
                self._spawn(self._load_everyone(line_id, gen, index), "load-everyone")
                rows = active
            else:
                rows = await self.api.all_users(line_id, page=USERS_PAGE)
                if gen != self._line_gen:
                    return
                index.complete = True
                index.load(rows)
                self._set_index(index)
            self._spawn(self.cache.save_users(self.account, line_id, rows), "cache-users")
        except Unreachable as e:
            if cached is None:
                self._set_index(index)
            self._problem_from(e)

    async def _load_everyone(self, line_id: int, gen: int, index: UserIndex) -> None:
        """Streaming lines: after the active users are shown, take the directory for search."""
        assert self.api is not None
        try:
            directory = await self.api.directory(line_id)
        except ApiError as e:
            log.info("the directory of line %s: %s", line_id, e)
            return
        if gen != self._line_gen:
            return
        before = list(index.ids)
        index.load_directory(directory)
        del directory
        index.complete = True
        _trim_heap()  # the reply and its parse were ~100 MB for a moment: give it back
        if index.ids != before or index is not self.users:
            self._set_index(index)

    def _rows_wanted(self, index: UserIndex) -> None:
        """The view asked for rows that are not here: fetch them on the next loop turn."""
        if not index.fetching and self.api is not None and not self._closed:
            index.fetching = True
            self._spawn(self._fetch_rows(index), "fetch-rows")

    async def _fetch_rows(self, index: UserIndex) -> None:
        try:
            while self.api is not None:
                ids = index.take_wanted(ROWS_BATCH)
                if not ids:
                    return
                try:
                    rows = await self.api.user_rows(index.line_id, ids)
                except ApiError as e:
                    log.info("rows of line %s: %s", index.line_id, e)
                    index.fetched(ids, [])
                    return
                kept = index.fetched(ids, rows)
                if index is self.users:
                    for row in kept:
                        self._emit(UserChanged(row))
        finally:
            index.fetching = False

    def _set_index(self, index: UserIndex) -> None:
        self.users = index
        self._emit(UsersReset(index.line_id, index.query, tuple(index.ids)))

    def search(self, query: str) -> None:
        """Filter the current line's users (synchronous, over the prepared index)."""
        ids = self.users.search(query)
        self._emit(UsersReset(self.users.line_id, query, tuple(ids)))
        if query.strip() and not self.users.complete and self.api is not None:
            self._search_gen += 1
            self._spawn(self._server_search(query, self._search_gen), "server-search")

    async def _server_search(self, query: str, gen: int) -> None:
        assert self.api is not None
        index = self.users
        try:
            rows, _ = await self.api.users_page(index.line_id, q=query, limit=USERS_PAGE)
        except ApiError as e:
            log.info("server search: %s", e)
            return
        if gen != self._search_gen or index is not self.users or index.query != query:
            return
        index.add(rows)
        ids = index.search(query)
        self._emit(UsersReset(index.line_id, query, tuple(ids)))

    @_guard
    async def load_card(self, user_id: int) -> None:
        assert self.api is not None and self.current_line_id is not None
        card = await self.api.user_card(self.current_line_id, user_id)
        if self.users.line_id == self.current_line_id and self.users.put(card.row):
            self._emit(UserChanged(card.row))  # its row was not here: now it is
        self._emit(CardLoaded(card))

    @_guard
    async def finish_ticket(self, user_id: int) -> None:
        assert self.api is not None
        row = self.users.get(user_id)
        if row is None or row.open_ticket is None:
            return
        await self.api.finish_ticket(row.open_ticket.id)
        row = self.users.get(user_id)
        if row is not None:
            self._update_row(dataclasses.replace(row, open_ticket=None))

    def _update_row(self, row: UserRow) -> None:
        pos = self.users.update(row)
        if pos is not None:
            self._emit(UserChanged(row))

    def _touch_row(self, row: UserRow) -> None:
        placed = self.users.touch(row)
        if placed.new_pos is None:
            return
        if placed.old_pos is None:
            self._emit(UserInserted(row.id, placed.new_pos))
            self._emit(UserChanged(row))
            return
        self._emit(UserChanged(row))
        if placed.old_pos != placed.new_pos:
            self._emit(UserMoved(row.id, placed.old_pos, placed.new_pos))

    # -- chats ------------------------------------------------------------------------------------

    @_guard
    async def open_chat(self, user_id: int) -> None:
        assert self.api is not None
        chat_id = self.users.chat_id(user_id)
        if chat_id is None:
            return
        row = self.users.get(user_id)
        self.current_chat_id = chat_id
        try:
            msgs, has_more = await self.api.messages(chat_id, limit=self.page)
            self._spawn(
                self.cache.save_history(self.account, chat_id, msgs, has_more), "cache-history"
            )
        except Unreachable as e:
            cached = await self.cache.load_history(self.account, chat_id)
            if cached is None:
                self._problem_from(e)
                msgs, has_more = [], False
            else:
                msgs, has_more = cached
        if self.current_chat_id != chat_id:
            return
        chat = ChatState(chat_id, user_id, list(msgs), has_more, {m.id for m in msgs if m.id})
        known = {m.client_msg_id for m in msgs if m.client_msg_id}
        for item in self.outbox.items(self.account, chat_id):
            if item.client_msg_id not in known:
                chat.messages.append(self._outbox_message(item))
        self.chats[chat_id] = chat
        self._emit(ChatOpened(user_id, chat_id, tuple(chat.messages), has_more))
        unread = row.unread if row is not None else msgs and msgs[-1].author.kind == "client"
        if unread and msgs and msgs[-1].id is not None:
            self._spawn(self._mark_read(chat_id, msgs[-1].id), "mark-read")

    async def _mark_read(self, chat_id: int, up_to: int) -> None:
        assert self.api is not None
        try:
            await self.api.mark_read(chat_id, up_to)
        except ApiError as e:
            log.info("mark read: %s", e)
            return
        row = self.users.find_by_chat(chat_id)
        if row is not None and row.unread:
            self._update_row(dataclasses.replace(row, unread=0))

    @_guard
    async def load_older(self, chat_id: int) -> None:
        assert self.api is not None
        chat = self.chats.get(chat_id)
        if chat is None:
            return
        first = next((m.id for m in chat.messages if m.id is not None), None)
        if first is None:
            self._emit(HistoryPrepended(chat_id, (), False))
            return
        msgs, has_more = await self.api.messages(chat_id, before=first, limit=self.page)
        msgs = [m for m in msgs if m.id not in chat.ids]
        chat.messages[:0] = msgs
        chat.ids.update(m.id for m in msgs if m.id is not None)
        chat.has_more = has_more
        self._emit(HistoryPrepended(chat_id, tuple(msgs), has_more))

    def _outbox_message(self, item: OutboxItem) -> Message:
        me = self.me
        return Message(
            id=None,
            chat_id=item.chat_id,
            client_msg_id=item.client_msg_id,
            author=Author(me.id if me else 0, "specialist", me.full_name if me else ""),
            text=item.text,
            created_at=item.created_at,
            delivery=Delivery.SENDING if item.state == "pending" else Delivery.FAILED,
            error=item.error,
        )

    def send(self, chat_id: int, text: str, quote_id: int | None = None) -> Message:
        """Queue a message in the outbox; `MessageAdded` (SENDING) now, `MessageUpdated` later."""
        try:
            return self._send(chat_id, text, quote_id)
        except Exception as e:  # e.g. the disk is full: say so, never raise into a slot
            log.exception("send failed")
            self._emit(Problem(problems.MESSAGE_REJECTED, f"{type(e).__name__}: {e}"))
            return Message(
                id=None,
                chat_id=chat_id,
                client_msg_id="",
                author=Author(self.me.id if self.me else 0, "specialist", ""),
                text=text,
                created_at=datetime.now(UTC),
                delivery=Delivery.FAILED,
                error=problems.MESSAGE_REJECTED,
            )

    def _send(self, chat_id: int, text: str, quote_id: int | None) -> Message:
        if not text.strip():
            msg = Message(
                id=None,
                chat_id=chat_id,
                client_msg_id="",
                author=Author(self.me.id if self.me else 0, "specialist", ""),
                text=text,
                created_at=datetime.now(UTC),
                delivery=Delivery.FAILED,
                error=problems.MESSAGE_EMPTY,
            )
            self._emit(Problem(problems.MESSAGE_EMPTY))
            return msg
        item = self.outbox.add(self.account, chat_id, text, quote_id)
        msg = self._outbox_message(item)
        chat = self.chats.get(chat_id)
        if chat is not None:
            chat.messages.append(msg)
        self._emit(MessageAdded(chat_id, msg))
        self._courier_wake.set()
        return msg

    def retry(self, chat_id: int, client_msg_id: str) -> None:
        try:
            item = self.outbox.retry(client_msg_id)
        except Exception as e:
            log.exception("retry failed")
            self._emit(Problem(problems.MESSAGE_REJECTED, f"{type(e).__name__}: {e}"))
            return
        if item is None:
            return
        msg = self._outbox_message(item)
        self._replace_in_chat(chat_id, msg)
        self._emit(MessageUpdated(chat_id, msg))
        self._courier_wake.set()

    def _replace_in_chat(self, chat_id: int, msg: Message) -> bool:
        chat = self.chats.get(chat_id)
        if chat is None:
            return False
        i = chat.index_of(msg.client_msg_id)
        if i is None:
            return False
        chat.messages[i] = msg
        if msg.id is not None:
            chat.ids.add(msg.id)
        return True

    async def _courier_loop(self) -> None:
        """Deliver the outbox: at once when woken, and every few seconds while items wait."""
        delay = 1.0
        while True:
            self._courier_wake.clear()
            if self.api is not None and self.me is not None:
                try:
                    await self.outbox.flush(self.api, self.account, self._on_delivery)
                    delay = 1.0
                except ApiError as e:
                    log.info("outbox waits: %s", e)
                    delay = 60.0 if isinstance(e, Unauthorized) else min(delay * 2, 30.0)
                except Exception:
                    log.exception("outbox courier")
                    delay = 30.0
            pending = bool(self.me and self.outbox.pending(self.account))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._courier_wake.wait(), delay if pending else 60.0)

    def _on_delivery(self, result: Result) -> None:
        if isinstance(result, Delivered):
            msg = dataclasses.replace(result.message, delivery=Delivery.SENT)
            chat = self.chats.get(msg.chat_id)
            if chat is not None:
                i = chat.index_of(msg.client_msg_id)
                if i is not None and chat.messages[i].id is not None:
                    return  # the server's echo came first and already updated it
                if i is None and msg.id in chat.ids:
                    return
                if i is None:
                    chat.messages.append(msg)
                    chat.ids.add(msg.id)  # type: ignore[arg-type]
                    self._emit(MessageAdded(msg.chat_id, msg))
                else:
                    self._replace_in_chat(msg.chat_id, msg)
                    self._emit(MessageUpdated(msg.chat_id, msg))
            else:
                self._emit(MessageUpdated(msg.chat_id, msg))
            self._lift_for_message(msg, None)
        elif isinstance(result, Failed):
            msg = dataclasses.replace(
                self._outbox_message(result.item), delivery=Delivery.FAILED, error=result.error
            )
            self._replace_in_chat(msg.chat_id, msg)
            self._emit(MessageUpdated(msg.chat_id, msg))

    def _lift_for_message(self, msg: Message, user_id: int | None) -> None:
        """A message in a chat of the current line: update the row and lift it to the top."""
        users = self.users
        uid = user_id
        if uid is None or users.chat_id(uid) != msg.chat_id:
            uid = users.user_by_chat(msg.chat_id)
        if uid is None or msg.id is None:
            return
        row = users.get(uid)
        if row is None:  # not shown lately: lift it; its row is fetched when it is painted
            at = msg.created_at.timestamp()
            if users.last_at(uid) > at:
                return
            placed = users.touch_id(uid, at)
            if placed.new_pos is None:
                return
            if placed.old_pos is None:
                self._emit(UserInserted(uid, placed.new_pos))
            elif placed.old_pos != placed.new_pos:
                self._emit(UserMoved(uid, placed.old_pos, placed.new_pos))
            return
        if row.last_message is not None and row.last_message.id >= msg.id:
            return
        unread = row.unread
        if msg.author.kind == "client" and self.current_chat_id != msg.chat_id:
            unread += 1
        new = dataclasses.replace(
            row,
            last_message=LastMessage(msg.id, msg.text, msg.created_at, msg.author.kind),
            unread=unread,
        )
        self._touch_row(new)

    # -- status and idle-away ----------------------------------------------------------------------

    @_guard
    async def set_status(self, status: Status) -> None:
        self._auto_away_from = None
        await self._set_status(status, automatic=False)

    async def _set_status(self, status: Status, automatic: bool) -> None:
        assert self.api is not None
        me = await self.api.set_status(status)
        self.me = me
        changed = self.status != me.status
        self.status = me.status
        if changed or not automatic:
            self._emit(StatusChanged(me.status, automatic))

    def activity(self) -> None:
        """Keyboard or mouse seen: resets the idle timer; ends an automatic Away."""
        self._last_activity = time.monotonic()
        if self._auto_away_from is not None and self.api is not None:
            back, self._auto_away_from = self._auto_away_from, None
            self._spawn(self._back_from_away(back), "back-from-away")

    async def _back_from_away(self, status: Status) -> None:
        try:
            await self._set_status(status, automatic=True)
        except ApiError as e:
            log.info("back from away: %s", e)

    def _idle_limit(self) -> float:
        if self.idle_seconds is not None:
            return self.idle_seconds
        return self.settings.idle_away_minutes * 60.0

    async def _idle_loop(self) -> None:
        while True:
            limit = self._idle_limit()
            idle = time.monotonic() - self._last_activity
            if (
                idle >= limit
                and self._auto_away_from is None
                and self.status in (Status.FREE, Status.BUSY_NEW)
                and self.api is not None
            ):
                was = self.status
                try:
                    await self._set_status(Status.AWAY, automatic=True)
                    self._auto_away_from = was
                except ApiError as e:
                    log.info("automatic away: %s", e)
            await asyncio.sleep(max(0.05, min(limit / 4, 1.0)))

    # -- events ----------------------------------------------------------------------------------

    def _on_connection(self, state: ConnectionState, detail: str, retry_in: float | None) -> None:
        self.connection = state
        self._emit(ConnectionChanged(state, detail, retry_in))
        if state == ConnectionState.CONNECTED:
            self._courier_wake.set()

    def _on_unauthorized(self) -> None:
        if self.server_url:
            self.credentials.delete(self.server_url)
        self._emit(Problem(problems.SESSION_EXPIRED))

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
            handler(self, ev)
        except (parse.Malformed, ValueError, TypeError, KeyError) as e:
            log.warning("event %s (%s) malformed, skipped: %s", ev.seq, ev.kind, e)

    def _ev_message(self, ev: Event) -> None:
        msg = parse.message(ev.data)
        chat = self.chats.get(msg.chat_id)
        if chat is not None and msg.id not in chat.ids:
            mine = (
                self.me is not None
                and msg.author.kind == "specialist"
                and (msg.author.id == self.me.id)
            )
            i = chat.index_of(msg.client_msg_id) if mine else None
            shown = dataclasses.replace(msg, delivery=Delivery.SENT)
            if i is not None:
                chat.messages[i] = shown
                chat.ids.add(msg.id)  # type: ignore[arg-type]
                self._emit(MessageUpdated(msg.chat_id, shown))
            else:
                chat.messages.append(shown)
                chat.ids.add(msg.id)  # type: ignore[arg-type]
                self._emit(MessageAdded(msg.chat_id, shown))
            if (
                msg.author.kind == "client"
                and self.current_chat_id == msg.chat_id
                and msg.id is not None
            ):
                self._spawn(self._mark_read(msg.chat_id, msg.id), "mark-read")
        if ev.line_id is None or ev.line_id == self.users.line_id:
            if ev.user_id is not None and ev.user_id not in self.users and msg.id is not None:
                self._spawn(self._fetch_new_user(ev.user_id, msg), "new-user")
            else:
                self._lift_for_message(msg, ev.user_id)

    async def _fetch_new_user(self, user_id: int, msg: Message) -> None:
        if self.api is None or self.current_line_id is None:
            return
        try:
            card = await self.api.user_card(self.current_line_id, user_id)
        except ApiError as e:
            log.info("new user %s: %s", user_id, e)
            return
        if user_id in self.users:
            self._lift_for_message(msg, user_id)
            return
        row = dataclasses.replace(card.row, last_message=None)
        self.users.add([row])
        self._lift_for_message(msg, user_id)

    def _ev_status(self, ev: Event) -> None:
        sid = parse.req_int(ev.data, "id")
        st = parse.status(ev.data.get("status"))
        if self.me is not None and sid == self.me.id:
            if st != self.status:
                self.status = st
                self.me = dataclasses.replace(self.me, status=st)
                self._emit(StatusChanged(st, self._auto_away_from is not None))
            return
        c = self.colleagues.get(sid)
        if c is not None:
            c = dataclasses.replace(c, status=st)
            self.colleagues[sid] = c
            self._emit(ColleagueChanged(c))

    def _ev_ticket(self, ev: Event) -> None:
        t = parse.ticket(ev.data)
        if t.line_id != self.users.line_id:
            return
        row = self.users.get(t.user_id)
        if row is None:
            return
        ot = OpenTicket(t.id, t.specialist_id) if t.state == "open" else None
        if ot != row.open_ticket:
            self._update_row(dataclasses.replace(row, open_ticket=ot))

    def _ev_read(self, ev: Event) -> None:
        chat_id = parse.req_int(ev.data, "chat_id")
        row = self.users.find_by_chat(chat_id)
        if row is not None and row.unread:
            self._update_row(dataclasses.replace(row, unread=0))

    def _ev_user(self, ev: Event) -> None:
        uid = ev.user_id if ev.user_id is not None else parse.req_int(ev.data, "id")
        row = self.users.get(uid)
        if row is None:
            return
        merged = to_json(row)
        merged.update(ev.data)
        merged["id"] = row.id
        new = parse.user_row(merged)
        if new != row:
            self._update_row(new)

    _handlers: ClassVar[dict[str, Callable[[Workplace, Event], None]]] = {
        "message.created": _ev_message,
        "specialist.status": _ev_status,
        "ticket.opened": _ev_ticket,
        "ticket.updated": _ev_ticket,
        "ticket.closed": _ev_ticket,
        "chat.read": _ev_read,
        "user.updated": _ev_user,
    }

    # -- closing ----------------------------------------------------------------------------------

    async def _stop_session(self) -> None:
        if self.events is not None:
            await self.events.stop()
            self.events = None
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._tasks.clear()
        self._courier = None
        self._idle_task = None
        if self.api is not None:
            await self.api.close()
            self.api = None

    async def sign_out(self) -> None:
        """Revoke the token, forget it, and stop talking to the server."""
        if self.api is not None:
            with contextlib.suppress(ApiError):
                await self.api.logout()
        if self.server_url:
            self.credentials.delete(self.server_url)
        await self._stop_session()
        self.me = None

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # let the cache writes in flight finish before stopping
        pending = [t for t in self._tasks if t.get_name().startswith("cache-")]
        if pending:
            await asyncio.wait(pending, timeout=5)
        await self._stop_session()
        if self._cache is not None:
            await self._cache.close()
            self._cache = None
        if self._outbox is not None:
            self._outbox.close()
            self._outbox = None
        if self.demo_server is not None:
            await self.demo_server.stop()
            self.demo_server = None

    async def __aenter__(self) -> Workplace:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
