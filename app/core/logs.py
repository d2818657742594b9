"""Logging to a rotating file in the user's log dir. Loggers are named `linedesk.<part>`.

The shipped program also turns on `faulthandler` into `faults.log` beside it: a native
crash (Qt, audio code) leaves the Python stacks of every thread there. The file stays open
for the rest of the process (faulthandler writes to its descriptor from a signal handler).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from pathlib import Path
from typing import IO

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
FAULTS = "faults.log"

_faults: IO[str] | None = None  # open for the process's life once enabled


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("linedesk", appauthor=False))


def setup(
    directory: Path | str | None = None,
    level: int = logging.INFO,
    console: bool = False,
    faults: bool = False,
) -> Path:
    """Attach a rotating file handler to the `linedesk` logger; returns the file's path.
    `faults`: the program's own start — native crashes go to `faults.log` too."""
    d = Path(directory) if directory is not None else log_dir()
    d.mkdir(parents=True, exist_ok=True)
    if faults:
        record_faults(d)
    path = d / "linedesk.log"
    root = logging.getLogger("linedesk")
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_linedesk", False):
            root.removeHandler(h)
            h.close()
    fh = logging.handlers.RotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8", delay=True
    )
    fh.setFormatter(logging.Formatter(FORMAT))
    fh._linedesk = True  # type: ignore[attr-defined]
    root.addHandler(fh)
    if console:
        sh = logging.StreamHandler()
        sh.setFormatter(logging.Formatter(FORMAT))
        sh._linedesk = True  # type: ignore[attr-defined]
        root.addHandler(sh)
    return path


def record_faults(directory: Path) -> Path:
    """Turn on faulthandler into `directory/faults.log` (appended; a start line marks each
    run). Once per process: the file is kept open until the process ends."""
    global _faults
    path = directory / FAULTS
    if _faults is None:
        import datetime
        import os

        _faults = path.open("a", encoding="utf-8")
        _faults.write(f"-- pid {os.getpid()} started {datetime.datetime.now().isoformat()}\n")
        _faults.flush()
        faulthandler.enable(_faults, all_threads=True)
    return path
