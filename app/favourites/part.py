"""Favourites: the users I watch, per line, kept on the server (GET /me/favourites,
PUT/DELETE /lines/{id}/favourites/{user_id}).

A favourite's row shows it (the index's `favourites`: a streaming line lists them, the
filter can ask for them); every event of their chat becomes an alert (app/chat/alerts.py:
colleagues' messages and ticket steps too, not only the user's messages); and the chat can be
opened and watched live whoever holds the ticket (the line's events reach every specialist of
the line). Loaded with each line (`CurrentLine.also_load`), so a resync brings them again.

A change made in another session of mine (another machine) comes as ``favourite.changed``:
the change itself, applied to the list (a favourite added comes first, as the newest), so the
star and the filter follow at once; my own changes come back the same way and change nothing.
"""

from __future__ import annotations

import logging

from app.chat.alerts import ChatAlerts
from app.clients.current_line import CurrentLine
from app.clients.userindex import UserIndex
from app.context import Context
from app.core import parse
from app.core.changes import UserChanged
from app.net.api import ApiClient, ApiError
from app.net.errors import MalformedReply
from app.net.events import Event
from contract import favourites
from contract.types import EventKind

log = logging.getLogger("linedesk.workplace.favourites")

ADD = "favourites.add"
"""Intent: add a user of the current line (`user_id`) to my favourites."""
REMOVE = "favourites.remove"
"""Intent: take a user of the current line (`user_id`) off my favourites."""


def _items(raw: object) -> tuple[favourites.Favourite, ...]:
    try:
        return tuple(parse.convert(raw, favourites.Favourites).items)
    except parse.Malformed as e:
        raise MalformedReply(detail=f"favourites: {e}") from None


async def mine(api: ApiClient) -> tuple[favourites.Favourite, ...]:
    return _items(await api.call("GET", "/me/favourites"))


class Favourites:
    def __init__(self, session: Context, line: CurrentLine, alerts: ChatAlerts) -> None:
        self._session = session
        self._line = line
        self.items: tuple[favourites.Favourite, ...] = ()
        self._by_chat: dict[int, favourites.Favourite] = {}
        self._answers = 0  # replies of add/remove taken: a list fetched before one is older
        session.intents.register(ADD, self.add)
        session.intents.register(REMOVE, self.remove)
        line.also_load(self._with_line)
        alerts.watch(self.watched)
        session.routes.register(EventKind.FAVOURITE_CHANGED, self.on_event)

    def watched(self, chat_id: int) -> str | None:
        """The favourite's name if `chat_id` is a favourite's chat, else None."""
        found = self._by_chat.get(chat_id)
        return None if found is None else found.full_name

    def of_line(self, line_id: int) -> frozenset[int]:
        return frozenset(f.user_id for f in self.items if f.line_id == line_id)

    async def add(self, user_id: int) -> None:
        api, line_id = self._session.api, self._line.users.line_id
        assert api is not None
        path = f"/lines/{line_id}/favourites/{user_id}"
        items = _items(await api.call("PUT", path))
        self._answers += 1
        self._set(items)

    async def remove(self, user_id: int) -> None:
        api, line_id = self._session.api, self._line.users.line_id
        assert api is not None
        path = f"/lines/{line_id}/favourites/{user_id}"
        items = _items(await api.call("DELETE", path))
        self._answers += 1
        self._set(items)

    def on_event(self, ev: Event) -> None:
        """A favourite added or removed in one of my sessions (this one's come back too)."""
        change = ev.payload
        if not isinstance(change, favourites.FavouriteChanged):
            return
        key = (change.line_id, change.user_id)
        kept = tuple(f for f in self.items if (f.line_id, f.user_id) != key)
        if change.favourite:
            added = favourites.Favourite(
                change.line_id, change.user_id, change.chat_id, change.full_name
            )
            kept = (added, *kept)
        self._answers += 1  # a list being fetched may be older than this
        if kept != self.items:
            self._set(kept)

    async def _with_line(self, index: UserIndex) -> None:
        """A line's users were loaded into `index`: my favourites again (they may have changed
        in another session), shown on it."""
        api = self._session.api
        if api is None:
            return
        answers = self._answers
        try:
            items = await mine(api)
        except ApiError as e:
            log.info("favourites: %s", e)
            return
        if answers != self._answers:  # an add or remove answered meanwhile: its list is newer
            items = self.items
        self._set(items, index)

    def _set(self, items: tuple[favourites.Favourite, ...], index: UserIndex | None = None) -> None:
        self.items = items
        self._by_chat = {f.chat_id: f for f in items if f.chat_id is not None}
        index = index if index is not None else self._line.users
        before = index.favourites
        now = self.of_line(index.line_id)
        if index.set_favourites(now):
            if index is self._line.users:
                self._line.show(index)
            return
        if index is self._line.users:
            for user_id in before ^ now:  # the star on their rows
                row = index.get(user_id)
                if row is not None:
                    self._session.emit(UserChanged(row))
