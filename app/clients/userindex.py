"""The users of the current line: display order, a prepared search index, rows kept lazily.

A line of 100 000 users is held compactly, in arrays aligned with the display
order: the user ids (`array('i')`), the last message times (`array('d')`, 0 =
none) and one pre-lowercased search key per user (full name, login, e-mail,
company and INNs — the server's `search` text of `GET /lines/{id}/directory`).
Full rows (`UserRow`) are kept only for what was shown, in a bounded LRU: a
miss (`row(id)` raising KeyError) is remembered and reported through
`on_miss`, and the Workplace fetches the wanted rows in one request.

Order: users with messages by last message time, newest first; then the rest
alphabetically (the server's order, kept as it arrives). `ids` is the current
view (the query's matches, or in streaming mode with no query the active
users).

Search: a keystroke is one pass of `in` over the key list (a few milliseconds
for 100 000 users); a query that extends the previous one filters only the
previous hits.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.core.domain import UserRow
from app.core.parse import Directory

ROWS_KEPT = 2000  # full rows kept (what was shown recently)

_SEP = "\n"


def search_key(row: UserRow) -> str:
    """What a query matches, as the server builds it (server/core/derived.py search_text)."""
    parts = [row.full_name, row.login, row.email]
    if row.company is not None:
        parts.append(row.company.name)
        parts.extend(row.company.inns)
    return _SEP.join(parts).lower()


def sort_key(row: UserRow) -> tuple[int, float, str, int]:
    lm = row.last_message
    if lm is None:
        return (1, 0.0, row.full_name.casefold(), row.id)
    return (0, -lm.created_at.timestamp(), row.full_name.casefold(), row.id)


def _last_at(row: UserRow) -> float:
    lm = row.last_message
    return 0.0 if lm is None else lm.created_at.timestamp()


def _find(column: bytes, value: int) -> int:
    """The first index of `value` in an array('i') column given as bytes, or -1."""
    if not -(2**31) <= value < 2**31:
        return -1
    needle = array("i", (value,)).tobytes()
    size = len(needle)
    at = column.find(needle)
    while at >= 0 and at % size:
        at = column.find(needle, at + 1)
    return -1 if at < 0 else at // size


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a touched row is in the current view now.

    `old_pos` None and `new_pos` set: it was inserted; both set: it moved
    (or stayed, when equal); `new_pos` None: it is not shown.
    """

    old_pos: int | None
    new_pos: int | None


