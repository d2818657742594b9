"""Fixtures of the remote tests: the user's screen (Xvfb + x11vnc) and the specialist's
screen (a second Xvfb) on which the launcher starts the real TigerVNC viewer."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from remote.launcher import Launcher
from tests.remote.hosts import Display, VncHost

PASSWORD = "s3cret!"
USER_SIZE = "640x480"
USER_COLOR = "#1e90ff"
SEEN_COLOR = "srgb(30,144,255)"

NEEDED = ("Xvfb", "x11vnc", "xtigervncviewer", "xdotool", "import", "display", "convert")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = [name for name in NEEDED if shutil.which(name) is None]
    if missing:  # scripts/system-deps.sh installs them; say so rather than fail obscurely
        for item in items:
            if "tests/remote" in str(item.path):
                item.add_marker(pytest.mark.skip(reason=f"not installed: {missing}"))


@pytest.fixture
def user_screen() -> Iterator[Display]:
    display = Display(f"{USER_SIZE}x24")
    try:
        painter = display.paint(USER_COLOR, USER_SIZE)
        try:
            yield display
        finally:
            painter.terminate()
            painter.wait()
    finally:
        display.stop()


@pytest.fixture
def specialist_screen() -> Iterator[Display]:
    display = Display("1024x768x24")
    yield display
    display.stop()


@pytest.fixture
def vnc_host(user_screen: Display) -> Iterator[Callable[..., VncHost]]:
    """Start x11vnc on the user's screen: `vnc_host(ask=True)`, `vnc_host(connect_to=port)`."""
    hosts: list[VncHost] = []

    def start(password: str = PASSWORD, **options: object) -> VncHost:
        host = VncHost(user_screen, password, **options)  # type: ignore[arg-type]
        hosts.append(host)
        return host

    yield start
    for host in hosts:
        host.stop()


@pytest.fixture
async def launcher(specialist_screen: Display) -> AsyncIterator[Launcher]:
    launcher = Launcher(env={**os.environ, "DISPLAY": specialist_screen.name}, answer_timeout=30)
    yield launcher
    await launcher.stop_all()
