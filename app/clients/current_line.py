"""CurrentLine: the specialist's lines, the selected one and its users — loaded from the cache
and the server (for a streaming line: active users first, then the directory to search
everyone) and rows fetched lazily as the view shows them, both by `LineLoader`
(app/clients/line_loader.py); search, the card, and the rows' live updates (it handles
`chat.read` and `user.updated`; other parts change rows through `update_row`)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from app.clients import lists_api
from app.clients.line_loader import USERS_PAGE, LineLoader
from app.clients.userfilter import UserFilter
from app.clients.userindex import Placement, UserIndex
from app.context import Context
from app.core import parse
from app.core.changes import (
    CardLoaded,
    LinesLoaded,
    MeChanged,
    UserChanged,
    UserInserted,
    UserMoved,
    UsersComplete,
    UsersReset,
)
from app.core.domain import LastMessage, Line, Message, Presence, UserRow
from app.core.tasks import Tasks
from app.net.api import ApiError, Unreachable
from app.net.events import Event
from app.store.cache import to_json
from app.store.settings import Settings
from contract.clients import DirectoryFlag
from contract.types import EventKind

log = logging.getLogger("linedesk.workplace.line")

ADD_TO_MY_LIST = "clients.my_list.add"
"""Intent: keep a user of the current line (`user_id`) on my list (a streaming line shows them)."""
SET_MY_PHOTO = "clients.my_photo"
"""Intent: my picture (`data`: PNG bytes): uploaded; the window shows it at once (`MeChanged`:
every pane showing me follows), my other sessions and colleagues through `specialist.updated`
and `user.updated`."""
SET_ACTIVE_DAYS = "clients.active_days"
"""Intent: the relevance window of streaming lines (`days`, 7–90): kept, and shown at once."""
REMOVE_FROM_MY_LIST = "clients.my_list.remove"
"""Intent: take a user (`user_id`) off my list on the current line."""
FILTER_USERS = "clients.filter"
"""Intent: narrow the current line's list (`UserFilter`; an empty one clears it), kept for the
line."""


class CurrentLine:
    def __init__(
        self, session: Context, settings: Settings, open_chat_id: Callable[[], int | None]
    ) -> None:
        self._session = session
        self._settings = settings
        self._open_chat_id = open_chat_id
        self.lines: tuple[Line, ...] = ()
        self.current_line_id: int | None = None
        self.users = UserIndex()
        self._search_gen = 0
        self.tasks = Tasks(log=log)
        self._loader = LineLoader(
            session, settings, self.tasks, lambda: self.users, self._set_index
        )
        session.routes.register(EventKind.CHAT_READ, self.on_read_event)
        session.routes.register(EventKind.USER_UPDATED, self.on_user_event)
        session.intents.register(ADD_TO_MY_LIST, self.add_to_my_list)
        session.intents.register(REMOVE_FROM_MY_LIST, self.remove_from_my_list)
        session.intents.register(SET_ACTIVE_DAYS, self.set_active_days)
        session.intents.register(SET_MY_PHOTO, self.set_my_photo)
        session.intents.register(FILTER_USERS, self._filter_intent)

    # -- lines ------------------------------------------------------------------------------

    def line(self, line_id: int | None = None) -> Line | None:
        lid = self.current_line_id if line_id is None else line_id
        return next((ln for ln in self.lines if ln.id == lid), None)

    async def load_lines(self) -> tuple[Line, ...] | None:
        """The lines from the server (the cache when it is unreachable); None: a Problem."""
        s = self._session
        assert s.api is not None
        try:
            lines = tuple(await s.api.lines())
            s.write(s.cache.save_lines(s.account, lines), "cache-lines")
        except Unreachable as e:
            s.stale = True
            cached = await s.cache.load_lines(s.account)
            if cached is None:
                s.problem_from(e)
                return None
            lines = tuple(cached)
        except ApiError as e:
            s.stale = True
            s.problem_from(e)
            return None
        self.set_lines(lines)
        return lines

    def set_lines(self, lines: tuple[Line, ...]) -> None:
        self.lines = lines
        ids = [ln.id for ln in lines]
        if self.current_line_id not in ids:
            last = self._settings.last_line_id
            self.current_line_id = last if last in ids else (ids[0] if ids else None)
        self._session.emit(LinesLoaded(lines, self.current_line_id))

    async def select(self, line_id: int) -> None:
        self.current_line_id = line_id
        if self._settings.last_line_id != line_id:
            self._settings.last_line_id = line_id
            with contextlib.suppress(OSError):
                self._settings.save()
        await self.load(line_id)

    # -- the current line's users -------------------------------------------------------------

    async def show_cached(self) -> None:
        """Show the current line's first rows from the cache (not complete: search waits)."""
        await self._loader.show_cached(self.line())

    async def load(self, line_id: int) -> None:
        """Load the line's users (cache, then server) into a fresh index and show it."""
        await self._loader.load(line_id, self.line(line_id))

    def remember(self, handler: Callable[..., None], *args: object) -> None:
        """A live change while the line loads: to be applied to the new index too (each
        handler of a live change calls this first; handlers are idempotent)."""
        self._loader.remember(handler, *args)

    async def set_my_photo(self, data: bytes) -> None:
        s = self._session
        assert s.api is not None and s.server_url is not None
        s.me = await lists_api.put_avatar(s.api, data, "image/png")
        s.emit(MeChanged(s.me))

    async def set_active_days(self, days: int) -> None:
        self._settings.actuality_days = days
        with contextlib.suppress(OSError):
            self._settings.save()
        index = self.users
        if index.set_active_days(self._settings.actuality_days):
            self._set_index(index)
        else:
            self._session.emit(UsersComplete(index.line_id))  # (what is left out changed)

    async def add_to_my_list(self, user_id: int) -> None:
        index, api = self.users, self._session.api
        assert api is not None
        if user_id in index.pinned:
            return
        self._loader.pin(index, await lists_api.add_to_my_list(api, index.line_id, user_id))

    async def remove_from_my_list(self, user_id: int) -> None:
        index, api = self.users, self._session.api
        assert api is not None
        if user_id not in index.pinned:
            return
        self._loader.pin(index, await lists_api.remove_from_my_list(api, index.line_id, user_id))

    async def _filter_intent(self, f: UserFilter) -> None:
        self.set_filter(f)

    def set_filter(self, f: UserFilter) -> None:
        """Narrow the current line's list (synchronous, over the prepared index) and keep the
        filter for the line; the list is shown again (its label says the filter)."""
        index = self.users
        kept = dict(self._settings.user_filters)
        key = str(index.line_id)
        if f:
            kept[key] = f.to_json()
        else:
            kept.pop(key, None)
        if kept != self._settings.user_filters:
            self._settings.user_filters = kept
            with contextlib.suppress(OSError):
                self._settings.save()
        index.set_filter(f)
        self._set_index(index)

    def also_load(self, load: Callable[[UserIndex], Coroutine[Any, Any, None]]) -> None:
        """`load(index)` runs (a task) each time a line's users were loaded from the server:
        another part's per-line state (favourites) shown on the new index."""
        self._loader.extras.append(load)

    def show(self, index: UserIndex) -> None:
        """`index`'s view changed as a whole (another part changed what it shows)."""
        if index is self.users:
            self._set_index(index)

    def _set_index(self, index: UserIndex) -> None:
        self.users = index
        self._session.emit(UsersReset(index.line_id, index.query, tuple(index.ids)))

    def search(self, query: str) -> None:
        """Filter the current line's users (synchronous, over the prepared index)."""
        ids = self.users.search(query)
        self._session.emit(UsersReset(self.users.line_id, query, tuple(ids)))
        if query.strip() and not self.users.complete and self._session.api is not None:
            self._search_gen += 1
            self.tasks.spawn(self._server_search(query, self._search_gen), "server-search")

    async def _server_search(self, query: str, gen: int) -> None:
        assert self._session.api is not None
        index = self.users
        try:
            rows, _ = await self._session.api.users_page(index.line_id, q=query, limit=USERS_PAGE)
        except ApiError as e:
            log.info("server search: %s", e)
            return
        if gen != self._search_gen or index is not self.users or index.query != query:
            return
        index.add(rows)
        ids = index.search(query)
        self._session.emit(UsersReset(index.line_id, query, tuple(ids)))

    async def load_card(self, user_id: int) -> None:
        assert self._session.api is not None
        index, since = self.users, self.users.revision
        # the user was chosen in the list shown — its line, even while another one loads
        line_id = index.line_id if index.line_id is not None else self.current_line_id
        assert line_id is not None
        card = await self._session.api.user_card(line_id, user_id)
        if index is self.users and index.put(card.row, since):
            self._session.emit(UserChanged(card.row))  # its row was not here: now it is
        live = self.users.get(user_id) if index is self.users else None
        if live is not None and live is not card.row:
            # an event changed the row while the card was on its way: the row is newer
            card = dataclasses.replace(card, row=live)
        self._session.emit(CardLoaded(card, line_id))

    # -- rows changing live -------------------------------------------------------------------

    def update_row(self, row: UserRow) -> None:
        """A held row changed in place: `UserChanged` when it is in the list (and `UserMoved`
        when it started or stopped waiting for my answer)."""
        placed = self.users.update(row)
        if placed is not None:
            self._session.emit(UserChanged(row))
            self._moved(row.id, placed)

    def set_flags(self, user_id: int, set_flags: int = 0, clear_flags: int = 0) -> None:
        """A user whose row is not held changed (a ticket, read elsewhere, presence): the
        filter's marks follow, and the row moves when it starts or stops waiting for me."""
        placed = self.users.set_flags(user_id, set_flags, clear_flags)
        if placed is not None:
            self._moved(user_id, placed)

    def _moved(self, user_id: int, placed: Placement) -> None:
        old, new = placed.old_pos, placed.new_pos
        if old is not None and new is not None and old != new:
            self._session.emit(UserMoved(user_id, old, new))

    def _touch_row(self, row: UserRow) -> None:
        emit = self._session.emit
        placed = self.users.touch(row)
        if placed.new_pos is None:
            return
        if placed.old_pos is None:
            emit(UserInserted(row.id, placed.new_pos))
            emit(UserChanged(row))
            return
        emit(UserChanged(row))
        if placed.old_pos != placed.new_pos:
            emit(UserMoved(row.id, placed.old_pos, placed.new_pos))

    def mark_read(self, chat_id: int, up_to: int) -> None:
        """The chat was read up to message `up_to`: no unread messages left — unless newer
        ones came meanwhile, then the server (which counts them) is asked for the row."""
        row = self.users.find_by_chat(chat_id)
        if row is None:  # not held: no unread messages for the filter (its row comes fresh)
            uid = self.users.user_by_chat(chat_id)
            if uid is not None:
                self.set_flags(uid, clear_flags=DirectoryFlag.UNREAD)
            return
        if not row.unread:
            return
        if row.last_message is None or row.last_message.id <= up_to:
            self.update_row(dataclasses.replace(row, unread=0))
        else:
            self.tasks.spawn(self._refresh_row(row.id), "refresh-row")

    async def _refresh_row(self, user_id: int) -> None:
        api, index = self._session.api, self.users
        if api is None or index.line_id is None:
            return
        try:
            rows = await api.user_rows(index.line_id, [user_id])
        except ApiError as e:
            log.info("the row of user %s: %s", user_id, e)
            return
        if index is self.users and rows and rows[0].id == user_id:
            self.update_row(rows[0])

    def on_message(self, msg: Message, line_id: int | None, user_id: int | None) -> None:
        """A message arrived live: lift its user's row (fetch the user when new to the list)."""
        self.remember(self.on_message, msg, line_id, user_id)
        if line_id is None or line_id == self.users.line_id:
            if user_id is not None and user_id not in self.users and msg.id is not None:
                self.tasks.spawn(self._fetch_new_user(user_id, msg), "new-user")
            else:
                self.lift_for_message(msg, user_id)

    async def _fetch_new_user(self, user_id: int, msg: Message) -> None:
        api, index = self._session.api, self.users
        if api is None or index.line_id is None:
            return
        try:
            card = await api.user_card(index.line_id, user_id)
        except ApiError as e:
            log.info("new user %s: %s", user_id, e)
            return
        if index is not self.users:  # another line is shown now
            return
        if user_id in self.users:
            self.lift_for_message(msg, user_id)
            return
        row = dataclasses.replace(card.row, last_message=None)
        self.users.add([row])
        self.lift_for_message(msg, user_id)

    def lift_for_message(self, msg: Message, user_id: int | None) -> None:
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
            if msg.author.kind == "client":
                unread = 0 if self._open_chat_id() == msg.chat_id else DirectoryFlag.UNREAD
                placed = users.touch_id(uid, at, set_flags=DirectoryFlag.WAITING | unread)
            else:
                placed = users.touch_id(uid, at, clear_flags=DirectoryFlag.WAITING)
            if placed.new_pos is None:
                return
            if placed.old_pos is None:
                self._session.emit(UserInserted(uid, placed.new_pos))
            elif placed.old_pos != placed.new_pos:
                self._session.emit(UserMoved(uid, placed.old_pos, placed.new_pos))
            return
        if row.last_message is not None and row.last_message.id >= msg.id:
            return
        unread = row.unread
        if msg.author.kind == "client" and self._open_chat_id() != msg.chat_id:
            unread += 1
        new = dataclasses.replace(
            row,
            last_message=LastMessage(
                msg.id,
                msg.text,
                msg.created_at,
                msg.author.kind,
                msg.file.name if msg.file is not None else "",
            ),
            unread=unread,
        )
        self._touch_row(new)

    def on_read_event(self, ev: Event) -> None:
        """`chat.read`: read elsewhere (another specialist or window)."""
        self.remember(self.on_read_event, ev)
        self.mark_read(parse.req_int(ev.data, "chat_id"), parse.req_int(ev.data, "up_to"))

    def on_user_event(self, ev: Event) -> None:
        """`user.updated`: merge the changed fields into the row."""
        self.remember(self.on_user_event, ev)
        uid = ev.user_id if ev.user_id is not None else parse.req_int(ev.data, "id")
        row = self.users.get(uid)
        if row is None:  # not held: a fetch of it on its way is older now
            self.users.changed_elsewhere(uid)
            presence = ev.data.get("presence")
            if isinstance(presence, str):
                online = presence == Presence.ONLINE
                bit = DirectoryFlag.ONLINE
                self.set_flags(uid, bit if online else 0, 0 if online else bit)
            return
        merged = to_json(row)
        merged.update(ev.data)
        merged["id"] = row.id
        new = parse.user_row(merged)
        if new != row:
            self.update_row(new)
