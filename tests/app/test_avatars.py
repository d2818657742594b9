"""The core's avatars (app/clients/avatars.py): fetched through the ApiClient, cached on
disk by url, one request per url, at most four at once, failures remembered — against a tiny
local HTTP server that misbehaves on purpose, and against the real ticket server."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from app.clients.avatars import Avatars, DiskCache
from app.core import changes as ch
from app.net.api import ApiClient
from tests.app.workplaces import Recorder, make_workplace, until

pytestmark = pytest.mark.core

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg" * 100
TOKEN = "secret-token"


class FakeServer:
    """Pictures and misbehaviour on loopback; counts requests, can hold them at a gate."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.auth: list[str | None] = []
        self.gate: asyncio.Event | None = None
        self.running = 0
        self.most_running = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        self.auth.append(request.headers.get("Authorization"))
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if self.gate is not None:
                await self.gate.wait()
            kind = request.match_info["kind"]
            if kind == "png":
                return web.Response(body=PNG, content_type="image/png")
            if kind == "jpeg":
                return web.Response(body=JPEG, content_type="image/jpeg")
            if kind == "html":
                return web.Response(text="<html>no</html>", content_type="text/html")
            if kind == "big":
                return web.Response(body=PNG * 300, content_type="image/png")
            if kind == "drop":  # the server goes away mid-reply
                response = web.StreamResponse(
                    headers={"Content-Type": "image/png", "Content-Length": "10000"}
                )
                await response.prepare(request)
                await response.write(PNG[:100])
                assert request.transport is not None
                request.transport.close()
                return response
            if kind == "bigchunked":
                response = web.StreamResponse(headers={"Content-Type": "image/png"})
                response.enable_chunked_encoding()
                await response.prepare(request)
                for _ in range(40):
                    await response.write(b"x" * 8192)
                await response.write_eof()
                return response
            return web.json_response(
                {"title": "Not Found", "status": 404, "detail": "no picture"}, status=404
            )
        finally:
            self.running -= 1

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v1/users/{id}/{kind}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@pytest.fixture
async def fake() -> AsyncIterator[FakeServer]:
    server = FakeServer()
    await server.start()
    try:
        yield server
    finally:
        if server.gate is not None:
            server.gate.set()
        await server.stop()


@pytest.fixture
async def api(fake: FakeServer) -> AsyncIterator[ApiClient]:
    client = ApiClient(fake.url, TOKEN, timeout=5.0)
    try:
        yield client
    finally:
        await client.close()


def avatars_for(api: ApiClient | None, directory: Path, **kw: Any) -> Avatars:
    server = api.server_url if api is not None else ""
    return Avatars(directory, api=lambda: api, server_key=lambda: server, **kw)


def asking(
    avatars: Avatars, user_ids: Iterable[int], version: int = 1
) -> list[asyncio.Future[bytes | None]]:
    """Rows asking for these users' PNGs at once (as painting them does)."""
    return [
        asyncio.ensure_future(avatars.get(f"/api/v1/users/{i}/png?v={version}")) for i in user_ids
    ]


async def test_fetched_once_then_from_disk_across_restarts(
    fake: FakeServer, api: ApiClient, tmp_path: Path
) -> None:
    avatars = avatars_for(api, tmp_path / "avatars")
    assert await avatars.get("/api/v1/users/1/png?v=1") == PNG
    assert await avatars.get("/api/v1/users/2/jpeg?v=1") == JPEG
    assert await avatars.get("/api/v1/users/1/png?v=1") == PNG
    assert fake.requests == ["/api/v1/users/1/png?v=1", "/api/v1/users/2/jpeg?v=1"]
    assert fake.auth == [f"Bearer {TOKEN}"] * 2
    assert avatars.disk.stats() == (2, len(PNG) + len(JPEG))
    # the next start: from the disk, no request
    again = avatars_for(api, tmp_path / "avatars")
    assert await again.get("/api/v1/users/1/png?v=1") == PNG
    assert len(fake.requests) == 2
    # a new version is a new url: fetched
    assert await again.get("/api/v1/users/1/png?v=2") == PNG
    assert len(fake.requests) == 3
    # another server's same url is another picture
    other = Avatars(tmp_path / "avatars", api=lambda: api, server_key=lambda: "elsewhere")
    assert await other.get("/api/v1/users/1/png?v=1") == PNG
    assert len(fake.requests) == 4


