"""The desktop's idle time (app/clients/system_idle.py) against a real X server (Xvfb with
MIT-SCREEN-SAVER): it grows while nothing happens and drops when the pointer moves
(xdotool, as a person's mouse). In a child process: the query is opened once per process,
on its $DISPLAY."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.remote.hosts import Display

pytestmark = pytest.mark.core
ROOT = Path(__file__).resolve().parents[2]

WAYLAND = ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
ASK = "from app.clients.system_idle import system_idle_seconds; print(system_idle_seconds())"
CHILD = """
import json, subprocess, sys, time
from app.clients.system_idle import system_idle_seconds
first = system_idle_seconds()
time.sleep(1.2)
later = system_idle_seconds()
subprocess.run(["xdotool", "mousemove", "37", "41"], check=True)
time.sleep(0.1)
moved = system_idle_seconds()
print(json.dumps([first, later, moved]))
"""


def test_the_desktop_s_idle_time_grows_and_drops_with_the_mouse() -> None:
    display = Display()
    try:
        plain = {k: v for k, v in os.environ.items() if k not in WAYLAND}
        env = {**plain, "DISPLAY": display.name, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        first, later, moved = json.loads(done.stdout)
        assert first is not None and later >= first + 1.0  # nothing happened: it grew
        assert moved < 0.5  # the pointer moved: the desktop is in use
        alone = subprocess.run(
            [
                sys.executable,
                "-c",
                "from app.clients.system_idle import system_idle_seconds;"
                "print(system_idle_seconds())",
            ],
            env={k: v for k, v in env.items() if k != "DISPLAY"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert alone.stdout.strip() == "None"  # no desktop to ask: the window alone decides
        wayland = subprocess.run(
            [sys.executable, "-c", ASK],
            env={**env, "WAYLAND_DISPLAY": "wayland-0"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert wayland.stdout.strip() == "None"  # XWayland's counter is not the desktop's
    finally:
        display.stop()
