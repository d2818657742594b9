"""Every string the window shows has its Russian translation, and none is left over."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_english_has_every_plural_form(tmp_path: Path, qapp: Any) -> None:
    """English is the source text but for plurals: "1 company", not "1 companies"."""
    from PySide6.QtCore import QCoreApplication, QLocale

    from ui.common import i18n

    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path / "linedesk_en.ts"
    shutil.copy(ROOT / "resources" / "i18n" / "linedesk_en.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    argv = [str(lupdate), *sources, "-pluralonly", "-ts", str(ts)]
    subprocess.run(argv, check=True, capture_output=True)
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, "a plural without its English forms"
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text, "a stale plural"

    locale = QLocale()
    i18n.install(qapp, "en")
    try:
        say = QCoreApplication.translate
        assert say("CompanyPicker", "%n companies", "", 1) == "1 company"
        assert say("CompanyPicker", "%n companies", "", 21) == "21 companies"
        assert say("UsersPane", "%n users", "", 1) == "1 user"
    finally:
        i18n.uninstall(qapp)
        QLocale.setDefault(locale)


def test_the_source_text_is_english() -> None:
    """English is the source text (an English locale shows it as written): no Russian word
    and no Russian quotation marks in it — «%1» is Russian's translation of “%1”."""
    import re
    import xml.etree.ElementTree as ET

    tree = ET.parse(ROOT / "resources" / "i18n" / "linedesk_ru.ts")
    sources = [s.text or "" for s in tree.iter("source")]
    assert len(sources) > 500
    russian = [s for s in sources if re.search("[\u0400-\u04ff«»]", s)]
    assert russian == [], russian
