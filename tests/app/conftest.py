"""The core's tests run against the real ticket server (tests/conftest.py's ServerProcess).

`live` is a `python -m server` child on a fresh SQLite file seeded with the demo
data (`.url`, `.stop()`, `.start()` on the same port and database). It seeds
its own file rather than copying the session template: a copy of `template.db`
alone misses the data still in its `-wal` file (the seeding server leaves it
un-checkpointed), and then `demo`/`demo` cannot sign in. `signed_in` is a Workplace signed
in on it (tests/app/workplaces.py has what the core's tests share).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState
from app.workplace import Workplace
from tests.app.workplaces import Recorder, make_workplace, until
from tests.conftest import ServerProcess


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(
        f"sqlite:///{tmp_path / 'linedesk.db'}", tmp_path / "files", "--seed", "demo"
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def signed_in(
    live: ServerProcess, tmp_path: Path
) -> AsyncIterator[tuple[Workplace, Recorder]]:
    """A Workplace signed in as the demo specialist on `live`, its stream connected."""
    wp = make_workplace(tmp_path / "data")
    rec = Recorder(wp)
    assert await wp.sign_in(live.url, "demo", "demo", remember=False), rec.of(ch.Problem)
    await until(lambda: wp.connection == ConnectionState.CONNECTED, what="connected")
    try:
        yield wp, rec
    finally:
        await wp.close()
