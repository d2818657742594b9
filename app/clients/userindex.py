"""The users of the current line: display order, a prepared search index, rows kept lazily.

A line of 100 000 users is held compactly, in arrays aligned with the display
order (`UserColumns`, app/clients/usercolumns.py: ids, chat ids, last message
times, one pre-lowercased search key per user).
Full rows (`UserRow`) are kept only for what was shown, in a bounded LRU: a
miss (`row(id)` raising KeyError) is remembered and reported through
`on_miss`, and the Workplace fetches the wanted rows in one request.

Order: users with messages by last message time, newest first; then the rest
alphabetically (the server's order, kept as it arrives). `ids` is the current
view (the query's matches, or in streaming mode with no query the active
users), the users waiting for my answer floated above the others, longest wait
first (app/clients/afloat.py) — live: a message, an answer, a ticket taken or
queued moves the row (`Placement`).

Search: a keystroke is one pass of `in` over the key list (a few milliseconds
for 100 000 users); a query that extends the previous one filters only the
previous hits.

Filter (`set_filter`, app/clients/userfilter.py): one pass over the marks' columns,
narrowing the query's hits or a streaming line's active users (with my list and my
favourites). A row that stops matching while shown (read, answered) stays until the filter
or the query changes — the list does not jump under the specialist's hand; a user who
starts matching with a new message comes in at the top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.clients.afloat import ALL, back_place, floated, wait_place
from app.clients.keptrows import KeptRows
from app.clients.usercolumns import Marks, UserColumns, fold, last_at_of, search_key, sort_key
from app.clients.userfilter import (
    Only,
    UserFilter,
    birthday_of,
    filtered,
    flags_of,
    passes,
    waits_for_me,
)
from app.core.domain import UserRow
from app.core.parse import Directory

__all__ = ["ROWS_KEPT", "Placement", "UserIndex", "search_key", "sort_key"]

ROWS_KEPT = 2000  # full rows kept (what was shown recently)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a touched row is in the current view now.

    `old_pos` None and `new_pos` set: it was inserted; both set: it moved
    (or stayed, when equal); `new_pos` None: it is not shown.
    """

    old_pos: int | None
    new_pos: int | None


