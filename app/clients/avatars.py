"""Avatars: users' photos fetched from the server, kept on disk, handed to ui/ as bytes.

An `avatar_url` names one picture forever (the server changes the url's version when the
picture changes), so a fetched picture is cached by its url for good: on disk, in
`<data dir>/avatars/`, one file per url named by a hash of the server and the url, the
least recently used files removed past `max_files` / `max_bytes`.

Only what is asked for is fetched (the UI asks when it paints a row), one request per url
at a time, at most `concurrency` at once. A fetch every caller gave up on (its rows were
scrolled past) stops, so that the rows on screen do not wait behind it.

A failure (404, network, not a PNG/JPEG, too large) gives None, is logged once per url, and
is remembered for a while: the url is not asked again before `retry_after`
(`retry_unreachable` when the server could not be reached).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.tasks import Tasks
from app.net.api import IMAGE_MAX_BYTES, ApiClient, ApiError, NotFound, Unreachable

log = logging.getLogger("linedesk.avatars")

MAX_FILES = 2_000
MAX_BYTES = 50 * 1024 * 1024
CONCURRENCY = 4
RETRY_AFTER = 600.0  # s: a url that failed (404, malformed) is not asked again before this
RETRY_UNREACHABLE = 30.0  # s: the same after a network failure
FAILURES_KEPT = 4_096  # failed urls remembered (the expired ones go first)
_SUFFIX = ".img"


class DiskCache:
    """Files named by key under `directory`; least recently used removed past the bounds.

    Blocking (small files): call it from a worker thread. Thread-safe."""

    def __init__(self, directory: Path, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES):
        self.directory = directory
        self.max_files = max_files
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._index: dict[str, tuple[float, int]] | None = None  # name -> (used at, size)
        self._total = 0

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    def _load_index(self) -> dict[str, tuple[float, int]]:
        if self._index is None:
            index: dict[str, tuple[float, int]] = {}
            with contextlib.suppress(FileNotFoundError):
                for entry in os.scandir(self.directory):
                    if entry.name.endswith(_SUFFIX) and entry.is_file():
                        st = entry.stat()
                        index[entry.name] = (st.st_mtime, st.st_size)
            self._index = index
            self._total = sum(size for _, size in index.values())
        return self._index

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        now = time.time()
        with self._lock:
            index = self._load_index()
            if path.name in index:
                index[path.name] = (now, index[path.name][1])
        with contextlib.suppress(OSError):
            os.utime(path, (now, now))  # used: the eviction goes by this time
        return data

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        with self._lock:
            index = self._load_index()
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{path.name}.{threading.get_ident()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            except OSError as e:
                log.warning("avatar cache: %s not written: %s", path, e)
                with contextlib.suppress(OSError):
                    tmp.unlink()
                return
            old = index.get(path.name)
            if old is not None:
                self._total -= old[1]
            index[path.name] = (time.time(), len(data))
            self._total += len(data)
            self._evict(index)

    def _evict(self, index: dict[str, tuple[float, int]]) -> None:
        if len(index) <= self.max_files and self._total <= self.max_bytes:
            return
        for name, (_, size) in sorted(index.items(), key=lambda item: item[1][0]):
            if len(index) <= self.max_files and self._total <= self.max_bytes:
                return
            with contextlib.suppress(FileNotFoundError):
                (self.directory / name).unlink()
            del index[name]
            self._total -= size

    def stats(self) -> tuple[int, int]:
        """(files, bytes) held."""
        with self._lock:
            index = self._load_index()
            return len(index), self._total


@dataclass(slots=True)
class _Fetch:
    task: asyncio.Task[bytes | None]
    callers: int = 0


class Avatars:
    """`await get(url)` → the picture's bytes or None. Never raises (but CancelledError)."""

    def __init__(
        self,
        directory: Path,
        api: Callable[[], ApiClient | None],
        server_key: Callable[[], str],
        *,
        max_files: int = MAX_FILES,
        max_bytes: int = MAX_BYTES,
        concurrency: int = CONCURRENCY,
        retry_after: float = RETRY_AFTER,
        retry_unreachable: float = RETRY_UNREACHABLE,
    ) -> None:
        self.disk = DiskCache(directory, max_files, max_bytes)
        self._api = api
        self._server_key = server_key
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: dict[str, _Fetch] = {}
        self._tasks = Tasks(log=log)
        self._failed: dict[str, float] = {}  # key -> monotonic time it may be asked again
        self.retry_after = retry_after
        self.retry_unreachable = retry_unreachable
        self.fetches = 0  # requests made to the server (tests)

    def key(self, url: str) -> str:
        return hashlib.sha256(f"{self._server_key()}\n{url}".encode()).hexdigest()

    async def shown(self, url: str, signed_in: Callable[[], Awaitable[None]]) -> bytes | None:
        """`get` for the window: waits for `signed_in()` first (the cached state is shown
        before the sign-in); never raises but when its own caller is cancelled."""
        try:
            await signed_in()
            return await self.get(url)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            return None  # the shared fetch was stopped (signed out, closing)
        except Exception as e:
            log.warning("avatar %s: %s: %s", url, type(e).__name__, e)
            return None

    async def get(self, url: str) -> bytes | None:
        if not url:
            return None
        key = self.key(url)
        until = self._failed.get(key)
        if until is not None:
            if time.monotonic() < until:
                return None
            del self._failed[key]
        fetch = self._in_flight.get(key)
        if fetch is None:
            task = self._tasks.spawn(self._load(key, url), "avatar")
            fetch = self._in_flight[key] = _Fetch(task)
            task.add_done_callback(lambda _t: self._forget(key, fetch))
        fetch.callers += 1
        try:
            # one caller cancelled (its row went away) does not cancel the others' fetch ...
            return await asyncio.shield(fetch.task)
        finally:
            fetch.callers -= 1
            if fetch.callers == 0 and not fetch.task.done():
                self._forget(key, fetch)  # ... but the last one does
                fetch.task.cancel()

    def _forget(self, key: str, fetch: _Fetch) -> None:
        if self._in_flight.get(key) is fetch:
            del self._in_flight[key]

    async def _load(self, key: str, url: str) -> bytes | None:
        data = await asyncio.to_thread(self.disk.get, key)
        if data is not None:
            return data
        async with self._slots:
            api = self._api()
            if api is None:  # not signed in (yet): nothing remembered, asked again later
                return None
            self.fetches += 1
            try:
                data = await api.image(url, IMAGE_MAX_BYTES)
            except ApiError as e:
                self._fail(key, url, e)
                return None
            except Exception as e:  # never into the UI
                log.warning("avatar %s: %s: %s", url, type(e).__name__, e)
                self._remember_failure(key, self.retry_after)
                return None
        await asyncio.to_thread(self.disk.put, key, data)
        return data

    def _fail(self, key: str, url: str, e: ApiError) -> None:
        if isinstance(e, Unreachable) or e.transient:
            delay = self.retry_unreachable
            log.info("avatar %s: %s", url, e.detail or e.code)
        else:
            delay = self.retry_after
            level = logging.INFO if isinstance(e, NotFound) else logging.WARNING
            log.log(level, "avatar %s: %s", url, e.detail or e.code)
        self._remember_failure(key, delay)

    def _remember_failure(self, key: str, delay: float) -> None:
        now = time.monotonic()
        if len(self._failed) >= FAILURES_KEPT:
            self._failed = {k: t for k, t in self._failed.items() if t > now}
        self._failed[key] = now + delay

    def forget_failures(self) -> None:
        """A new session: ask again for what failed."""
        self._failed.clear()

    async def close(self) -> None:
        await self._tasks.cancel_all()
        self._in_flight.clear()
