"""Junk sent to every documented operation is answered 4xx (problem+json), never 5xx."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.server.api import Api

pytestmark = pytest.mark.server

JUNK_BODIES: list[bytes] = [
    b"",
    b"null",
    b"[]",
    b'"text"',
    b"1e999999",
    b'{"text": {}, "quote_id": [], "file_id": true}',
    b'{"status": null, "up_to": -1, "login": [], "password": {}}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"text": "\\ud800"}',
    b"\xff\xfe\x00",
]


async def test_junk_never_makes_a_server_error(api: Api) -> None:
    as_demo = await api.as_user("demo")
    as_client = await api.as_user("a.troitskiy")
    for template, item in api.contract.document["paths"].items():
        if template in ("/api/v1/events", "/api/v1/openapi.json"):
            continue
        path = re.sub(r"\{client_msg_id\}", str(uuid.uuid4()), template)
        path = re.sub(r"\{[^}]+\}", "1", path).removeprefix("/api/v1")
        for method in item:
            for caller in (api, as_demo, as_client):
                for body in JUNK_BODIES:
                    reply = await caller.call(method.upper(), path, raw=body)
                    assert 400 <= reply.status < 500 or reply.status in (200, 201, 204), (
                        method,
                        path,
                        body[:40],
                        reply.status,
                    )


MALFORMED_MULTIPART: list[tuple[str, bytes]] = [
    ("multipart/form-data", b"--b\r\n\r\nx\r\n--b--\r\n"),  # no boundary parameter
    ("multipart/form-data; boundary=b", b"--b\r\nContent-Type: a/b\x0b\r\n\r\nx\r\n--b--\r\n"),
    ("multipart/form-data; boundary=b", b"--b\r\nBroken header line\r\n\r\nx\r\n--b--\r\n"),
    ("multipart/form-data; boundary=b", b"--c\r\n\r\n"),
    ("multipart/form-data; boundary=" + "b" * 200, b"--b\r\n"),
    ("multipart/mixed; boundary=b", b"--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"),
]


async def test_malformed_multipart_upload_is_400(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = (await client.get("/chats"))["items"][0]["id"]
    for content_type, raw in MALFORMED_MULTIPART:
        reply = await client.call(
            "POST", f"/chats/{chat_id}/files", raw=raw, content_type=content_type
        )
        assert 400 <= reply.status < 500, (content_type, raw, reply.status, reply.body)
