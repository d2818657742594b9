"""The HTTP edge, tried with raw sockets against the real server: what aiohttp's parser
refuses is problem+json in the client's terms (never an echo of the request, never an
internal text), a long search is served, and a body that never finishes is 408."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import ServerProcess, new_sqlite_server
from tests.server.api import Api, Contract

pytestmark = pytest.mark.server
MARK = "ECHO"  # what the offending part of a request is made of: never in an answer
REPLY_TIMEOUT = 60.0  # generous: the answers come at once, or after the 10 s body limit


@dataclass
class RawReply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def problem(self, contract: Contract) -> dict[str, Any]:
        """The problem+json body, checked against the served document's Problem."""
        assert self.headers.get_content_type() == "application/problem+json", self
        assert MARK.encode() not in self.body, self.body[:300]
        problem = json.loads(self.body)
        contract.validate({"$ref": "#/components/schemas/Problem"}, problem)
        assert problem["status"] == self.status
        return dict(problem)


class _Recorded:
    """What http.client.HTTPResponse reads a reply from: the bytes the server sent."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, _mode: str) -> io.BytesIO:
        return io.BytesIO(self.data)


async def exchange(url: str, request: bytes) -> RawReply:
    """Send raw bytes, read to the end of the connection (the server closes it after these
    answers), parse the reply with the standard library."""
    address = urlsplit(url)
    assert address.hostname is not None and address.port is not None
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(request)
        # answered and closed before taking it all: the answer is in the reader
        with contextlib.suppress(ConnectionResetError):
            await writer.drain()
        data = await asyncio.wait_for(reader.read(), REPLY_TIMEOUT)
    finally:
        writer.close()
    response = http.client.HTTPResponse(_Recorded(data))  # type: ignore[arg-type]
    response.begin()
    return RawReply(response.status, response.msg, response.read())


def head(start: str, *headers: str) -> bytes:
    return "\r\n".join([start, "Host: 127.0.0.1", *headers, "", ""]).encode()


async def test_what_the_parser_refuses_is_problem_json(
    server: ServerProcess, contract: Contract
) -> None:
    cases = [  # (request, status)
        (head(f"GET /api/v1/lines/1/users?q={MARK * 17_000} HTTP/1.1"), 414),
        (head("GET /api/v1/me HTTP/1.1", f"X-Long: {MARK * 33_000}"), 431),
        (head("GET /api/v1/me HTTP/1.1", *(f"X-{MARK}-{n}: 1" for n in range(10_000))), 431),
        (head(f"{MARK}(1 /api/v1/me HTTP/1.1"), 400),
        (head("POST /api/v1/auth/login HTTP/1.1", "Content-Length: -5"), 400),
        (head("GET /api/v1/me HTTP/1.1", f"X-{MARK}\x01: 1"), 400),
        (b"\x16\x03\x01\x02\x00" + MARK.encode() * 10, 400),  # TLS on the HTTP port
    ]
    for request, status in cases:
        reply = await exchange(server.url, request)
        assert reply.status == status, (request[:60], reply)
        problem = reply.problem(contract)
        assert problem["detail"], problem


async def test_a_huge_token_is_401(server: ServerProcess, contract: Contract) -> None:
    token = MARK * 25_000  # 100 KB
    reply = await exchange(
        server.url,
        head("GET /api/v1/me HTTP/1.1", f"Authorization: Bearer {token}", "Connection: close"),
    )
    assert reply.status == 401
    assert reply.problem(contract)["type"].endswith("/unauthorized")
    assert reply.headers["WWW-Authenticate"] == "Bearer"


async def test_a_token_that_is_not_utf8_is_401(server: ServerProcess, contract: Contract) -> None:
    """Header bytes that are no UTF-8 (aiohttp keeps them as surrogate escapes) are no token
    this server issued: 401, not a failure hashing them."""
    request = "\r\n".join(["GET /api/v1/me HTTP/1.1", "Host: 127.0.0.1", "Connection: close"])
    request_bytes = request.encode() + b"\r\nAuthorization: Bearer \xff\xfe\xd0\xb9\r\n\r\n"
    reply = await exchange(server.url, request_bytes)
    assert reply.status == 401
    assert reply.problem(contract)["type"].endswith("/unauthorized")


async def test_a_body_that_never_finishes_is_408(server: ServerProcess, contract: Contract) -> None:
    """1 000 bytes announced, 13 sent: answered 408 once the body's time is up (10 s), and
    the connection is closed (the read ends)."""
    request = head(
        "POST /api/v1/auth/login HTTP/1.1",
        "Content-Type: application/json",
        "Content-Length: 1000",
    )
    reply = await exchange(server.url, request + b'{"login": "de')
    assert reply.status == 408
    assert reply.problem(contract)["type"].endswith("/request-timeout")
    assert reply.headers["Connection"] == "close"


async def test_a_head_that_never_finishes_is_closed(server: ServerProcess) -> None:
    """Slowloris: a connection that sends nothing, and one that sends a header line now and
    then, are closed once the head's time is up (20 s; both stayed open for good, and a
    thousand of them took the server's last file descriptors); the server still answers."""
    address = urlsplit(server.url)
    assert address.hostname is not None and address.port is not None
    silent = await asyncio.open_connection(address.hostname, address.port)
    trickling = await asyncio.open_connection(address.hostname, address.port)
    trickling[1].write(b"GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n")

    async def trickle() -> None:
        for n in range(30):
            await asyncio.sleep(1)
            with contextlib.suppress(ConnectionError):
                trickling[1].write(f"X-Slow-{n}: 1\r\n".encode())

    going = asyncio.create_task(trickle())
    try:
        for reader, _writer in (silent, trickling):
            assert await asyncio.wait_for(reader.read(), 35) == b""  # closed, unanswered
    finally:
        going.cancel()
        for _reader, writer in (silent, trickling):
            writer.close()
    reply = await exchange(
        server.url, head("GET /api/v1/openapi.json HTTP/1.1", "Connection: close")
    )
    assert reply.status == 200


