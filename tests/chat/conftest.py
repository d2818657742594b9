"""The chat's tests: the window's fixtures (one qasync loop, the real server, workplaces)."""

from __future__ import annotations

from tests.window.conftest import aloop, live_server, make_workplace, qloop

__all__ = ["aloop", "live_server", "make_workplace", "qloop"]
