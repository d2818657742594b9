"""A line's users as compact columns aligned with the display order, and the search over them.

Pure: no Qt, no I/O, no full rows. The columns are the user ids (`array('i')`), the chat ids
(`array('i')`), the last message times (`array('d')`, 0 = none), one pre-lowercased search
key per user (full name, login, e-mail, company and INNs — the server's `search` text of
`GET /lines/{id}/directory`) and the marks the list's filter asks (`Marks`: flag bits,
company id, birthday; app/clients/userfilter.py). Looking an id up is a `bytes.find` over
the id column (no 100 000-entry dicts); a query is one pass of `in` over the keys, a filter
one pass over the marks. `UserIndex`
(app/clients/userindex.py) adds the view, the lazily kept rows and the revisions on top.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from app.core.domain import UserRow

__all__ = ["Marks", "UserColumns", "common", "fold", "last_at_of", "search_key", "sort_key"]


class Marks(NamedTuple):
    """What the list's filter asks of one user (app/clients/userfilter.py)."""

    flags: int = 0  # contract.clients.DirectoryFlag bits
    company_id: int = 0  # 0: none
    birthday: int = 0  # month × 100 + day; 0: not known


NO_MARKS = Marks()

_SEP = "\n"


def fold(text: str) -> str:
    """Lower-cased, ё as е: what keys and queries are compared as (the server folds its search
    text alike, server/core/derived.py)."""
    return text.lower().replace("ё", "е")


def search_key(row: UserRow) -> str:
    """What a query matches, as the server builds it (server/core/derived.py search_text)."""
    parts = [row.full_name, row.login, row.email]
    if row.company is not None:
        parts.append(row.company.name)
        parts.extend(row.company.inns)
    return fold(_SEP.join(parts))


def sort_key(row: UserRow) -> tuple[int, float, str, int]:
    lm = row.last_message
    if lm is None:
        return (1, 0.0, row.full_name.casefold(), row.id)
    return (0, -lm.created_at.timestamp(), row.full_name.casefold(), row.id)


def last_at_of(row: UserRow) -> float:
    """Unix time of the row's last message (0.0: none)."""
    lm = row.last_message
    return 0.0 if lm is None else lm.created_at.timestamp()


_ONE = re.compile(b"\x01")


