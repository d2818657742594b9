"""Uploads no message carries, and the ".part" files of uploads a kill cut, are removed by
the running server (server/chats/unused.py), on SQLite and on PostgreSQL with two server
processes sweeping the one database: an upload whose message never came stayed for good
(its row and its data), a kill's ".part" until a later start."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

import aiohttp
import pytest

from server.core.blobs import STALE_S
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.server.test_chats import first_chat

pytestmark = [pytest.mark.server, pytest.mark.chat]

GRACE_S = 3.0  # an upload no message carries is kept this long (tests: seconds, not a day)


def listing(files: Path) -> set[Path]:
    return set(files.iterdir()) if files.exists() else set()


async def _upload(client: Api, files: Path, data: bytes) -> tuple[int, Path]:
    """A file uploaded to the client's first chat: its id and its blob."""
    before = listing(files)
    form = aiohttp.FormData()
    form.add_field("file", data, filename="scan.bin")
    reply = await client.call("POST", f"/chats/{await first_chat(client)}/files", data=form)
    assert reply.status == 201, reply.body
    (blob,) = listing(files) - before
    return int(reply.body["id"]), blob


async def _until(cond: object, within: float = 30.0) -> None:
    deadline = time.monotonic() + within  # an upper bound: the condition is the event
    while not cond():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not within the bound"
        await asyncio.sleep(0.05)


async def test_unused_uploads_and_stale_parts_are_swept_while_running(
    deployment: Deployment, contract: Contract
) -> None:
    count = 2 if deployment.backend == "postgres" else 1
    sweeping = ("--sweep-every", "0.2", "--unused-file-grace", str(GRACE_S))
    servers = [deployment.start(*sweeping) for _ in range(count)]
    files = servers[0].files_dir
    async with Api(servers[0].url, contract) as anonymous:
        client = await anonymous.as_user("a.troitskiy")
        chat_id = await first_chat(client)
        used, used_blob = await _upload(client, files, b"kept: a message carries it")
        sent = await client.call(
            "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"file_id": used}
        )
        assert sent.status == 201, sent.body
        unused, unused_blob = await _upload(client, files, b"the client died before its PUT")
        stale, fresh = files / ("a" * 32 + ".part"), files / ("b" * 32 + ".part")
        stale.write_bytes(b"cut by a kill")
        fresh.write_bytes(b"another process's live upload")
        old = time.time() - STALE_S - 60
        os.utime(stale, (old, old))

        await _until(lambda: not unused_blob.exists() and not stale.exists())
        assert used_blob.exists() and fresh.exists()
        for server in servers:  # the row is gone too, for every process
            other = client.at(server.url)
            assert (await other.call("GET", f"/files/{unused}")).status == 404
            assert (await other.call("GET", f"/files/{used}")).status == 200
        late = await client.call(
            "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"file_id": unused}
        )
        assert late.status == 404 and late.body["errors"][0]["field"] == "file_id"
        await asyncio.sleep(GRACE_S / 2)  # more turns: the carried file stays
        assert used_blob.exists()
        assert (await client.call("GET", f"/files/{used}")).status == 200
    for server in servers:
        assert server.process is not None and server.process.poll() is None
