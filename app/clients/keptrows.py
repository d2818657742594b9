"""The full rows of a list kept lazily: a bounded LRU of what was shown, the misses wanted
(the owner fetches them in one request) and the revisions that keep a row fetched before a
local change from overwriting it. The base of `UserIndex` (app/clients/userindex.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from app.core.domain import UserRow

__all__ = ["KeptRows"]


class KeptRows:
    def __init__(self, rows_kept: int) -> None:
        self.rows_kept = rows_kept
        # a row was asked for and is not here: called with this index (a callback holding the
        # index would make a cycle that keeps a 100 000-user index until a full gc)
        self.on_miss: Callable[[Any], None] | None = None
        self.fetching = False  # the owner is fetching the wanted rows
        self._rows: OrderedDict[int, UserRow] = OrderedDict()  # the LRU of full rows
        # each local change (update, touch) gets a revision, so that a row fetched before it
        # (a card) does not overwrite it: see `revision` and `put`
        self.revision = 0
        self._changed: dict[int, int] = {}
        self._wanted: dict[int, None] = {}  # misses not asked for yet (ordered)
        self._asked: set[int] = set()  # misses being fetched

    def _holds(self, user_id: int) -> bool:
        """Is the user on the list (a row of someone else is never kept)?"""
        raise NotImplementedError

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

    def _want(self, user_id: int) -> None:
        if user_id not in self._wanted and user_id not in self._asked:
            self._wanted[user_id] = None
            if self.on_miss is not None:
                self.on_miss(self)

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
        if not self._holds(row.id) or self._changed.get(row.id, 0) > since:
            return False
        new = row.id not in self._rows
        self._put(row)
        return new

    def changed_elsewhere(self, user_id: int) -> None:
        """The user's row changed on the server but is not held here: a fetch of it that was
        on its way is older (`fetched` asks again), and the next paint fetches the new one."""
        if self._holds(user_id):
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
