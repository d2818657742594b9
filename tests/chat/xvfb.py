"""Run a child of this test package on a fresh Xvfb display (the xcb platform, real fonts:
what a specialist's desktop draws, which the offscreen platform does not show)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_on_xvfb(module: str, out_dir: Path) -> Any:
    """`python -m module OUT_DIR` on its own Xvfb; the JSON it wrote to OUT_DIR/result.json."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: bash scripts/system-deps.sh", pytrace=False)
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as f:
            display = f.readline().strip()
        env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
        env.pop("WAYLAND_DISPLAY", None)
        try:
            done = subprocess.run(
                [sys.executable, "-m", module, str(out_dir)],
                env=env,
                cwd=ROOT,
                timeout=120,
                check=False,
                capture_output=True,
                text=True,
            )
        except subprocess.TimeoutExpired as late:  # what it said by then, not only the time
            said = late.stderr or b""
            if isinstance(said, bytes):
                said = said.decode(errors="replace")
            pytest.fail(f"{module} still running after 120 s; its stderr:\n{said[-3000:]}")
        assert done.returncode == 0, done.stderr[-3000:]
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    return json.loads((out_dir / "result.json").read_text())
