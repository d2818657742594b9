"""Files in the chat, both ways: send one (upload with progress, then the message that
carries it) and save one to disk (download into a temporary name, then renamed).

A part of the core (registered intents, `Workplace.act`); no Qt. The server's cap is the
contract's (`contract.chats.MAX_FILE`): a larger file is refused here before any byte goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import mimetypes
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiohttp

from app.chat import pdf_preview
from app.context import Context
from app.core import parse
from app.core.domain import FileRef, Message
from app.core.problems import ProblemCode
from app.net.api import ApiClient, ApiError, BadRequest, Unreachable
from app.store import outbox
from contract import chats as wire

log = logging.getLogger("linedesk.chat.files")

SEND_FILE = "chat.send_file"
"""Intent: (chat_id, path, progress) → the sent Message; progress(done, total) per chunk."""
SAVE_FILE = "chat.save_file"
"""Intent: (file: FileRef, target: Path, progress) → the saved Path."""
CACHED_IMAGE = "chat.cached_image"
"""Intent: (file: FileRef) → the path of a received image kept for its thumbnail (None: not
an image, empty, or too large to fetch for a preview)."""
PREVIEW = "chat.preview"
"""Intent: (file: FileRef) → the path of a picture for the file's thumbnail: a received image
as it came, or a PDF's first page rendered in a bounded child process (app/chat/pdf_preview.py)
and kept beside it; None: nothing to show (not an image or a PDF, empty, too large, or a PDF
that would not render — broken, encrypted, hostile)."""
FILES = "chat.files"
"""Intent: (chat_id, limit) → the chat's messages that carry a file, newest first."""
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
PREVIEW_MAX = 20 * 1024 * 1024  # bytes fetched at most for a thumbnail

CHUNK = 64 * 1024
# A file's transfer takes as long as the link needs (20 MB at 5 Mbit/s: half a minute; the
# API's 15 s in all cut every file over ≈ 10 MB on an office line). A download is bounded by
# silence: no minute without a byte from the server. An upload hears nothing until the file
# is in (and what it writes waits in the system's buffers, unseen), so it is given a minute
# plus its size at the slowest link served (512 kbit/s): 20 MB, six minutes.
SILENCE_S = 60.0
SLOWEST_BPS = 64 * 1024
TRANSFER = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=SILENCE_S)
Progress = Callable[[int, int], None]
SEND_ATTEMPTS = 5
"""Tries of a file's message PUT (waits of 2 + 4 + 8 + 16 s between, app/store/outbox.py)."""


def file_size(path: Path) -> int:
    return path.stat().st_size


def same_file(path: Path) -> tuple[str, int, int]:
    """What makes a file dropped again the same file: its place, size and change time."""
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


class FileTooLarge(BadRequest):
    def __init__(self, size: int, cap: int) -> None:
        super().__init__(ProblemCode.TOO_LARGE, f"{size} > {cap} bytes", 413)
        self.size, self.cap = size, cap


@dataclass(slots=True)
class Unsent:
    """A file on its way: its message's retry key, and its upload once the server has it."""

    key: str
    stored: FileRef | None = None


