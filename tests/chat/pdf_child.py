"""The child of test_pdf_thumbnails.py: renders one PDF's first page the way the window's
renderer child does (app/chat/pdf_preview.py: limits, then the render) and prints its own
peak memory — VmHWM of this process's image, which a parent's wait4() cannot tell apart
from the memory of the process it was forked from.

    python -m tests.chat.pdf_child SOURCE.pdf TARGET.ppm
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.chat import pdf_preview


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def main(source: str, target: str) -> int:
    pdf_preview.limit_self()
    before, started = peak_kb(), time.perf_counter()
    size = pdf_preview.render_first_page(Path(source), Path(target))
    took = time.perf_counter() - started
    print(json.dumps({"size": size, "seconds": took, "before_kb": before, "peak_kb": peak_kb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
