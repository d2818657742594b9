"""The first frame stays light: what `python -m app` has loaded when its window first paints.

Not a timing test (the figure is `client.start_painted_to_floor` in `make bench`): it guards
the start's structure, which is what keeps that figure — no asyncio, no core, no network
client, no database, and not Qt's `Qt` namespace (~90 enums, 11 ms) before the first paint.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.window.conftest import WINDOW_MARKS

pytestmark = WINDOW_MARKS

_PROBE = r"""
import json, os, sys
import ui.mainwindow.startup_trace
from PySide6 import QtCore

def at_paint(milestone):
    if milestone == "PAINTED":
        print(json.dumps({
            "qt_namespace": "Qt" in QtCore.__dict__,
            "modules": sorted(sys.modules),
        }), flush=True)
        os._exit(0)

ui.mainwindow.startup_trace.mark = at_paint
from app.__main__ import main
main(["--data-dir", sys.argv[1], "--config-dir", sys.argv[1], "--log-dir", sys.argv[1]])
"""

_NOT_BEFORE_THE_FIRST_PAINT = (
    "asyncio",
    "qasync",
    "aiohttp",
    "sqlalchemy",
    "sqlite3",
    "keyring",
    "PySide6.QtNetwork",
    "app.core.domain",
    "contract",
    "msgspec",
    "app.workplace",
    "ui.clients.users_model",
    "ui.common.text",
    "ui.mainwindow.bridge",
    "ui.mainwindow.lifecycle",
    "ui.mainwindow.commands",
    "ui.mainwindow.status_area",
    "ui.side.info_panel",
    "ui.chat.view",
)


def test_the_first_paint_comes_before_the_heavy_parts(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert not seen["qt_namespace"], "Qt's namespace was built before the first paint"
    loaded = set(seen["modules"])
    early = [name for name in _NOT_BEFORE_THE_FIRST_PAINT if name in loaded]
    assert early == [], f"loaded before the first paint: {early}"
