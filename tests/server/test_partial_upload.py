"""A server killed in the middle of an upload leaves no file that looks kept: the upload is
written under a ".part" name, renamed when whole; the next start sweeps what a kill left
(a 2 MB half file stayed under its final name for good, no row naming it)."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from server.core.blobs import STALE_S

pytestmark = [pytest.mark.server, pytest.mark.chat]

DECLARED = 5 * 1024 * 1024
SENT = 2 * 1024 * 1024


def _signed_in(url: str) -> tuple[str, int]:
    """A client user's token and their first chat."""
    body = json.dumps({"login": "a.troitskiy", "password": "demo"}).encode()
    request = urllib.request.Request(
        f"{url}/api/v1/auth/login", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        token = str(json.load(reply)["token"])
    request = urllib.request.Request(
        f"{url}/api/v1/chats", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return token, int(json.load(reply)["items"][0]["id"])


def _until(cond: Any, within: float = 20.0) -> None:
    deadline = time.monotonic() + within  # an upper bound: the condition is the event
    while not cond():
        assert time.monotonic() < deadline, "not within the bound"
        time.sleep(0.05)


def test_a_kill_mid_upload_leaves_only_a_part_swept_at_a_later_start(server: Any) -> None:
    files: Path = server.files_dir
    token, chat_id = _signed_in(server.url)
    before = set(os.listdir(files))
    boundary = "linedeskboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode()
    length = len(head) + DECLARED + len(f"\r\n--{boundary}--\r\n")
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            (
                f"POST /api/v1/chats/{chat_id}/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {length}\r\n\r\n"
            ).encode()
            + head
            + b"%PDF" * (SENT // 4)
        )
        # most of it written (the last chunk may wait in the server's reading)
        _until(lambda: any(p.stat().st_size >= SENT // 2 for p in _new(files, before)))
        server.kill()
    left = _new(files, before)
    assert [p.suffix for p in left] == [".part"], left  # nothing under a kept file's name
    (part,) = left
    fresh = time.time()
    os.utime(part, (fresh - STALE_S - 60, fresh - STALE_S - 60))
    young = files / "cafe.part"  # another process's upload in progress: kept
    young.write_bytes(b"x")
    server.start()
    assert not part.exists() and young.exists()


def _new(files: Path, before: set[str]) -> list[Path]:
    return [files / n for n in sorted(set(os.listdir(files)) - before)]
