"""LineLoader: a line's users into a fresh `UserIndex` — the cache's first rows, then the
server's (for a streaming line: the active users first, then the directory to search
everyone) — and the rows the view asks for, fetched in batches as it paints them.

Live changes that arrive while a line loads are remembered (`remember`) and applied again
to the new index when it is shown (the reply may have been read before them)."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from app.clients import lists_api
from app.clients.userfilter import UserFilter
from app.clients.userindex import UserIndex
from app.context import Context
from app.core.changes import UserChanged, UsersComplete
from app.core.domain import Line
from app.core.tasks import Tasks
from app.net.api import ApiError, Unreachable
from app.store.settings import Settings

__all__ = ["ROWS_BATCH", "USERS_PAGE", "LineLoader"]

log = logging.getLogger("linedesk.workplace.line")

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


DIRECTORY_RETRIES = (10.0, 60.0)  # seconds before the directory is asked again (unreachable)


class LineLoader:
    """Loads lines' users for `CurrentLine`: `current()` is the index shown now, `show(index)`
    shows another (and emits `UsersReset`)."""

    def __init__(
        self,
        session: Context,
        settings: Settings,
        tasks: Tasks,
        current: Callable[[], UserIndex],
        show: Callable[[UserIndex], None],
    ) -> None:
        self._session = session
        self._settings = settings
        self._tasks = tasks
        self._current = current
        self._show = show
        self._line_gen = 0
        # what runs for the line shown (its directory, my list, rows): cancelled when another
        # line is loaded — the left line's index (≈30 MB at 100 000 users) then goes at once
        self._for_line: set[asyncio.Task[Any]] = set()
        # live events while a line's users are on their way: applied again to the new index
        # (the reply may have been read before them); the handlers are idempotent
        self._replay: list[Callable[[], None]] | None = None
        self._replaying = False
        # what other parts load for a line once its users are shown (favourites)
        self.extras: list[Callable[[UserIndex], Coroutine[Any, Any, None]]] = []

    async def show_cached(self, ln: Line | None) -> None:
        """Show the line's first rows from the cache (not complete: search waits)."""
        s = self._session
        if ln is None:
            return
        rows = await s.cache.load_users(s.account, ln.id)
        if rows and s.api is None:
            index = self.fresh(ln.id, ln.streaming)
            index.load(rows)
            self._show(index)

    async def load(self, line_id: int, ln: Line | None) -> None:
        """Load line `line_id` (`ln`: its Line, if known) into a fresh index, showing it as
        soon as rows are here; a newer `load` supersedes this one."""
        replay: list[Callable[[], None]] = []
        self._replay = replay
        try:
            await self._load(line_id, ln, replay)
        finally:
            if self._replay is replay:
                self._replay = None

    def fresh(self, line_id: int, streaming: bool) -> UserIndex:
        """An empty index for the line, with the filter kept for it."""
        s = self._session
        index = UserIndex(
            line_id, streaming, self._settings.actuality_days, me=s.me.id if s.me else 0
        )
        index.filter = UserFilter.from_json(self._settings.user_filters.get(str(line_id)))
        return index

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run `coro` for the line shown now (cancelled when another line is loaded)."""
        task = self._tasks.spawn(coro, name)
        self._for_line.add(task)
        task.add_done_callback(self._for_line.discard)

    def remember(self, handler: Callable[..., None], *args: object) -> None:
        """A live change while the line loads: to be applied to the new index too (each
        handler of a live change calls this first; handlers are idempotent)."""
        if self._replay is not None and not self._replaying:
            self._replay.append(functools.partial(handler, *args))

    def _show_index(self, index: UserIndex, replay: list[Callable[[], None]]) -> None:
        self._show(index)
        self._replaying = True
        try:
            for apply in replay:
                apply()
        finally:
            self._replaying = False

    async def _load(self, line_id: int, ln: Line | None, replay: list[Callable[[], None]]) -> None:
        s = self._session
        assert s.api is not None
        self._line_gen += 1
        gen = self._line_gen
        for task in self._for_line:
            task.cancel()
        streaming = ln.streaming if ln else False
        days = self._settings.actuality_days
        index = self.fresh(line_id, streaming)
        index.on_miss = self._rows_wanted  # called with the index: no cycle through it
        shown = self._current()
        index.search(shown.query if shown.line_id == line_id else "")
        # the first screen of the last time (a few rows), never the whole line
        cached = await s.cache.load_users(s.account, line_id)
        if gen != self._line_gen:
            return
        if cached is not None:
            # the last time's first rows: never the whole line now (users may have joined it
            # since), so a search meanwhile asks the server too, and nothing waiting for the
            # whole list (`complete`) takes these for it
            index.complete = False
            index.load(cached)
            self._show_index(index, replay)
        try:
            if streaming:
                active = await s.api.all_users(line_id, active_days=days, page=USERS_PAGE)
                if gen != self._line_gen:
                    return
                index.complete = False
                index.load(active)
                self._show_index(index, replay)
                self._spawn(self._load_everyone(line_id, gen, index), "load-everyone")
                rows = active
            else:
                rows = await s.api.all_users(line_id, page=USERS_PAGE)
                if gen != self._line_gen:
                    return
                index.complete = True
                index.load(rows)
                self._show_index(index, replay)
            s.write(s.cache.save_users(s.account, line_id, rows), "cache-users")
            self._spawn(self._load_my_list(index, gen), "my-list")
            for extra in self.extras:
                self._spawn(extra(index), "line-extra")
        except Unreachable as e:
            s.stale = True
            if cached is None:
                self._show_index(index, replay)
            s.problem_from(e)

    async def _load_everyone(self, line_id: int, gen: int, index: UserIndex) -> None:
        """Streaming lines: after the active users are shown, take the directory for search."""
        assert self._session.api is not None
        since = index.revision
        for wait in (*DIRECTORY_RETRIES, None):
            try:
                directory = await self._session.api.directory(line_id)
                break
            except ApiError as e:
                log.info("the directory of line %s: %s", line_id, e)
                if wait is None or not e.transient or gen != self._line_gen:
                    return
                await asyncio.sleep(wait)  # (cancelled when another line is chosen)
        if gen != self._line_gen:
            return
        before = list(index.ids)
        index.load_directory(directory, since)
        del directory
        index.complete = True
        _trim_heap()  # the reply and its parse were ~100 MB for a moment: give it back
        if index.ids != before or index is not self._current():
            self._show(index)
        else:
            self._session.emit(UsersComplete(index.line_id))

    async def _load_my_list(self, index: UserIndex, gen: int) -> None:
        """My list on the line: its users are shown in a streaming line's list too (those not
        loaded yet — not active lately — are fetched first)."""
        api = self._session.api
        if api is None:
            return
        try:
            ids = await lists_api.my_list(api, index.line_id)
            missing = [i for i in ids if i not in index]
            if missing:
                index.add(await api.user_rows(index.line_id, missing[:500]))
        except ApiError as e:
            log.info("my list of line %s: %s", index.line_id, e)
            return
        if gen == self._line_gen:
            self.pin(index, ids)

    def pin(self, index: UserIndex, ids: list[int]) -> None:
        """`ids` are my list on `index`'s line now: shown again if the view changed."""
        if index.set_pinned(ids) and index is self._current():
            self._show(index)

    def _rows_wanted(self, index: UserIndex) -> None:
        """The view asked for rows that are not here: fetch them on the next loop turn."""
        s = self._session
        if not index.fetching and s.api is not None and not s.closed:
            index.fetching = True
            self._spawn(self._fetch_rows(index), "fetch-rows")

    async def _fetch_rows(self, index: UserIndex) -> None:
        s = self._session
        try:
            while s.api is not None:
                ids = index.take_wanted(ROWS_BATCH)
                if not ids:
                    return
                since = index.revision
                try:
                    rows = await s.api.user_rows(index.line_id, ids)
                except ApiError as e:
                    log.info("rows of line %s: %s", index.line_id, e)
                    index.fetched(ids, [])
                    return
                kept = index.fetched(ids, rows, since)
                if index is self._current():
                    for row in kept:
                        s.emit(UserChanged(row))
        finally:
            index.fetching = False
