"""`--demo-traffic`: demo client users write in, so a demo specialist's window is alive."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, new_sqlite_server
from tests.server.api import Api, Contract

pytestmark = pytest.mark.server


@pytest.fixture
def lively_server(sqlite_template: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    process = new_sqlite_server(sqlite_template, tmp_path, "--demo-traffic", "4")
    process.start()
    try:
        yield process
    finally:
        process.stop()


async def test_client_messages_reach_the_demo_specialist(lively_server: ServerProcess) -> None:
    async with Api(lively_server.url, Contract.load()) as api:
        demo = await api.as_user("demo")
        async with demo.events() as ws:
            async with asyncio.timeout(20):
                while True:
                    frame = json.loads((await ws.receive()).data)
                    if frame.get("kind") == "message.created":
                        break
    assert frame["data"]["author"]["kind"] == "client"
    assert frame["data"]["text"].strip()
