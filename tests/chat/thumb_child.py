"""The child of test_thumbnails.py: decodes one image's thumbnail in a fresh process and
prints the peak memory it added. On Linux the process's peak (VmHWM) is reset to its
current size just before (`/proc/self/clear_refs`), so the figure is the decode's own;
elsewhere ru_maxrss, a process's peak since it began (only a fresh one tells).

    python -m tests.chat.thumb_child PATH
"""

from __future__ import annotations

import json
import resource
import sys

from PySide6.QtGui import QGuiApplication

from ui.chat.thumbs import decode_thumbnail


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def main(path: str) -> int:
    app = QGuiApplication([sys.argv[0]])
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # the peak back to the current size
        before = _status_kb("VmRSS")
        image = decode_thumbnail(path)
        after = _status_kb("VmHWM")
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        image = decode_thumbnail(path)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = None if image is None else [image.width(), image.height()]
    print(json.dumps({"added_kb": after - before, "size": size}))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
