"""Tasks: the owner of a part's asyncio tasks — the one place that spawns, forgets, reports
and cancels them.

- `spawn(coro, name)` keeps the task until it ends (asyncio holds tasks only weakly);
- a task that fails is reported once: logged, or handed to `on_error(task, exc)` (the window
  shows it); a cancelled one is not a failure;
- `await cancel_all()` cancels every task and waits until they have ended, including any a
  task spawned while it was being cancelled; `await join(timeout)` waits without cancelling.

No Qt here: the core's parts and the window (ui.mainwindow) use the same type.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
OnError = Callable[["asyncio.Task[Any]", BaseException], None]

_log = logging.getLogger("linedesk.tasks")


class Tasks:
    def __init__(self, *, on_error: OnError | None = None, log: logging.Logger | None = None):
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error
        self._log = log or _log

    def spawn(self, coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
        """Run `coro` as a task owned here (needs the running loop)."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        if self._on_error is not None:
            try:
                self._on_error(task, exc)
            except Exception:
                self._log.exception("reporting the failure of task %s", task.get_name())
        else:
            self._log.error("task %s failed", task.get_name(), exc_info=exc)

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[asyncio.Task[Any]]:
        return iter(list(self._tasks))

    def running(self, name: str) -> bool:
        """A task called `name` has not ended yet."""
        return any(t.get_name() == name and not t.done() for t in self._tasks)

    async def join(self) -> None:
        """Wait for the tasks running now to end; cancels nothing (bound it with
        `asyncio.timeout`, the tasks go on)."""
        me = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not me]
        if tasks:
            await asyncio.wait(tasks)

    async def cancel_all(self) -> None:
        """Cancel every task and wait until each has ended (failures are reported, not raised)."""
        me = asyncio.current_task()  # a task of ours cancelling its siblings goes on
        while tasks := [t for t in self._tasks if t is not me]:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._tasks.difference_update(tasks)
