"""Logging to a rotating file in the user's log dir. Loggers are named `linedesk.<part>`."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("linedesk", appauthor=False))


def setup(
    directory: Path | str | None = None, level: int = logging.INFO, console: bool = False
) -> Path:
    """Attach a rotating file handler to the `linedesk` logger; returns the file's path."""
    d = Path(directory) if directory is not None else log_dir()
    d.mkdir(parents=True, exist_ok=True)
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
