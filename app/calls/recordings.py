"""Call recordings, kept until the server has them, and fetched to be played or saved.

After a call, its recording (an Ogg Opus file the telephony core wrote, both directions) is
given to `keep(call_id, path)`: it is moved into the data directory, `recordings/<account>/
<call id>.opus`, before anything is sent, and uploaded (``PUT /calls/{id}/recording``, the
raw file); it is removed once the server has it. One that could not go — no connection, a
server error, the session over, the program closed — stays there and goes when the event
stream is connected again (`on_connection`), in this or a later run of the program. A
refusal another try cannot change (403, 404, 413, 415) is set aside as
``<id>.opus.refused`` and logged, never sent again. None of this touches the call's record:
it is written before (ui/calls/records.py), whatever becomes of its recording.

`fetch(record, target)` downloads a record's recording (the timeline's play and save).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import msgspec

from app.context import Context
from app.core.domain import ConnectionState
from app.core.tasks import Tasks
from app.net.api import ApiClient, ApiError, BadRequest, NotFound, Unreachable
from contract import calls as wire

log = logging.getLogger("linedesk.calls.recordings")
SUFFIX = ".opus"
CHUNK = 64 * 1024
# an upload may take longer than a JSON request's 15 s: only a stalled connection fails it
UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=60.0)


class Recordings:
    def __init__(self, session: Context, on_record: Callable[[wire.CallRecord], object]) -> None:
        self._session = session
        self._on_record = on_record
        self.tasks = Tasks(log=log)
        self._lock = asyncio.Lock()

    @property
    def folder(self) -> Path:
        """This account's recordings waiting for the server."""
        account = hashlib.sha256(self._session.account.encode()).hexdigest()[:12]
        return self._session.data_dir / "recordings" / account

    def waiting(self) -> list[Path]:
        """The recordings not yet on the server, oldest call first."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.glob(f"*{SUFFIX}") if p.stem.isdigit()]
        return sorted(found, key=lambda p: int(p.stem))

    def keep(self, call_id: int, path: Path) -> Path:
        """The recording of call `call_id` kept (moved here) and sent as soon as it can be."""
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = self.folder / f"{int(call_id)}{SUFFIX}"
        try:
            os.replace(path, kept)
        except OSError:  # another file system
            shutil.move(path, kept)
        self.tasks.spawn(self.flush(), "recordings")
        return kept

    def on_connection(self, state: ConnectionState) -> None:
        """Connected again: what is waiting goes now."""
        if state is ConnectionState.CONNECTED and self.waiting():
            self.tasks.spawn(self.flush(), "recordings")

    async def flush(self) -> int:
        """Send every waiting recording, oldest first; stop at the first that cannot go now
        (it waits for the next connection). How many went."""
        sent = 0
        async with self._lock:  # one upload at a time, each once
            for path in self.waiting():
                api = self._session.api
                if api is None:
                    return sent
                try:
                    record = await self._upload(api, int(path.stem), path)
                except (NotFound, BadRequest) as exc:  # another try would be refused alike
                    log.warning("the recording of call %s was refused: %s", path.stem, exc)
                    path.replace(path.with_name(path.name + ".refused"))
                    continue
                except ApiError as exc:  # unreachable, 5xx, 401: kept for the next connection
                    log.info("the recording of call %s waits: %s", path.stem, exc)
                    return sent
                path.unlink(missing_ok=True)
                sent += 1
                self._on_record(record)
        return sent

    async def _upload(self, api: ApiClient, call_id: int, path: Path) -> wire.CallRecord:
        size = _size(path)

        async def chunks() -> AsyncIterator[bytes]:
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    yield chunk

        headers = {
            **api.headers(),
            "Content-Type": wire.RECORDING_TYPE,
            "Content-Length": str(size),
        }
        try:
            async with api.http.put(
                api.url(f"/calls/{call_id}/recording"),
                data=chunks(),
                headers=headers,
                timeout=UPLOAD_TIMEOUT,
            ) as resp:
                if resp.status >= 400:
                    await api._raise_for(resp)
                raw = await resp.read()
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            raise Unreachable(detail=f"recording upload: {type(e).__name__}: {e}") from None
        record = msgspec.json.decode(raw, type=wire.CallRecord)
        log.info("the recording of call %s is on the server (%d bytes)", call_id, size)
        return record

    async def fetch(self, record: wire.CallRecord, target: Path) -> Path:
        """The record's recording saved as `target` (through `target`.part)."""
        api = self._session.api
        if api is None or record.recording is None:
            raise NotFound(detail="no recording")
        partial = target.with_name(target.name + ".part")
        try:
            async with api.http.get(
                api.resolve(record.recording), headers=api.headers(), timeout=UPLOAD_TIMEOUT
            ) as resp:
                if resp.status >= 400:
                    await api._raise_for(resp)
                with partial.open("wb") as out:
                    async for chunk in resp.content.iter_chunked(CHUNK):
                        out.write(chunk)
            os.replace(partial, target)
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            raise Unreachable(detail=f"recording download: {type(e).__name__}: {e}") from None
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()
        return target


def _size(path: Path) -> int:
    return path.stat().st_size  # one stat: not worth a thread
