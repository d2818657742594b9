"""Files kept beside the database (chat files, call recordings).

Each is written under a ".part" name and renamed once whole, before its row is committed:
a server killed in the middle of an upload leaves no file that looks kept, and what such a
kill left is swept (`sweep_partial`) at every start and by the running servers' periodic
sweep of files (server/chats/unused.py), once older than :data:`STALE_S`. (A kill between
the rename and the commit leaves a whole file no row names: harmless, and a moment wide.)"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)

PART = ".part"
STALE_S = 3600.0
"""A ".part" file this old is no upload in progress (another process's may be younger)."""


def partial(path: Path) -> Path:
    """Where `path` is written until it is whole."""
    return path.with_name(path.name + PART)


def sweep_partial(directory: Path, now: float | None = None) -> int:
    """Remove the ".part" files a killed server left (older than :data:`STALE_S`); how
    many."""
    now = time.time() if now is None else now
    removed = 0
    for path in directory.glob(f"*{PART}"):
        try:
            if now - path.stat().st_mtime > STALE_S:
                path.unlink()
                removed += 1
        except OSError as exc:  # gone meanwhile, or not ours to remove
            log.info("a partial file left as it is: %s (%s)", path.name, exc)
    if removed:
        log.info("%d partial files of uploads cut short removed", removed)
    return removed


def remove_all(directory: Path) -> int:
    """Remove every file kept in `directory` (the embedded demo's, when its database was
    seeded afresh: no row names them any more); how many."""
    removed = 0
    for path in directory.iterdir() if directory.is_dir() else ():
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        log.info("%d files of the demo's earlier data removed", removed)
    return removed
