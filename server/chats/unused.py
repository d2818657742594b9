"""Uploads no message carries: a chat file uploaded (POST /chats/{id}/files) whose message
never came — the client died between the upload and its PUT, or gave up — is removed,
row and blob, once it is older than ``--unused-file-grace`` (24 h: time enough for a client
to send it again under its key). The files a message carried and lost (deleted) go with
their message (server/chats/delete.py); nothing else names a ``files`` row (avatars are
kept in the database, recordings under ``call_records.recording_name``).

The same turn removes the ``.part`` files an upload cut by a kill left
(server/core/blobs.py), older than ``STALE_S``: another process's live upload is younger.

One ``DELETE … RETURNING`` per turn takes the rows ``FOR UPDATE SKIP LOCKED``: two server
processes sweeping at once delete each row once, and a message being written with that
file holds it ``FOR KEY SHARE`` (server/chats/routes.py) — skipped, or, when the sweep
came first, that message is told the file is gone (404), never stored over a missing
blob. The blobs are removed after the commit: a rolled-back turn removes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from server.core.blobs import STALE_S, sweep_partial
from server.core.config import Settings
from server.core.db import Database
from server.core.models import Message, StoredFile, utcnow
from server.core.sweeps import Sweep

log = logging.getLogger(__name__)
BATCH = 500
"""Rows a turn removes at most (the rest: the next turn)."""
LONGEST_TURN_S = 600.0
"""The sweep's turns come every tenth of the grace, at most this far apart."""


def drop_unused(session: Session, cutoff: dt.datetime) -> list[str]:
    """Delete the files no message carries, uploaded before `cutoff`; their blobs' names."""
    f = aliased(StoredFile)
    unused = (
        select(f.id)
        .where(f.created_at < cutoff, ~select(Message.id).where(Message.file_id == f.id).exists())
        .order_by(f.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    gone = session.execute(
        delete(StoredFile)
        .where(StoredFile.id.in_(unused.scalar_subquery()))
        .returning(StoredFile.storage_name),
        execution_options={"synchronize_session": False},
    )
    return [Path(name).name for name in gone.scalars()]


async def sweep_unused(
    db: Database, files_dir: Path, grace: dt.timedelta, now: dt.datetime | None = None
) -> int:
    """One turn: the unused uploads past the grace, then the stale ".part" files; how many
    files removed."""
    cutoff = (now or utcnow()) - grace
    blobs = await db.transact(functools.partial(drop_unused, cutoff=cutoff))
    for name in blobs:  # committed: no row names them any more
        (files_dir / name).unlink(missing_ok=True)
    if blobs:
        log.info("%d uploaded files no message carried removed", len(blobs))
    return len(blobs) + await asyncio.to_thread(sweep_partial, files_dir)


def sweep(settings: Settings) -> Sweep:
    """The sweep of `settings`' files directory: every tenth of the grace, at most every
    :data:`LONGEST_TURN_S` (and the ".part" files' :data:`STALE_S` age), at least every
    ``--sweep-every``."""
    grace = settings.unused_file_grace
    every = max(settings.sweep_every, min(LONGEST_TURN_S, grace.total_seconds() / 10, STALE_S))
    run = functools.partial(sweep_unused, files_dir=settings.files_dir, grace=grace)
    return Sweep("unused files", run, every)
