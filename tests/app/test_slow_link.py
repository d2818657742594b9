"""A file goes and comes over a link slower than the API's time limit: the limit for a
file's transfer is silence, not length (the API's 15 s in all cut every file over ≈ 10 MB
on a 5 Mbit/s office line, and then aiohttp's read timer, which runs from the request's
start, cut every upload longer than its minute of silence; here the same with a 1 s API
limit, 1 s of silence, a slowest link of 100 kB/s and a 200 kB/s relay) — and a transfer
that stalls is said."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.chat.files import ChatFiles
from app.core.domain import FileRef
from app.net.api import ApiClient, Unreachable
from tests.app.workplaces import last_user

pytestmark = [pytest.mark.core, pytest.mark.chat]

RATE = 200_000  # bytes a second each way


class _Relay:
    """Loopback TCP to the server, `RATE` bytes a second each way."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.stalled = asyncio.Event()  # set: nothing more passes
        self.url = ""

    async def _pipe(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            while data := await r.read(16384):
                if self.stalled.is_set():
                    await asyncio.Event().wait()  # held (until the connection goes)
                w.write(data)
                await w.drain()
                await asyncio.sleep(len(data) / RATE)
        except OSError:
            pass
        finally:
            w.close()

    async def _connected(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        tr, tw = await asyncio.open_connection("127.0.0.1", self.port)
        await asyncio.gather(self._pipe(r, tw), self._pipe(tr, w))


@pytest.fixture
async def relay(live: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[_Relay]:
    from app.chat import files

    monkeypatch.setattr(files, "SILENCE_S", 1.0)
    monkeypatch.setattr(files, "SLOWEST_BPS", 100_000)  # the 600 kB below: 7 s at most
    monkeypatch.setattr(files, "TRANSFER", aiohttp.ClientTimeout(sock_connect=5, sock_read=1))
    relay = _Relay(live.port)
    server = await asyncio.start_server(relay._connected, "127.0.0.1", 0)
    relay.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield relay
    finally:
        server.close()


class _Intents:
    def register(self, *_args: Any) -> None:
        pass


class _Session:
    def __init__(self, api: ApiClient) -> None:
        self.api = api
        self.intents = _Intents()


async def test_a_file_longer_than_the_time_limit_goes_and_comes(
    signed_in: Any, relay: _Relay, tmp_path: Path
) -> None:
    wp, _rec = signed_in
    _user_id, row = await last_user(wp)
    api = ApiClient(relay.url, wp.api.token, timeout=1.0)  # what any one request may take
    try:
        files = ChatFiles(_Session(api))  # type: ignore[arg-type]
        path = tmp_path / "scan.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 2400)  # ≈ 3 s at RATE
        stored = await files.upload(row.chat_id, path, None)
        assert isinstance(stored, FileRef) and stored.size == path.stat().st_size
        saved = await files.save_file(stored, tmp_path / "back.pdf")
        assert saved.read_bytes() == path.read_bytes()
    finally:
        await api.close()


async def test_an_upload_that_stalls_is_said(signed_in: Any, relay: _Relay, tmp_path: Path) -> None:
    wp, _rec = signed_in
    _user_id, row = await last_user(wp)
    api = ApiClient(relay.url, wp.api.token, timeout=1.0)
    try:
        files = ChatFiles(_Session(api))  # type: ignore[arg-type]
        path = tmp_path / "scan.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 2400)

        def half_way(done: int, total: int) -> None:
            if done > total // 2:
                relay.stalled.set()  # the link goes quiet, nothing closes

        with pytest.raises(Unreachable):
            await asyncio.wait_for(files.upload(row.chat_id, path, half_way), 30)
    finally:
        await api.close()