class ChatFiles:
    def __init__(self, session: Context, cap: int = wire.MAX_FILE) -> None:
        self._session = session
        self.cap = cap
        session.intents.register(SEND_FILE, self.send_file)
        session.intents.register(SAVE_FILE, self.save_file)
        session.intents.register(CACHED_IMAGE, self.cached_image)
        session.intents.register(PREVIEW, self.preview)
        self._rendering = asyncio.Semaphore(1)  # one PDF child at a time
        # files uploaded whose message has not been sent, per account (another server's
        # upload id names nothing, or someone else's file, there): (account, chat, path,
        # size, mtime) → key
        self._unsent: dict[tuple[str, int, str, int, int], Unsent] = {}
        session.intents.register(FILES, self.files)

    @property
    def _api(self) -> ApiClient:
        api = self._session.api
        assert api is not None
        return api

    async def files(self, chat_id: int, limit: int = 50) -> list[Message]:
        found = await self._api.call("GET", f"/chats/{chat_id}/files", params={"limit": str(limit)})
        return [parse.message(m) for m in parse.convert(found, wire.FileMessages).items]

    async def send_file(
        self, chat_id: int, path: Path, progress: Progress | None = None, text: str = ""
    ) -> Message:
        """Upload `path` to the chat and send the message carrying it, under a retry key of
        its own: a lost reply, a 5xx, a time-out sends it again under the same key (the
        outbox's policy; the server answers a known key with the original). Not sent after
        :data:`SEND_ATTEMPTS` tries: raises FILE_NOT_SENT and keeps the upload and the key,
        so the same file dropped again is that message, never a second one."""
        size = file_size(path)
        if size > self.cap:
            raise FileTooLarge(size, self.cap)
        mark = (self._session.account, chat_id, *same_file(path))
        unsent = self._unsent.setdefault(mark, Unsent(str(uuid.uuid4())))
        body: dict[str, object] = {"text": text} if text.strip() else {}
        for _ in range(2):  # twice if the server no longer has the upload (swept unused)
            if unsent.stored is None:
                unsent.stored = await self.upload(chat_id, path, progress)
            body["file_id"] = unsent.stored.id
            try:
                sent = await self._put(chat_id, unsent.key, body, path.name)
            except BadRequest as e:
                if not any(f == "file_id" for f, _ in e.errors):
                    raise
                unsent.stored = None
                continue
            self._unsent.pop(mark, None)
            return sent
        raise BadRequest(ProblemCode.MESSAGE_REJECTED, f"{path.name}: the upload is gone")

    async def _put(self, chat_id: int, key: str, body: dict[str, object], name: str) -> Message:
        """The message PUT under `key`, tried again as the outbox tries a text."""
        url = f"/chats/{chat_id}/messages/{quote(key, safe='')}"
        delay = outbox.RETRY_FIRST_S
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return parse.message(await self._api.call("PUT", url, json=body))
            except ApiError as e:
                if not outbox.goes_again(e):
                    raise
                if attempt == SEND_ATTEMPTS:
                    log.warning("file message %s not sent after %d tries: %s", key, attempt, e)
                    raise ApiError(ProblemCode.FILE_NOT_SENT, f"{name}: {e}") from None
                delay = outbox.backoff(delay)
                log.info("file message %s goes again in %.0f s: %s", key, delay, e)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def upload(self, chat_id: int, path: Path, progress: Progress | None) -> FileRef:
        api = self._api
        size = file_size(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        async def chunks() -> AsyncIterator[bytes]:
            done = 0
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    done += len(chunk)
                    yield chunk
                    if progress is not None:
                        progress(done, size)

        with aiohttp.MultipartWriter("form-data") as form:
            part = form.append(chunks(), {"Content-Type": content_type})
            part.set_content_disposition("form-data", name="file", filename=path.name)
            part.headers[aiohttp.hdrs.CONTENT_LENGTH] = str(size)
        try:
            allowed = aiohttp.ClientTimeout(total=SILENCE_S + size / SLOWEST_BPS, sock_connect=5)
            async with api.http.post(
                api.url(f"/chats/{chat_id}/files"),
                data=form,
                headers=api.headers(),
                timeout=allowed,
            ) as resp:
                if resp.status >= 400:
                    await api._raise_for(resp)
                raw = await resp.read()
        except (aiohttp.ClientError, OSError) as e:  # (TimeoutError: past its time)
            raise Unreachable(detail=f"upload: {type(e).__name__}: {e}") from None
        f = parse.decode(raw, wire.File)
        return FileRef(f.id, f.name, f.size, f.content_type)

    async def save_file(
        self, file: FileRef, target: Path, progress: Progress | None = None
    ) -> Path:
        """Download `file` to `target` (through `target`.part: never a half file under its
        name); the path saved."""
        api = self._api
        partial = target.with_name(target.name[:200] + ".part")
        try:
            async with api.http.get(
                api.url(f"/files/{file.id}"), headers=api.headers(), timeout=TRANSFER
            ) as resp:
                if resp.status >= 400:
                    await api._raise_for(resp)
                done = 0
                with partial.open("wb") as out:
                    async for chunk in resp.content.iter_chunked(CHUNK):
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, file.size)
            os.replace(partial, target)
        except (aiohttp.ClientError, OSError) as e:
            raise Unreachable(detail=f"download: {type(e).__name__}: {e}") from None
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()
        log.info("saved file %s (%s bytes)", file.id, done)
        return target

    async def cached_image(self, file: FileRef) -> Path | None:
        """The image kept for its thumbnail in the data dir (fetched once)."""
        if not is_image(file) or not 0 < file.size <= PREVIEW_MAX:
            return None
        return await self._cached(file)

    async def preview(self, file: FileRef) -> Path | None:
        """A picture to make the file's thumbnail from (see PREVIEW); rendered once."""
        if is_image(file):
            return await self.cached_image(file)
        if not is_pdf(file) or not 0 < file.size <= PREVIEW_MAX:
            return None
        source = await self._cached(file)
        target = source.with_name(source.name + ".ppm")
        refused = source.with_name(source.name + ".no-preview")
        async with self._rendering:
            if target.is_file():
                return target
            if refused.exists():  # tried before: broken, encrypted or too costly
                return None
            if await pdf_preview.render_in_child(source, target):
                return target
            refused.touch()
            return None

    async def _cached(self, file: FileRef) -> Path:
        """The file kept for its thumbnail in the data dir (fetched once)."""
        folder = self._session.data_dir / "chat-images"
        server = hashlib.sha256(self._session.server_key.encode()).hexdigest()[:12]
        target = folder / f"{server}-{int(file.id)}"
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            await self.save_file(file, target)
        return target


def is_image(file: FileRef) -> bool:
    return file.content_type.partition(";")[0].strip().lower() in IMAGE_TYPES


def is_pdf(file: FileRef) -> bool:
    """Declared a PDF, or named one: either is only a reason to try (the renderer is boxed)."""
    kind = file.content_type.partition(";")[0].strip().lower()
    return kind in PDF_TYPES or file.name.lower().endswith(".pdf")


def has_preview(file: FileRef) -> bool:
    """Whether the file may have a thumbnail (an image or a PDF, not empty, not too large)."""
    return (is_image(file) or is_pdf(file)) and 0 < file.size <= PREVIEW_MAX
