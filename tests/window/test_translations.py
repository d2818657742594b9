"""Every string the window shows has its Russian translation, and none is left over."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.window.conftest import WINDOW_MARKS

pytestmark = WINDOW_MARKS
ROOT = Path(__file__).resolve().parents[2]


def test_russian_covers_every_string(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path / "linedesk_ru.ts"
    shutil.copy(ROOT / "resources" / "i18n" / "linedesk_ru.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(ts)], check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, "a string without its Russian translation"
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text, "a stale string"
