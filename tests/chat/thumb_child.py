"""The child of test_thumbnails.py: decodes one image's thumbnail in a fresh process and
prints the peak memory it added (ru_maxrss is a process's peak: only a fresh one tells).

    python -m tests.chat.thumb_child PATH
"""

from __future__ import annotations

import json
import resource
import sys

from PySide6.QtGui import QGuiApplication

from ui.chat.thumbs import decode_thumbnail


def main(path: str) -> int:
    app = QGuiApplication([sys.argv[0]])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    image = decode_thumbnail(path)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = None if image is None else [image.width(), image.height()]
    print(json.dumps({"added_kb": after - before, "size": size}))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
