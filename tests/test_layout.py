"""The project's shape: the core imports without Qt."""

import subprocess
import sys


def test_core_imports_without_qt() -> None:
    code = (
        "import sys, app.core.domain, app.core.changes; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt in the core'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_telephony_imports_without_qt_or_ui() -> None:
    code = (
        "import sys, telephony.sip.ua, telephony.call, telephony.media.audio; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'ui', 'server'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
