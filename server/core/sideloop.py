"""An asyncio loop of its own in a daemon thread, for work whose latency must not depend on
how busy the main loop is (on PostgreSQL: the short write transactions, see
``Database.transact``)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class SideLoop:
    """Started at the first :meth:`submit`; :meth:`close` runs a last coroutine there and
    ends the thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def submit(self, work: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``work`` on the side loop; the future completes in that thread."""
        return asyncio.run_coroutine_threadsafe(work, self._started())

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``work`` on the side loop, awaited from the caller's loop (cancelling the caller
        cancels ``work``)."""
        return await asyncio.wrap_future(self.submit(work))

    def close(self, last: Coroutine[Any, Any, None] | None = None) -> None:
        """Run ``last`` there (if the loop ever started), then stop the loop and the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            if last is not None:
                last.close()
            return
        if last is not None:
            asyncio.run_coroutine_threadsafe(last, loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = None

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._starting:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(
                    target=self._serve, args=(loop, ready), name=self.name, daemon=True
                )
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    @staticmethod
    def _serve(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()