class UserIndex(KeptRows):
    def __init__(
        self,
        line_id: int = 0,
        streaming: bool = False,
        active_days: int = 60,
        rows_kept: int = ROWS_KEPT,
        me: int = 0,
    ) -> None:
        self.line_id = line_id
        self.me = me  # the specialist (whose open tickets are "mine")
        self.streaming = streaming
        self.active_days = active_days
        self.complete = True  # False while a streaming line's full list is still loading
        super().__init__(rows_kept)
        self._cols = UserColumns()  # aligned with the display order
        # my list on the line (kept on the server): a streaming line shows these too
        self.pinned: frozenset[int] = frozenset()
        # my favourites on the line (kept on the server): shown by a streaming line too
        self.favourites: frozenset[int] = frozenset()
        self.filter = UserFilter()
        self.query = ""
        self._terms: tuple[str, ...] = ()
        self.ids: list[int] = []
        # the last message times of the users floating at the top of `ids` (waiting for my
        # answer), ascending: `ids[: len(self._waits)]` are they
        self._waits: list[float] = []
        # the last query's hits as positions in the order, while the order is unchanged
        self._hits: list[int] | None = None
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
        marks = [self.marks_of(r) for r in uniq]
        self._cols.replace(
            [r.id for r in uniq],
            [search_key(r) for r in uniq],
            [last_at_of(r) for r in uniq],
            [r.chat_id for r in uniq],
            [m.flags for m in marks],
            [m.company_id for m in marks],
            [m.birthday for m in marks],
        )
        for r in uniq:
            self._put(r)
        self._refilter()

    def load_directory(self, d: Directory, since: int | None = None) -> None:
        """Replace the whole list with a line's directory, asked for at revision `since`;
        rows already kept stay, and users lifted here since then (a message came while the
        directory was on its way) keep their newer place."""
        newer: dict[int, tuple[float, str, int, Marks]] = {}
        if since is not None:
            for uid, revision in self._changed.items():
                pos = self._cols.pos(uid) if revision > since else -1
                if pos >= 0:
                    newer[uid] = (*self._cols.entry(pos), self._cols.marks(pos))
        self._cols.replace(
            d.ids, d.keys, d.last_at, d.chat_ids, d.flags, d.company_ids, d.birthdays
        )
        for uid, (at, key, chat_id, marks) in sorted(newer.items(), key=lambda item: item[1][0]):
            pos = self._cols.pos(uid)
            if pos < 0 or self._cols.last_at(pos) < at:
                self._lift(uid, key, at, chat_id, marks)
            else:
                self._cols.set_marks(pos, marks)
        self._refilter()

    def __len__(self) -> int:
        return len(self._cols)

    def __contains__(self, user_id: object) -> bool:
        return isinstance(user_id, int) and self._cols.pos(user_id) >= 0

    @property
    def order(self) -> list[int]:
        return self._cols.ids()

    # -- rows (lazily) -------------------------------------------------------------------

    def _holds(self, user_id: int) -> bool:
        return self._cols.pos(user_id) >= 0

    def rows(self) -> list[UserRow]:
        """The full rows that are here, in display order."""
        rows = self._rows
        return [rows[i] for i in self._cols.ids() if i in rows]

    def chat_id(self, user_id: int) -> int | None:
        pos = self._cols.pos(user_id)
        return None if pos < 0 else self._cols.chat_id(pos)

    def marks_of(self, row: UserRow) -> Marks:
        """What the filter asks of `row` (the company: 0 for none)."""
        company = row.company.id if row.company is not None else 0
        return Marks(flags_of(row, self.me), company, birthday_of(row))

    def marks(self, user_id: int) -> Marks | None:
        pos = self._cols.pos(user_id)
        return None if pos < 0 else self._cols.marks(pos)

    def last_at(self, user_id: int) -> float:
        """Unix time of the user's last message (0.0: none or unknown)."""
        pos = self._cols.pos(user_id)
        return 0.0 if pos < 0 else self._cols.last_at(pos)

    def user_by_chat(self, chat_id: int) -> int | None:
        pos = self._cols.pos_of_chat(chat_id)
        return None if pos < 0 else self._cols.id_at(pos)

    def find_by_chat(self, chat_id: int) -> UserRow | None:
        uid = self.user_by_chat(chat_id)
        return None if uid is None else self._rows.get(uid)

    def add(self, rows: Iterable[UserRow]) -> None:
        """Users not in the list yet (a server search, a newcomer): appended to the order."""
        rows = list(rows)
        new = self._cols.missing(r.id for r in rows)
        for r in rows:
            if r.id not in new:
                continue
            new.discard(r.id)  # once, even where the batch repeats it
            self._cols.append(r.id, search_key(r), last_at_of(r), r.chat_id, self.marks_of(r))
            self._put(r)

    # -- search ---------------------------------------------------------------------

    def search(self, query: str) -> list[int]:
        """Set the query; returns (and keeps as `ids`) the matching ids in display order."""
        previous = self.query
        self.query = query
        self._terms = tuple(fold(query).split())
        narrower = bool(previous.strip()) and query.startswith(previous)
        self._refilter(narrower)
        return self.ids

    def matching(self, query: str) -> list[int]:
        """The ids matching `query` in display order (the view is left as it is)."""
        terms = tuple(fold(query).split())
        if not terms:
            return self._cols.ids()
        return self._cols.ids_at(self._cols.positions(terms))

    def _refilter(self, narrower: bool = False, same_query: bool = False) -> None:
        """The view again: `narrower`, the query extends the last one; `same_query`, only the
        filter changed (the query's hits are kept while the order is the same)."""
        terms = self._terms
        cols = self._cols
        positions: list[int] | None = None  # the view's positions; None: unknown
        if not terms:
            self._hits = None
            kept = self.pinned | self.favourites
            if self.filter:
                within = None
                if self.streaming:
                    also = [p for p in map(cols.pos, kept) if p >= 0]
                    within = cols.active_positions(self._cutoff().timestamp(), also)
                positions = filtered(cols, self.filter, self.favourites, within)
                ids = cols.ids_at(positions)
            elif self.streaming:
                ids = cols.active_ids(self._cutoff().timestamp(), kept)
            else:
                ids = cols.ids()
                positions = ALL
            self._float(ids, positions)
            return
        within = None
        hits_before = self._hits
        if hits_before is not None and self._hits_version != cols.version:
            hits_before = None  # positions of an older order
        if same_query and hits_before is not None:
            hits = hits_before
        else:
            if narrower and hits_before is not None and len(hits_before) * 2 < len(cols):
                within = hits_before  # (else a fresh pass is cheaper)
            hits = cols.positions(terms, within)
            self._hits, self._hits_version = hits, cols.version
        positions = filtered(cols, self.filter, self.favourites, hits) if self.filter else hits
        self._float(cols.ids_at(positions), positions)

    def _float(self, ids: list[int], positions: list[int] | None) -> None:
        self.ids, self._waits = floated(self._cols, ids, positions)

    def set_filter(self, f: UserFilter) -> bool:
        """A new filter; True when the view changed (then `ids` is new)."""
        if f == self.filter:
            return False
        self.filter = f
        before = self.ids
        self._refilter(same_query=True)
        return self.ids != before

    def _cutoff(self) -> datetime:
        return datetime.now(UTC) - timedelta(days=self.active_days)

    def _matches_key(self, key: str, last_at: float, user_id: int, marks: Marks) -> bool:
        if not passes(self.filter, self.favourites, user_id, marks):
            return False
        if not self._terms:
            return (
                not self.streaming
                or last_at >= self._cutoff().timestamp()
                or user_id in self.pinned
                or user_id in self.favourites
            )
        return all(t in key for t in self._terms)

    def matches(self, row: UserRow) -> bool:
        """Would this row be in the current view?"""
        return self._matches_key(search_key(row), last_at_of(row), row.id, self.marks_of(row))

    @property
    def afloat(self) -> int:
        """How many users at the top of `ids` wait for my answer."""
        return len(self._waits)

    @property
    def terms(self) -> tuple[str, ...]:
        """The query's words as compared (lower-cased, ё as е): what the list highlights."""
        return self._terms

    @property
    def hidden(self) -> int:
        """Users of a streaming line the list leaves out (not active lately, not on my list)
        while there is no query; 0 otherwise or while the whole list is still loading."""
        if not self.streaming or self._terms or self.filter or not self.complete:
            return 0
        return len(self._cols) - len(self.ids)

    def set_active_days(self, days: int) -> bool:
        """The relevance window changed; True when the view changed (then `ids` is new)."""
        if days == self.active_days:
            return False
        self.active_days = days
        if not self.streaming or self._terms:
            return False
        before = self.ids
        self._refilter()
        return self.ids != before

    def set_pinned(self, ids: Iterable[int]) -> bool:
        """My list on the line; True when the view changed (then `ids` is the new view)."""
        pinned = frozenset(ids)
        if pinned == self.pinned:
            return False
        self.pinned = pinned
        if not self.streaming or self._terms:
            return False
        before = self.ids
        self._refilter()
        return self.ids != before

    def set_favourites(self, ids: Iterable[int]) -> bool:
        """My favourites on the line; True when the view changed (then `ids` is new)."""
        favourites = frozenset(ids)
        if favourites == self.favourites:
            return False
        self.favourites = favourites
        if not (self.streaming and not self._terms) and Only.FAVOURITES not in self.filter.only:
            return False
        before = self.ids
        self._refilter()
        return self.ids != before

    # -- live changes ------------------------------------------------------------------

    def update(self, row: UserRow) -> Placement | None:
        """A row changed in place (status, unread, its ticket…): where it is in the view (it
        moves when it starts or stops waiting for my answer), or None: not shown."""
        pos = self._cols.pos(row.id)
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
            self._cols.set_key(pos, search_key(row))
        marks = self.marks_of(row)
        self._cols.set_marks(pos, marks)
        return self._refloat(row.id, pos, marks.flags)

    def touch(self, row: UserRow) -> Placement:
        """A new message: store `row` and lift it to the top of the order and of the view."""
        self._mark_changed(row.id)
        self._put(row)
        return self._lift(row.id, search_key(row), last_at_of(row), row.chat_id, self.marks_of(row))

    def set_flags(self, user_id: int, set_flags: int = 0, clear_flags: int = 0) -> Placement | None:
        """A change to a user whose row is not held (read elsewhere, a ticket, presence): the
        filter's marks follow it (the view stays as it is until the filter changes), the row
        moves when it starts or stops waiting for my answer; None: not shown."""
        pos = self._cols.pos(user_id)
        if pos < 0:
            return None
        old = self._cols.marks(pos)
        flags = (old.flags | set_flags) & ~clear_flags
        self._cols.set_marks(pos, old._replace(flags=flags))
        return self._refloat(user_id, pos, flags)

    def _refloat(self, uid: int, pos: int, flags: int) -> Placement | None:
        """The user at order position `pos`, now with `flags`: floated up or put back in its
        place when it started or stopped waiting for my answer."""
        ids, waits = self.ids, self._waits
        try:
            old = ids.index(uid)
        except ValueError:
            return None
        was, now = old < len(waits), waits_for_me(flags)
        if was == now:
            return Placement(old, old)
        del ids[old]
        if was:
            del waits[old]
            new = back_place(ids, len(waits), self._cols.pos, pos)
        else:
            at = self._cols.last_at(pos)
            new = wait_place(waits, at)
            waits.insert(new, at)
        ids.insert(new, uid)
        return Placement(old, new)

    def touch_id(
        self, user_id: int, last_at: float, set_flags: int = 0, clear_flags: int = 0
    ) -> Placement:
        """A new message of a user whose row is not here: lift it (the row is fetched later),
        its flags changed as the message tells (a client's: waiting, unread)."""
        pos = self._cols.pos(user_id)
        if pos < 0:
            return Placement(None, None)
        self._mark_changed(user_id)
        old = self._cols.marks(pos)
        marks = old._replace(flags=(old.flags | set_flags) & ~clear_flags)
        return self._lift(user_id, None, last_at, self._cols.chat_id(pos), marks)

    def _lift(
        self, uid: int, key: str | None, last_at: float, chat_id: int, marks: Marks | None = None
    ) -> Placement:
        key, marks = self._cols.lift(uid, key, last_at, chat_id, marks)
        ids, waits = self.ids, self._waits
        try:
            old: int | None = ids.index(uid)
        except ValueError:
            old = None
        if old is not None:
            del ids[old]
            if old < len(waits):
                del waits[old]
        elif not self._matches_key(key, last_at, uid, marks):
            return Placement(None, None)
        if waits_for_me(marks.flags):  # after those waiting longer
            new = wait_place(waits, last_at)
            waits.insert(new, last_at)
        else:  # the top of the others
            new = len(waits)
        ids.insert(new, uid)
        return Placement(old, new)
