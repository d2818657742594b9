"""The Clients section's tests: the real server (tests/conftest.py `server`) and the window's
fixtures (tests/window/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api, Contract
from tests.window.conftest import aloop, live_server, make_workplace, qloop

__all__ = ["aloop", "live_server", "make_workplace", "qloop"]


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def api(server: ServerProcess, contract: Contract) -> AsyncIterator[Api]:
    """An HTTP client of the real server that checks every answer against the contract."""
    async with Api(server.url, contract) as client:
        yield client
