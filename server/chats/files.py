"""File upload (streamed, capped) and download (as an attachment)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path
from urllib.parse import unquote

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from contract import chats
from contract import routes as api
from server.auth.access import visible_chat, visible_file
from server.clients.disconnected import refuse_if_disconnected_async
from server.core import present
from server.core.blobs import partial
from server.core.models import StoredFile
from server.core.problems import Problem, field_error
from server.core.state import authenticate, state_of
from server.core.wire import attachment, handles, params, reply, storable

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
CHUNK = 64 * 1024
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
# Served as themselves (still as attachments); anything else, HTML and SVG above all,
# is served as application/octet-stream so no browser ever renders it.
SERVED_AS_IS = frozenset(
    {
        "application/pdf",
        "application/zip",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
        "text/plain",
        "text/csv",
    }
)


def _declared_type(header: str) -> str:
    """The uploader's media type without parameters, or octet-stream when it is not one."""
    media = header.partition(";")[0].strip().lower()
    return media if MEDIA_TYPE.fullmatch(media) else "application/octet-stream"


def served_type(content_type: str) -> str:
    media = content_type.partition(";")[0].strip().lower()
    return media if media in SERVED_AS_IS else "application/octet-stream"


@handles(routes, api.UPLOAD)
async def upload(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        chat_id = params(request, api.UPLOAD, chats.ChatPath).chat_id
        chat = await visible_chat(session, caller, chat_id)
        line_id, user_id = chat.line_id, chat.user_id
        await refuse_if_disconnected_async(
            session, line_id, user_id, by_the_user=not caller.is_specialist
        )
    if not request.content_type.startswith("multipart/"):
        raise Problem(
            415, "unsupported-media-type", "Unsupported media type", "send multipart/form-data"
        )
    try:
        reader = await request.multipart()
        part = await reader.next()
    except (HttpProcessingError, ValueError) as exc:
        raise _malformed(exc) from exc
    if not isinstance(part, BodyPartReader) or part.name != "file":
        raise field_error("file", "send the file in a multipart field named 'file'")
    # aiohttp and some other clients percent-encode non-ASCII names.
    raw_name = unquote(part.filename or "file")
    printable = "".join(c for c in raw_name if c.isprintable() and storable(c))
    # Only the last component of either kind of path, never "." or "..".
    name = Path(printable.replace("\\", "/")).name.strip()[:255]
    if name in ("", ".", ".."):
        name = "file"
    content_type = _declared_type(part.headers.get("Content-Type", ""))
    storage_name = secrets.token_hex(16)
    path = state.settings.files_dir / storage_name
    try:
        size = await _save(part, partial(path), state.settings.max_file_size)
        await _nothing_else(reader)
        os.replace(partial(path), path)  # whole: under its name before its row is committed
        async with state.db.write() as session:
            await refuse_if_disconnected_async(  # disconnected while the file came
                session, line_id, user_id, by_the_user=not caller.is_specialist
            )
            stored = StoredFile(
                chat_id=chat_id,
                name=name,
                size=size,
                content_type=content_type,
                storage_name=storage_name,
                uploaded_by_kind=caller.kind,
                uploaded_by_id=caller.id,
            )
            session.add(stored)
            await session.flush()
            answer = present.file(stored)
    except BaseException:
        partial(path).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise
    return reply(answer, status=201)


async def _save(part: BodyPartReader, path: Path, cap: int) -> int:
    size = 0
    with path.open("wb") as out:
        while chunk := await _chunk(part):
            size += len(chunk)
            if size > cap:
                raise Problem(
                    413, "payload-too-large", "File too large", f"files are limited to {cap} bytes"
                )
            out.write(chunk)
    return size


async def _nothing_else(reader: MultipartReader) -> None:
    """The body is the field 'file' alone (as documented)."""
    try:
        extra = await reader.next()
    except (HttpProcessingError, ValueError) as exc:
        raise _malformed(exc) from exc
    if extra is not None:
        name = extra.name if isinstance(extra, BodyPartReader) else None
        raise field_error(name or "", "unknown field: send the file alone, as the field 'file'")


async def _chunk(part: BodyPartReader) -> bytes:
    try:
        return await part.read_chunk(CHUNK)
    except (HttpProcessingError, ValueError) as exc:
        raise _malformed(exc) from exc


def _malformed(exc: Exception) -> Problem:
    # aiohttp's texts quote the body (Invalid HTTP header: b'form-data; …'): not repeated
    log.debug("malformed multipart body: %s", type(exc).__name__)
    return Problem(
        400,
        "malformed-multipart",
        "Malformed multipart body",
        "the multipart body could not be read",
    )


@handles(routes, api.DOWNLOAD)
async def download(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        file_id = params(request, api.DOWNLOAD, chats.FilePath).file_id
        stored = await visible_file(session, caller, file_id)
    path = state.settings.files_dir / stored.storage_name
    return attachment(path, served_type(stored.content_type), stored.name)
