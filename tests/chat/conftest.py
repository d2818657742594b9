"""The chat's tests: the core's fixtures (the real server, a signed-in Workplace) and the
window's (one qasync loop, the real server, workplaces)."""

from __future__ import annotations

from tests.app.conftest import live, signed_in
from tests.window.conftest import aloop, live_server, make_workplace, qloop

__all__ = ["aloop", "live", "live_server", "make_workplace", "qloop", "signed_in"]
