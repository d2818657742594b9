"""remote/ is a core subsystem: no Qt, no ui/, no server/."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.remote


def test_remote_imports_without_qt_ui_or_server() -> None:
    code = (
        "import sys, remote.launcher, remote.backends, remote.preflight; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui', 'server')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
