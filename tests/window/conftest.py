"""The window's tests: one QApplication (pytest-qt), one qasync loop for the session.

The loop is never run with run_forever (it would run `app.exec()` and stopping it quits
the application: every later waitSignal would return at once — STYLE.md 15). It is made
with qasync's `already_running=True`, its public way to join a QApplication that someone
else drives: here pytest-qt drives Qt's event loop (qtbot.waitUntil / waitSignal), the
loop's callbacks run from it, and no coroutine ever spins a nested event loop. From then
on it is the thread's running loop, so tests/conftest.py runs the window's tests after
every other (pytest-asyncio runs its own loops for the core's and server's tests).
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import qasync

WINDOW_MARKS = [
    pytest.mark.window,
    pytest.mark.qt_log_level_fail("WARNING"),
    # the offscreen platform plugin's own limitation, not a problem of ours
    pytest.mark.qt_log_ignore("This plugin does not support"),
]


@pytest.fixture(scope="session")
def qloop(qapp: Any) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    yield loop
    loop.stop()  # the session is over: nothing waits for a signal any more
    loop.close()


@pytest.fixture
def aloop(qloop: qasync.QEventLoop) -> qasync.QEventLoop:
    """The qasync loop, running (for the session) on Qt's event loop."""
    assert asyncio.get_running_loop() is qloop
    return qloop


SHUTDOWN_MS = 40_000
"""How long a test lets the window's shutdown take: each of its waits is bounded — the calls
6 s, the cache's writes in flight 5 s, the event stream's close answer 10 s (aiohttp's) — so
20 s was below what the design allows, and one `make test` run took longer (the cause of
that run's slow shutdown is not known yet)."""


def run_async(qtbot: Any, coro: Coroutine[Any, Any, Any], timeout: int = 15_000) -> Any:
    """Run `coro` on the qasync loop while Qt's event loop spins; return its result."""
    future = asyncio.ensure_future(coro)
    qtbot.waitUntil(future.done, timeout=timeout)
    return future.result()


@contextmanager
def window_on(qtbot: Any, wp: Any) -> Iterator[Any]:
    """The real MainWindow, shown, attached to `wp`; shut down, closed and deleted after.
    Not qtbot.addWidget: pytest-qt would close and delete the window before the shutdown."""
    from ui.mainwindow.window import MainWindow

    window = MainWindow()
    try:
        window.show()
        qtbot.waitExposed(window)
        window.attach(wp)
        yield window
        run_async(qtbot, window.shutdown(), timeout=SHUTDOWN_MS)
    finally:
        window.close()
        window.deleteLater()


class Api:
    """A tiny synchronous HTTP client for the test's side of the server."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.token = ""

    def call(self, method: str, path: str, body: object | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=10) as reply:
            raw = reply.read()
        return json.loads(raw) if raw else None

    def login(self, login: str, password: str = "demo") -> Api:
        self.token = self.call("POST", "/auth/login", {"login": login, "password": password})[
            "token"
        ]
        return self

    def post_message(self, chat_id: int, text: str) -> Any:
        return self.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text})


class _OwnServer:
    """The real server as a child process (used when tests/conftest.py has no `server`)."""

    def __init__(self, data_dir: Path) -> None:
        from app.demo.server import DemoServer

        self._demo = DemoServer(data_dir)
        self.url = ""

    async def start(self) -> None:
        self.url = await self._demo.start()

    async def stop(self) -> None:
        await self._demo.stop()


@contextmanager
def speaking(qapp: Any, language: str) -> Iterator[None]:
    """The interface in `language` ("en", "ru") while inside: its translators installed as
    the program installs them (the tests otherwise run on the source text), then taken out."""
    from PySide6.QtCore import QLocale

    from ui.common import i18n

    locale = QLocale()
    i18n.install(qapp, language)
    try:
        yield
    finally:
        i18n.uninstall(qapp)
        QLocale.setDefault(locale)


@pytest.fixture
def english(qapp: Any) -> Iterator[None]:
    with speaking(qapp, "en"):
        yield


@pytest.fixture
def russian(qapp: Any) -> Iterator[None]:
    with speaking(qapp, "ru"):
        yield


@pytest.fixture
def live_server(
    request: pytest.FixtureRequest, qtbot: Any, aloop: Any, tmp_path: Path
) -> Iterator[Any]:
    try:
        shared = request.getfixturevalue("server")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    own = _OwnServer(tmp_path / "server")
    run_async(qtbot, own.start(), timeout=60_000)
    yield own
    run_async(qtbot, own.stop(), timeout=20_000)


@pytest.fixture
def make_workplace(tmp_path: Path, qtbot: Any, aloop: Any) -> Iterator[Any]:
    """Workplaces with their own data dirs, settings and in-memory credentials; closed after."""
    from app.store.credentials import Credentials
    from app.store.settings import Settings
    from app.workplace import Workplace

    made: list[Any] = []

    def make(name: str = "wp") -> Any:
        d = tmp_path / name
        d.mkdir(exist_ok=True)
        wp = Workplace(
            d,
            settings=Settings(d / "settings.json"),
            credentials=Credentials(use_keyring=False),
            backoff_base=0.2,
            backoff_max=2.0,
        )
        wp.system_idle = lambda: None  # the test's desktop: only the window's keys count
        made.append(wp)
        return wp

    yield make
    for wp in made:
        run_async(qtbot, wp.close(), timeout=20_000)
