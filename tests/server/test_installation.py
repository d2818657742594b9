"""Which server this is: an id made once with its database, given in GET /me — the same
after a restart (and in every process on one database), another for another database."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import new_sqlite_server
from tests.server.api import Api, Contract

pytestmark = pytest.mark.server


async def _server_of(url: str) -> str:
    async with Api(url, Contract.load()) as api:
        me = await (await api.as_user("demo")).get("/me")
        return str(me["server"])


async def test_the_server_id_is_kept_and_another_database_has_another(
    sqlite_template: Path, tmp_path: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = new_sqlite_server(sqlite_template, tmp_path / "a")
    first.start()
    try:
        made = await _server_of(first.url)
        assert re.fullmatch(r"[0-9a-f]{32}", made)
        first.stop()
        first.start()
        assert await _server_of(first.url) == made  # a restart: the same server
    finally:
        first.stop()
    other = new_sqlite_server(sqlite_template, tmp_path / "b")
    with sqlite3.connect(other.db_url.removeprefix("sqlite:///")) as db:
        db.execute("DELETE FROM installation")  # a database that never had one (made anew)
    other.start()
    try:
        assert await _server_of(other.url) not in ("", made)
    finally:
        other.stop()
