"""The API fuzzed from its own OpenAPI document, as an outside tester does: schemathesis
(`st run`, every check) against a fresh demo server. Each operation gets its examples and
the coverage phase — the schema's boundaries, every enum value, every constraint broken one
at a time — so a request the document calls valid that the server refuses, one it calls
invalid that the server takes, an answer that does not match the document, or a server
error fails here rather than outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, new_sqlite_server

pytestmark = pytest.mark.server


def _token(url: str, login: str) -> str:
    request = urllib.request.Request(
        f"{url}/api/v1/auth/login",
        data=json.dumps({"login": login, "password": "demo"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return str(json.load(reply)["token"])


@pytest.mark.parametrize("login", ["demo", "a.troitskiy"], ids=["specialist", "client-user"])
def test_schemathesis_finds_no_fault(sqlite_template: Path, tmp_path: Path, login: str) -> None:
    """As a specialist and as a client user: each side has operations only it may use
    (PUT /me/presence took an unknown field from a client user, unseen as a specialist)."""
    server = new_sqlite_server(sqlite_template, tmp_path)
    server.start()
    try:
        command = [
            str(Path(sys.executable).with_name("st")),
            "run",
            f"{server.url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {_token(server.url, login)}",
            # signing out ends the session the rest is tested with; /events is a WebSocket
            "--exclude-path",
            "/api/v1/auth/logout",
            "--exclude-path",
            "/api/v1/events",
            "--phases",
            "examples,coverage",
            "--checks",
            "all",
            "--workers",
            "1",
            "--seed",  # the same cases each run: a failure here is reproducible
            "20261205",
            "--no-color",
        ]
        # run from tmp_path: schemathesis leaves its cache (.schemathesis/) where it runs
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.server.fuzz_hooks",
            "PYTHONPATH": str(ROOT),
        }
        done = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900, check=False
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
