"""What the in-process window benchmarks share (bench_client's (c)–(e), bench_filter,
bench_info): the real MainWindow + Workplace in a child process (offscreen Qt, qasync)
against the real server on a copy of the cached large seed (bench_server makes it).

A benchmark module's measurement, ``async def measure(server_url, data_dir)``, works in
:func:`signed_in_window`; the module ends with ``inproc.entry(main, measure)``, and its
``main`` calls :func:`against_large_seed`, which runs the module again as the child."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks import floors

if TYPE_CHECKING:
    from app.workplace import Workplace
    from ui.mainwindow.window import MainWindow

Measure = Callable[[str, Path], Coroutine[object, object, None]]
CHILD = "--inproc"


async def until(check: object, limit: float = 60.0) -> None:
    """Turns of the event loop until ``check()`` is true (RuntimeError after ``limit`` s)."""
    deadline = time.perf_counter() + limit
    while not check():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise RuntimeError("the window did not get there in time")
        await asyncio.sleep(0)


@contextlib.asynccontextmanager
async def signed_in_window(
    server_url: str, data_dir: Path
) -> AsyncIterator[tuple[MainWindow, Workplace]]:
    """The child's window: the real MainWindow (1400×900, shown) and its Workplace signed in
    as the demo specialist, the lines known. Shut down, hidden and deleted after."""
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from app.store.settings import Settings
    from app.workplace import Workplace
    from ui.mainwindow.window import MainWindow

    app = QApplication.instance()
    assert app is not None
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    wp = Workplace(data_dir=data_dir, settings=Settings.load(data_dir / "settings.json"))
    window.attach(wp)
    try:
        if not await wp.sign_in(server_url, "demo", "demo", False):
            raise RuntimeError("the demo specialist could not sign in")
        await until(lambda: wp.lines)
        yield window, wp
    finally:
        await window.shutdown()
        window.hide()
        shiboken6.delete(window)  # now, as ui.main does: not from the interpreter's last GC


def run_in_window_loop(measure: Measure, server_url: str, data_dir: str) -> None:
    """The child's side: one QApplication and its qasync loop running ``measure``."""
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(measure(server_url, Path(data_dir)))


def against_large_seed(module: str, what: str, timeout: float) -> None:
    """The parent's side: the server on a copy of the cached large seed, and ``python -m
    module --inproc URL DATA`` run against it (offscreen, no keyring), given ``timeout`` s;
    RuntimeError "``what`` failed" when the child fails."""
    from tests.benchmarks.server_processes import cached_sqlite_seed, server_on_copy

    with server_on_copy(cached_sqlite_seed()) as (server, tmp):
        url = server.wait_ready(60)
        data = tmp / "client"
        data.mkdir()
        env = floors.qt_env()
        env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp))
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        cmd = [sys.executable, "-m", module, CHILD, url, str(data)]
        result = subprocess.run(cmd, env=env, cwd=floors.project_root(), timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{what} failed ({result.returncode})")


def entry(main: Callable[[], None], measure: Measure) -> None:
    """A benchmark module run as a program: the child when called with ``--inproc URL
    DATA``, else ``main``."""
    if len(sys.argv) == 4 and sys.argv[1] == CHILD:
        run_in_window_loop(measure, sys.argv[2], sys.argv[3])
    else:
        main()