async def test_a_closed_connection_leaves_nothing_behind() -> None:
    """The first head's timer (above) let go with its connection: it held each closed
    connection's handler and buffers for its 20 s, so a flood of short connections kept
    thousands of them. The edge as the server runs it (EdgeRunner), in this process, so its
    handlers can be counted; 200 connections, each answered and closed."""
    import gc

    from aiohttp import web

    from server.core.edge import EdgeRunner, ProblemRequestHandler

    async def hello(_request: web.Request) -> web.Response:
        return web.Response(text="hi")

    app = web.Application()
    app.router.add_get("/", hello)
    runner = EdgeRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        for _ in range(200):
            reply = await exchange(
                f"http://127.0.0.1:{port}", head("GET / HTTP/1.1", "Connection: close")
            )
            assert reply.status == 200
        kept = 200
        async with asyncio.timeout(5):  # the last closes reach the server's side
            while kept:
                await asyncio.sleep(0.01)
                gc.collect()
                kept = sum(isinstance(o, ProblemRequestHandler) for o in gc.get_objects())
    finally:
        await runner.cleanup()


async def test_a_client_gone_mid_body_is_no_server_error(
    sqlite_template: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A window closing while its read mark is on its way: the body is cut short and the
    connection closed. The server notes it (INFO), answers nobody, logs no error and no
    traceback (it did: ConnectionResetError as an unhandled error)."""
    server = new_sqlite_server(sqlite_template, tmp_path)  # here: its stderr is this test's
    server.start()
    try:
        async with Api(server.url, Contract.load()) as api:
            token = (await api.as_user("demo")).token
        host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
        _reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            head(
                "POST /api/v1/chats/1/read HTTP/1.1",
                f"Authorization: Bearer {token}",
                "Content-Type: application/json",
                "Content-Length: 100",
            )
            + b'{"up_to"'
        )
        await writer.drain()
        await asyncio.sleep(0.3)
        writer.close()
        await asyncio.sleep(1.0)
        assert (await api_alive(server.url)) == 200  # and it goes on serving
    finally:
        server.stop()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ERROR" not in err, err


async def api_alive(url: str) -> int:
    reader, writer = await asyncio.open_connection(urlsplit(url).hostname, urlsplit(url).port)
    writer.write(head("GET /api/v1/openapi.json HTTP/1.1"))
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def test_no_internal_text_reaches_a_problem(api: Api, live: ServerProcess) -> None:
    demo = await api.as_user("demo")
    plain = await exchange(
        live.url,
        head(
            "GET /api/v1/events HTTP/1.1",
            f"Authorization: Bearer {demo.token}",
            "Connection: close",
        ),
    )
    assert plain.status == 400
    problem = plain.problem(api.contract)
    assert problem["type"].endswith("/websocket-expected")
    assert "hdr" not in problem["detail"]
    client = await api.as_user("a.troitskiy")
    chat_id = (await client.get("/chats"))["items"][0]["id"]
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition form-data; name={MARK}\r\n\r\n{MARK}\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    broken = await client.call(
        "POST",
        f"/chats/{chat_id}/files",
        raw=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert broken.status == 400
    assert broken.body["type"].endswith("/malformed-multipart")
    assert MARK not in json.dumps(broken.body)
    for path in ("/nothing", "/me"):  # aiohttp's 404 and 405
        async with api.session.request("PATCH", api.base + "/api/v1" + path) as reply:
            assert reply.content_type == "application/problem+json"
            assert (await reply.json())["detail"] in (
                "no such resource",
                "the method is not allowed here (see Allow)",
            )


async def test_a_long_search_is_served_and_capped(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    cyrillic = "я" * 10_000  # ≈ 60 KB of request line, percent-encoded
    assert len(quote(cyrillic)) > 8190
    found = await demo.call("GET", f"/lines/{line_id}/users", params={"q": cyrillic})
    assert found.status == 200
    assert found.body["items"] == []
    for q in ("_" * 10_001, "x" * 10_001):
        refused = await demo.call("GET", f"/lines/{line_id}/users", params={"q": q})
        assert refused.status == 400
        assert refused.body["errors"] == [
            {"field": "q", "message": "must have at most 10000 characters"}
        ]
