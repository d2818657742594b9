"""The core's tests run against the real ticket server (tests/conftest.py's ServerProcess).

`live` is a `python -m server` child on a fresh SQLite file seeded with the demo
data (`.url`, `.stop()`, `.start()` on the same port and database). It seeds
its own file rather than copying the session template: a copy of `template.db`
alone misses the data still in its `-wal` file (the seeding server leaves it
un-checkpointed), and then `demo`/`demo` cannot sign in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
