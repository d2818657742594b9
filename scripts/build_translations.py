"""Compile the Qt translations (resources/i18n/*.ts -> *.qm) with pyside6-lrelease."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N = Path(__file__).resolve().parent.parent / "resources" / "i18n"


def main() -> int:
    sources = sorted(I18N.glob("*.ts"))
    if not sources:
        return 0
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        print("pyside6-lrelease was not found: translations not compiled", file=sys.stderr)
        return 1
    for ts in sources:
        subprocess.run(
            [lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