async def test_one_request_per_url_and_at_most_four_at_once(
    fake: FakeServer, api: ApiClient, tmp_path: Path
) -> None:
    avatars = avatars_for(api, tmp_path / "avatars")
    fake.gate = asyncio.Event()
    same = asking(avatars, [7] * 10, version=3)
    others = asking(avatars, range(100, 112))
    await until(lambda: fake.running == 4, what="four requests at the server")
    await asyncio.sleep(0.2)
    assert fake.running == 4  # the others wait for a slot
    fake.gate.set()
    assert await asyncio.gather(*same) == [PNG] * 10
    assert await asyncio.gather(*others) == [PNG] * 12
    assert fake.most_running == 4
    assert fake.requests.count("/api/v1/users/7/png?v=3") == 1
    assert len(fake.requests) == 13


async def test_a_cancelled_caller_does_not_stop_the_others(
    fake: FakeServer, api: ApiClient, tmp_path: Path
) -> None:
    avatars = avatars_for(api, tmp_path / "avatars")
    fake.gate = asyncio.Event()
    first, second = asking(avatars, [8, 8])
    await until(lambda: fake.running == 1)
    first.cancel()
    fake.gate.set()
    assert await second == PNG
    assert first.cancelled()


async def test_a_fetch_nobody_waits_for_stops_and_the_rows_on_screen_go_first(
    fake: FakeServer, api: ApiClient, tmp_path: Path
) -> None:
    """Rows scrolled past give up their photos: those not yet asked never reach the server,
    the one at the server is dropped, and a row on screen gets the freed slot."""
    avatars = avatars_for(api, tmp_path / "avatars")
    fake.gate = asyncio.Event()
    at_server = asking(avatars, range(1, 5))
    await until(lambda: fake.running == 4, what="four requests at the server")
    scrolled_past = asking(avatars, range(10, 30))
    await asyncio.sleep(0.05)
    for caller in [*scrolled_past, at_server[0]]:
        caller.cancel()
    await asyncio.gather(*scrolled_past, at_server[0], return_exceptions=True)
    (on_screen,) = asking(avatars, [99])
    await until(lambda: "/api/v1/users/99/png?v=1" in fake.requests, what="the freed slot")
    fake.gate.set()
    assert await on_screen == PNG
    assert await asyncio.gather(*at_server[1:]) == [PNG] * 3
    assert sorted(fake.requests) == sorted([f"/api/v1/users/{i}/png?v=1" for i in (1, 2, 3, 4, 99)])
    # given up is not failed: asked again, it is fetched
    assert await avatars.get("/api/v1/users/1/png?v=1") == PNG
    assert await avatars.get("/api/v1/users/10/png?v=1") == PNG
    assert avatars._in_flight == {}


@pytest.mark.parametrize("kind", ["html", "big", "bigchunked", "missing"])
async def test_bad_replies_give_none_once_and_are_remembered(
    fake: FakeServer, api: ApiClient, tmp_path: Path, kind: str, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG, logger="linedesk")
    avatars = avatars_for(api, tmp_path / "avatars")
    url = f"/api/v1/users/9/{kind}?v=1"
    for _ in range(5):
        assert await avatars.get(url) is None
    assert fake.requests == [url]  # no retry storm
    assert avatars.disk.stats() == (0, 0)  # nothing bad is cached
    mine = [r for r in caplog.records if r.name.startswith("linedesk.avatars")]
    assert len(mine) == 1 and mine[0].levelno <= logging.WARNING
    assert all(r.levelno <= logging.WARNING for r in caplog.records)
    # later it is asked again
    avatars.forget_failures()
    assert await avatars.get(url) is None
    assert len(fake.requests) == 2