class UserIndex:
    def __init__(
        self,
        line_id: int = 0,
        streaming: bool = False,
        active_days: int = 60,
        rows_kept: int = ROWS_KEPT,
    ) -> None:
        self.line_id = line_id
        self.streaming = streaming
        self.active_days = active_days
        self.complete = True  # False while a streaming line's full list is still loading
        self.rows_kept = rows_kept
        self.on_miss: Callable[[], None] | None = None  # a row was asked for and is not here
        self.fetching = False  # the owner is fetching the wanted rows
        # aligned with the display order
        self._order: array[int] = array("i")
        self._keys: list[str] = []
        self._last: array[float] = array("d")
        self._chats: array[int] = array("i")
        # the id columns as bytes, for memchr-fast lookups (no 100 000-entry dicts)
        self._order_b: bytes | None = None
        self._chats_b: bytes | None = None
        self._rows: OrderedDict[int, UserRow] = OrderedDict()  # the LRU of full rows
        # each local change (update, touch) gets a revision, so that a row fetched before it
        # (a card) does not overwrite it: see `revision` and `put`
        self.revision = 0
        self._changed: dict[int, int] = {}
        self._wanted: dict[int, None] = {}  # misses not asked for yet (ordered)
        self._asked: set[int] = set()  # misses being fetched
        self.query = ""
        self._terms: tuple[str, ...] = ()
        self.ids: list[int] = []
        # the last query's hits as positions in the order, while the order is unchanged
        self._hits: list[int] | None = None
        self._version = 0
        self._hits_version = -1

    # -- loading --------------------------------------------------------------------

    def load(self, rows: Iterable[UserRow], *, sort: bool = False) -> None:
        """Replace the whole list with full rows (in display order unless `sort`)."""
        rs = list(rows)
        if sort:
            rs.sort(key=sort_key)
        seen: set[int] = set()
        uniq: list[UserRow] = []
        for r in rs:  # duplicates across pages: keep the first
            if r.id not in seen:
                seen.add(r.id)
                uniq.append(r)
        self._order = array("i", [r.id for r in uniq])
        self._keys = [search_key(r) for r in uniq]
        self._last = array("d", [_last_at(r) for r in uniq])
        self._chats = array("i", [r.chat_id for r in uniq])
        self._changed_order()
        for r in uniq:
            self._put(r)
        self._refilter()

    def load_directory(self, d: Directory, since: int | None = None) -> None:
        """Replace the whole list with a line's directory, asked for at revision `since`;
        rows already kept stay, and users lifted here since then (a message came while the
        directory was on its way) keep their newer place."""
        newer: dict[int, tuple[float, str, int]] = {}
        if since is not None:
            for uid, revision in self._changed.items():
                pos = self._pos(uid) if revision > since else -1
                if pos >= 0:
                    newer[uid] = (self._last[pos], self._keys[pos], self._chats[pos])
        order, keys = array("i", d.ids), d.keys
        last, chats = array("d", d.last_at), array("i", d.chat_ids)
        if not len(order) == len(keys) == len(last) == len(chats):
            raise ValueError("a directory's columns differ in length")
        self._order, self._keys, self._last, self._chats = order, keys, last, chats
        self._changed_order()
        for uid, (at, key, chat_id) in sorted(newer.items(), key=lambda item: item[1][0]):
            pos = self._pos(uid)
            if pos < 0 or self._last[pos] < at:
                self._lift(uid, key, at, chat_id)
        self._refilter()

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, user_id: object) -> bool:
        return isinstance(user_id, int) and self._pos(user_id) >= 0

    def _pos(self, user_id: int) -> int:
        """Where the user is in the order, or -1."""
        if self._order_b is None:
            self._order_b = self._order.tobytes()
        return _find(self._order_b, user_id)

    @property
    def order(self) -> list[int]:
        return self._order.tolist()

    # -- rows (lazily) -------------------------------------------------------------------

    def row(self, user_id: int) -> UserRow:
        """The full row; KeyError if it is not here (then it is wanted: see `on_miss`)."""
        rows = self._rows
        try:
            r = rows[user_id]
        except KeyError:
            self._want(user_id)
            raise
        rows.move_to_end(user_id)
        return r

    def get(self, user_id: int) -> UserRow | None:
        """The full row if it is here (no fetch is asked for)."""
        return self._rows.get(user_id)

    def rows(self) -> list[UserRow]:
        """The full rows that are here, in display order."""
        rows = self._rows
        return [rows[i] for i in self._order if i in rows]

    def chat_id(self, user_id: int) -> int | None:
        pos = self._pos(user_id)
        return None if pos < 0 else self._chats[pos]

    def last_at(self, user_id: int) -> float:
        """Unix time of the user's last message (0.0: none or unknown)."""
        pos = self._pos(user_id)
        return 0.0 if pos < 0 else self._last[pos]

    def user_by_chat(self, chat_id: int) -> int | None:
        if self._chats_b is None:
            self._chats_b = self._chats.tobytes()
        pos = _find(self._chats_b, chat_id)
        return None if pos < 0 else self._order[pos]

    def find_by_chat(self, chat_id: int) -> UserRow | None:
        uid = self.user_by_chat(chat_id)
        return None if uid is None else self._rows.get(uid)

    def _want(self, user_id: int) -> None:
        if user_id not in self._wanted and user_id not in self._asked:
            self._wanted[user_id] = None
            if self.on_miss is not None:
                self.on_miss()

    def take_wanted(self, limit: int) -> list[int]:
        """The newest `limit` wanted ids, now being fetched; older misses (rows scrolled
        past) are dropped: painted again, they are wanted again."""
        ids = list(self._wanted)[-limit:]
        self._wanted.clear()
        self._asked.update(ids)
        return ids

    def fetched(
        self, asked: Iterable[int], rows: Iterable[UserRow], since: int | None = None
    ) -> list[UserRow]:
        """Rows fetched for `asked` (none when the fetch failed) at revision `since`; returns
        the rows new here. A row that changed here meanwhile (a message lifted it) may be
        older than what happened: it is not kept but wanted again."""
        self._asked.difference_update(asked)
        kept = []
        for r in rows:
            if r.id in self._rows:
                continue
            if since is not None and self._changed.get(r.id, 0) > since:
                self._wanted[r.id] = None
                continue
            self._put(r)
            kept.append(r)
        return kept

    def put(self, row: UserRow, since: int) -> bool:
        """A full row from elsewhere (a card) asked for at revision `since`: kept if the user
        is on the list and has not changed here since; returns whether it is new to us."""
        if self._pos(row.id) < 0 or self._changed.get(row.id, 0) > since:
            return False
        new = row.id not in self._rows
        self._put(row)
        return new

    def changed_elsewhere(self, user_id: int) -> None:
        """The user's row changed on the server but is not held here: a fetch of it that was
        on its way is older (`fetched` asks again), and the next paint fetches the new one."""
        if self._pos(user_id) >= 0:
            self._mark_changed(user_id)

    def _mark_changed(self, user_id: int) -> None:
        self.revision += 1
        self._changed[user_id] = self.revision

    def _put(self, row: UserRow) -> None:
        rows = self._rows
        rows[row.id] = row
        rows.move_to_end(row.id)
        while len(rows) > self.rows_kept:
            rows.popitem(last=False)

    def add(self, rows: Iterable[UserRow]) -> None:
        """Users not in the list yet (a server search, a newcomer): appended to the order."""
        for r in rows:
            if r.id in self:
                continue
            self._order.append(r.id)
            self._keys.append(search_key(r))
            self._last.append(_last_at(r))
            self._chats.append(r.chat_id)
            self._changed_order()
            self._put(r)

    # -- search ---------------------------------------------------------------------

    def search(self, query: str) -> list[int]:
        """Set the query; returns (and keeps as `ids`) the matching ids in display order."""
        previous = self.query
        self.query = query
        self._terms = tuple(query.lower().split())
        narrower = bool(previous.strip()) and query.startswith(previous)
        self._refilter(narrower)
        return self.ids

    def matching(self, query: str) -> list[int]:
        """The ids matching `query` in display order (the view is left as it is)."""
        terms = tuple(query.lower().split())
        order = self._order
        if not terms:
            return order.tolist()
        positions = self._positions(terms, None)
        return [order[i] for i in positions]

    def _positions(self, terms: tuple[str, ...], within: list[int] | None) -> list[int]:
        keys = self._keys
        if within is None:
            first, rest = terms[0], terms[1:]
            hits = [i for i, k in enumerate(keys) if first in k]
        else:
            hits, rest = within, terms
        for t in rest:
            hits = [i for i in hits if t in keys[i]]
        return hits

    def _refilter(self, narrower: bool = False) -> None:
        terms = self._terms
        order = self._order
        if not terms:
            self._hits = None
            if self.streaming:
                cutoff = self._cutoff().timestamp()
                self.ids = [u for u, t in zip(order, self._last, strict=True) if t >= cutoff]
            else:
                self.ids = order.tolist()
            return
        within = None
        hits_before = self._hits
        if (
            narrower
            and hits_before is not None
            and self._hits_version == self._version
            and len(hits_before) * 2 < len(self._keys)  # else a fresh pass is cheaper
        ):
            within = hits_before
        hits = self._positions(terms, within)
        self._hits, self._hits_version = hits, self._version
        self.ids = [order[i] for i in hits]

    def _changed_order(self) -> None:
        self._version += 1
        self._order_b = self._chats_b = None

    def _cutoff(self) -> datetime:
        return datetime.now(UTC) - timedelta(days=self.active_days)

    def _matches_key(self, key: str, last_at: float) -> bool:
        if not self._terms:
            return not self.streaming or last_at >= self._cutoff().timestamp()
        return all(t in key for t in self._terms)

    def matches(self, row: UserRow) -> bool:
        """Would this row be in the current view?"""
        return self._matches_key(search_key(row), _last_at(row))

    # -- live changes ------------------------------------------------------------------

    def update(self, row: UserRow) -> int | None:
        """A row changed in place (status, unread…): its position in the view, or None."""
        pos = self._pos(row.id)
        if pos < 0:
            return None
        old = self._rows.get(row.id)
        self._mark_changed(row.id)
        self._put(row)
        if old is None or (old.full_name, old.login, old.email, old.company) != (
            row.full_name,
            row.login,
            row.email,
            row.company,
        ):
            self._keys[pos] = search_key(row)
        try:
            return self.ids.index(row.id)
        except ValueError:
            return None

    def touch(self, row: UserRow) -> Placement:
        """A new message: store `row` and lift it to the top of the order and of the view."""
        self._mark_changed(row.id)
        self._put(row)
        return self._lift(row.id, search_key(row), _last_at(row), row.chat_id)

    def touch_id(self, user_id: int, last_at: float) -> Placement:
        """A new message of a user whose row is not here: lift it (the row is fetched later)."""
        chat_id = self.chat_id(user_id)
        if chat_id is None:
            return Placement(None, None)
        self._mark_changed(user_id)
        return self._lift(user_id, None, last_at, chat_id)

    def _lift(self, uid: int, key: str | None, last_at: float, chat_id: int) -> Placement:
        pos = self._pos(uid)
        if pos >= 0:
            del self._order[pos]
            old_key = self._keys.pop(pos)
            del self._last[pos]
            del self._chats[pos]
            if key is None:
                key = old_key
        if key is None:
            key = ""
        self._order.insert(0, uid)
        self._keys.insert(0, key)
        self._last.insert(0, last_at)
        self._chats.insert(0, chat_id)
        self._changed_order()
        try:
            old: int | None = self.ids.index(uid)
        except ValueError:
            old = None
        if old is not None:
            del self.ids[old]
            self.ids.insert(0, uid)
            return Placement(old, 0)
        if self._matches_key(key, last_at):
            self.ids.insert(0, uid)
            return Placement(None, 0)
        return Placement(None, None)