def _all(column: array[int], value: int) -> list[int]:
    """Every index of `value` in an array column (ascending), found in its bytes."""
    size = column.itemsize
    if not 0 <= value < 256**size:
        return []
    raw, needle = column.tobytes(), array(column.typecode, (value,)).tobytes()
    found, at = [], raw.find(needle)
    while at >= 0:
        if at % size == 0:
            found.append(at // size)
            at = raw.find(needle, at + size)
        else:
            at = raw.find(needle, at + 1)
    return found


def common(a: list[int], b: list[int]) -> list[int]:
    """The positions in both ascending lists (by bisection into the longer one)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) * 8 > len(large):
        keep = set(small)
        return [i for i in large if i in keep]
    found = []
    for i in small:
        at = bisect_left(large, i)
        if at < len(large) and large[at] == i:
            found.append(i)
    return found


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


class UserColumns:
    """Ids, search keys, last message times and chat ids, aligned with the display order.

    `version` changes whenever the order does (positions taken before are stale then)."""

    def __init__(self) -> None:
        self._order: array[int] = array("i")
        self._keys: list[str] = []
        self._last: array[float] = array("d")
        self._chats: array[int] = array("i")
        self._flags: array[int] = array("B")
        self._companies: array[int] = array("i")
        self._birthdays: array[int] = array("H")
        # the id columns as bytes, for memchr-fast lookups
        self._order_b: bytes | None = None
        self._chats_b: bytes | None = None
        self.version = 0

    def replace(
        self,
        ids: Sequence[int],
        keys: list[str],
        last_at: Sequence[float],
        chat_ids: Sequence[int],
        flags: Sequence[int] = (),
        companies: Sequence[int] = (),
        birthdays: Sequence[int] = (),
    ) -> None:
        """Replace every column (the lists must be of one length; the marks' may be empty:
        none known)."""
        order, last, chats = array("i", ids), array("d", last_at), array("i", chat_ids)
        n = len(order)
        if not n == len(keys) == len(last) == len(chats):
            raise ValueError("a directory's columns differ in length")
        marks = (array("B", flags), array("i", companies), array("H", birthdays))
        for column in marks:
            if not column:
                column.frombytes(bytes(n * column.itemsize))
            elif len(column) != n:
                raise ValueError("a directory's columns differ in length")
        self._order, self._keys, self._last, self._chats = order, keys, last, chats
        self._flags, self._companies, self._birthdays = marks
        self._changed_order()

    def __len__(self) -> int:
        return len(self._order)

    def pos(self, user_id: int) -> int:
        """Where the user is in the order, or -1."""
        if self._order_b is None:
            self._order_b = self._order.tobytes()
        return _find(self._order_b, user_id)

    def missing(self, user_ids: Iterable[int]) -> set[int]:
        """Those of `user_ids` that are not in the order: a few looked up one by one, a batch
        (a server search's 500) against one set of the column — not a scan each."""
        wanted = set(user_ids)
        if len(wanted) <= 8:
            return {i for i in wanted if self.pos(i) < 0}
        return wanted.difference(self._order)

    def ids(self) -> list[int]:
        """Every id, in display order."""
        return self._order.tolist()

    def id_at(self, pos: int) -> int:
        return self._order[pos]

    def entry(self, pos: int) -> tuple[float, str, int]:
        """(last message time, search key, chat id) at a position."""
        return self._last[pos], self._keys[pos], self._chats[pos]

    def last_at(self, pos: int) -> float:
        return self._last[pos]

    def marks(self, pos: int) -> Marks:
        return Marks(self._flags[pos], self._companies[pos], self._birthdays[pos])

    def set_marks(self, pos: int, marks: Marks) -> None:
        self._flags[pos], self._companies[pos], self._birthdays[pos] = marks

    def chat_id(self, pos: int) -> int:
        return self._chats[pos]

    def set_key(self, pos: int, key: str) -> None:
        self._keys[pos] = key

    def pos_of_chat(self, chat_id: int) -> int:
        """Where the user of a chat is in the order, or -1."""
        if self._chats_b is None:
            self._chats_b = self._chats.tobytes()
        return _find(self._chats_b, chat_id)

    def append(
        self, user_id: int, key: str, last_at: float, chat_id: int, marks: Marks = NO_MARKS
    ) -> None:
        self._order.append(user_id)
        self._keys.append(key)
        self._last.append(last_at)
        self._chats.append(chat_id)
        self._flags.append(marks.flags)
        self._companies.append(marks.company_id)
        self._birthdays.append(marks.birthday)
        self._changed_order()

    def lift(
        self,
        user_id: int,
        key: str | None,
        last_at: float,
        chat_id: int,
        marks: Marks | None = None,
    ) -> tuple[str, Marks]:
        """Move (or insert) the user to the top; `key` None keeps the old key (none: ""),
        `marks` None the old marks. Returns the key and marks it has now."""
        pos = self.pos(user_id)
        old_key, old_marks = "", NO_MARKS
        if pos >= 0:
            old_marks = self.marks(pos)
            del self._order[pos]
            old_key = self._keys.pop(pos)
            del self._last[pos]
            del self._chats[pos]
            del self._flags[pos]
            del self._companies[pos]
            del self._birthdays[pos]
        key = old_key if key is None else key
        marks = old_marks if marks is None else marks
        self._order.insert(0, user_id)
        self._keys.insert(0, key)
        self._last.insert(0, last_at)
        self._chats.insert(0, chat_id)
        self._flags.insert(0, marks.flags)
        self._companies.insert(0, marks.company_id)
        self._birthdays.insert(0, marks.birthday)
        self._changed_order()
        return key, marks

    def positions(self, terms: tuple[str, ...], within: list[int] | None = None) -> list[int]:
        """Positions whose key holds every term (`terms` not empty), searching only
        `within` (positions of an earlier, wider query at this `version`) when given."""
        keys = self._keys
        if within is None:
            first, rest = terms[0], terms[1:]
            hits = [i for i, k in enumerate(keys) if first in k]
        else:
            hits, rest = within, terms
        for t in rest:
            hits = [i for i in hits if t in keys[i]]
        return hits

    def marked(
        self,
        flags: int,
        company_id: int,
        birthdays: tuple[int, ...],
        within: list[int] | None,
        any_of: int = 0,
    ) -> list[int]:
        """Positions (ascending; only of `within` when given) having every bit of `flags` (and
        one of `any_of` when given), the company when `company_id`, and a birthday in
        `birthdays` when given.

        Flags and birthdays are found in the columns' bytes (C speed, then a step per match:
        few users have them); the company, which may be everyone's, in one pass. What is found
        is kept to `within` by bisection when it is the smaller side."""
        hits: list[int] | None = None
        if flags or any_of:
            hits = self.flagged(flags, any_of)
        if birthdays:
            days = sorted({p for d in birthdays for p in _all(self._birthdays, d)})
            hits = days if hits is None else common(hits, days)
        if company_id:
            co = self._companies
            if hits is None:
                hits = [i for i, c in enumerate(co) if c == company_id]
            else:
                hits = [i for i in hits if co[i] == company_id]
        if hits is None:
            return list(within) if within is not None else list(range(len(self._order)))
        return hits if within is None else common(hits, within)

    def flagged(self, flags: int, any_of: int = 0) -> list[int]:
        """Positions (ascending) having every bit of `flags` and, when given, one of `any_of`:
        the flag column's bytes translated to 0/1 and the ones found (C speed)."""
        table = bytes(
            1 if v & flags == flags and (not any_of or v & any_of) else 0 for v in range(256)
        )
        mask = self._flags.tobytes().translate(table)
        return [m.start() for m in _ONE.finditer(mask)]

    def active_positions(self, cutoff: float, also: list[int]) -> list[int]:
        """Positions whose last message is at or after `cutoff`, and positions `also`,
        ascending."""
        hits = [i for i, t in enumerate(self._last) if t >= cutoff]
        if also:
            hits = sorted(set(hits).union(also))
        return hits

    def ids_at(self, positions: list[int]) -> list[int]:
        """The ids at ascending, distinct `positions` (all of them: the whole order, at once)."""
        order = self._order
        if len(positions) == len(order):
            return order.tolist()
        return [order[i] for i in positions]

    def active_ids(self, cutoff: float, also: frozenset[int] = frozenset()) -> list[int]:
        """Ids whose last message is at or after `cutoff` (Unix time), and those in `also`,
        in display order."""
        if not also:
            return [u for u, t in zip(self._order, self._last, strict=True) if t >= cutoff]
        return [u for u, t in zip(self._order, self._last, strict=True) if t >= cutoff or u in also]

    def _changed_order(self) -> None:
        self.version += 1
        self._order_b = self._chats_b = None