async def test_a_vanished_server_gives_none_and_is_retried_later(
    fake: FakeServer, api: ApiClient, tmp_path: Path, caplog: Any
) -> None:
    avatars = avatars_for(api, tmp_path / "avatars", retry_unreachable=0.3)
    assert await avatars.get("/api/v1/users/1/png?v=1") == PNG
    assert await avatars.get("/api/v1/users/2/drop?v=1") is None  # gone mid-reply
    assert await avatars.get("/api/v1/users/2/drop?v=1") is None
    assert fake.requests.count("/api/v1/users/2/drop?v=1") == 1
    await fake.stop()
    assert await avatars.get("/api/v1/users/3/png?v=1") is None  # refused now
    assert await avatars.get("/api/v1/users/3/png?v=1") is None  # remembered: not asked
    assert await avatars.get("/api/v1/users/1/png?v=1") == PNG  # the disk still has it
    assert all(r.levelno <= logging.WARNING for r in caplog.records)
    await fake.start()  # a new port: a new server as far as the client knows
    assert await avatars.get("/api/v1/users/3/png?v=1") is None  # still remembered
    await asyncio.sleep(0.35)
    api.server_url = fake.url
    assert await avatars.get("/api/v1/users/3/png?v=1") == PNG


async def test_not_signed_in_or_not_this_server_gives_none(
    fake: FakeServer, api: ApiClient, tmp_path: Path
) -> None:
    assert await avatars_for(None, tmp_path / "a").get("/api/v1/users/1/png?v=1") is None
    avatars = avatars_for(api, tmp_path / "b")
    # the token never goes to another host
    assert await avatars.get("http://example.invalid/api/v1/users/1/png?v=1") is None
    assert await avatars.get("//example.invalid/api/v1/users/1/png?v=1") is None
    assert await avatars.get("") is None
    assert fake.requests == []
    # the server's own absolute url is fine
    assert await avatars.get(f"{fake.url}/api/v1/users/1/png?v=1") == PNG


def test_the_disk_cache_is_bounded_and_drops_the_least_recently_used(tmp_path: Path) -> None:
    disk = DiskCache(tmp_path / "c", max_files=5, max_bytes=10_000)
    for i in range(5):
        disk.put(f"k{i}", b"x" * 100)
        past = time.time() - 100 + i
        os.utime(tmp_path / "c" / f"k{i}.img", (past, past))
    fresh = DiskCache(tmp_path / "c", max_files=5, max_bytes=10_000)  # reads the times back
    assert fresh.get("k0") == b"x" * 100  # used now: kept
    fresh.put("k5", b"y" * 100)
    assert fresh.get("k1") is None  # the least recently used went
    assert fresh.get("k0") is not None
    assert fresh.stats() == (5, 500)
    # the byte bound: one big file pushes out the older ones
    fresh.put("big", b"z" * 9_700)
    files, size = fresh.stats()
    assert size <= 10_000 and fresh.get("big") == b"z" * 9_700
    assert len(os.listdir(tmp_path / "c")) == files


async def test_the_workplace_gives_avatars_from_the_real_server(live: Any, tmp_path: Path) -> None:
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    try:
        assert await wp.sign_in(live.url, "demo", "demo", remember=False)
        for line in wp.lines:
            await wp.select_line(line.id)
            urls = [
                row.avatar_url
                for uid in wp.users.ids
                if (row := wp.users.get(uid)) is not None and row.avatar_url
            ]
            if urls:
                break
        assert urls, "the demo seed has users with avatars"
        assert all(u.startswith("/api/v1/users/") for u in urls)
        data = await wp.avatar(urls[0])
        assert data is not None
        assert data.startswith((b"\x89PNG", b"\xff\xd8\xff"))
        assert await wp.avatar(urls[0]) == data
        assert wp.avatars.fetches == 1
        # a picture that is not there: None, and no Problem for the specialist
        problems_before = len(rec.of(ch.Problem))
        assert await wp.avatar("/api/v1/users/999999/avatar?v=1") is None
        assert await wp.avatar("/api/v1/users/999999/avatar?v=1") is None
        assert wp.avatars.fetches == 2
        assert len(rec.of(ch.Problem)) == problems_before
        # the demo specialist has none
        assert wp.me is not None and wp.me.avatar_url is None
    finally:
        await wp.close()
