"""File upload (streamed, capped) and download (as an attachment)."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote, unquote

from aiohttp import BodyPartReader, web

from server import present
from server.access import visible_chat, visible_file
from server.bodies import path_id, storable
from server.models import StoredFile
from server.problems import Problem, field_error
from server.state import authenticate, state_of

routes = web.RouteTableDef()
CHUNK = 64 * 1024


@routes.post("/api/v1/chats/{chat_id}/files")
async def upload(request: web.Request) -> web.Response:
    state = state_of(request)
    chat_id = path_id(request, "chat_id")
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        await visible_chat(session, caller, chat_id)
    if not request.content_type.startswith("multipart/"):
        raise Problem(
            415, "unsupported-media-type", "Unsupported media type", "send multipart/form-data"
        )
    reader = await request.multipart()
    part = await reader.next()
    if not isinstance(part, BodyPartReader) or part.name != "file":
        raise field_error("file", "send the file in a multipart field named 'file'")
    # aiohttp and some other clients percent-encode non-ASCII names.
    raw_name = unquote(part.filename or "file")
    printable = "".join(c for c in raw_name if c.isprintable() and storable(c))
    name = Path(printable).name[:255] or "file"
    content_type = part.headers.get("Content-Type", "application/octet-stream")[:200]
    storage_name = secrets.token_hex(16)
    path = state.settings.files_dir / storage_name
    try:
        size = await _save(part, path, state.settings.max_file_size)
        async with state.db.write() as session:
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
        path.unlink(missing_ok=True)
        raise
    return web.json_response(answer, status=201)


async def _save(part: BodyPartReader, path: Path, cap: int) -> int:
    size = 0
    with path.open("wb") as out:
        while chunk := await part.read_chunk(CHUNK):
            size += len(chunk)
            if size > cap:
                raise Problem(
                    413, "payload-too-large", "File too large", f"files are limited to {cap} bytes"
                )
            out.write(chunk)
    return size


@routes.get("/api/v1/files/{file_id}")
async def download(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    file_id = path_id(request, "file_id")
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        stored = await visible_file(session, caller, file_id)
    return web.FileResponse(
        state.settings.files_dir / stored.storage_name,
        headers={
            "Content-Type": stored.content_type,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
