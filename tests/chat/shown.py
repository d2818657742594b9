"""The real window signed in as the demo specialist against the real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.core.domain import ConnectionState
from tests.window.conftest import Api, run_async, window_on
from tests.window.test_window import Shown

LINE = "Техподдержка"


@pytest.fixture
def shown(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Shown]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Shown(qtbot, window, wp, Api(live_server.url).login("demo"))


__all__ = ["LINE", "Shown", "shown"]
