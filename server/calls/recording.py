"""A call's recording: PUT by the call's specialist after the call, GET by whoever sees the call.

The blob is kept where chat files are (the server's files directory, under a random name;
``call_records.recording_name``), streamed to disk as it arrives and refused (413) as soon as
it passes the cap. Its type is read from its bytes: the first Ogg page must carry an OpusHead
(RFC 7845 §5.1) — the declared Content-Type is not trusted. A new upload replaces the old
(the old blob is removed once the new one is committed), so a retried upload is harmless.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from contract import calls as wire
from contract import calls_ops as ops
from server.auth.access import specialists_only
from server.calls.models import CallRecord
from server.calls.routes import publish, visible_call
from server.core.blobs import partial
from server.core.problems import Problem, forbidden
from server.core.state import authenticate, state_of
from server.core.wire import attachment, handles, params, reply

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
CHUNK = 64 * 1024
HEAD = 27 + 255 + 8  # an Ogg page header with its longest segment table, and "OpusHead"


def is_ogg_opus(head: bytes) -> bool:
    """The bytes begin an Ogg Opus stream: a first page (capture pattern, version 0, the
    beginning-of-stream flag) whose first packet is the identification header "OpusHead"."""
    if len(head) < 28 or head[:4] != b"OggS" or head[4] != 0 or not head[5] & 0x02:
        return False
    start = 27 + head[26]
    return head[start : start + 8] == b"OpusHead"


def _not_ogg() -> Problem:
    return Problem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "a recording is Ogg Opus (audio/ogg): the body does not begin with an Ogg page"
        " carrying OpusHead",
    )


def _too_large(cap: int) -> Problem:
    return Problem(
        413, "payload-too-large", "Recording too large", f"recordings are limited to {cap} bytes"
    )


@handles(routes, ops.PUT_RECORDING)
async def put_recording(request: web.Request) -> web.Response:
    state = state_of(request)
    cap = state.settings.max_recording_size
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        call_id = params(request, ops.PUT_RECORDING, wire.CallPath).call_id
        row = await visible_call(session, caller, call_id)
        if row.specialist_id != caller.id:
            raise forbidden("not-the-call-specialist", "only the call's specialist records it")
    if request.content_length is not None and request.content_length > cap:
        raise _too_large(cap)
    name = secrets.token_hex(16)
    path = state.settings.files_dir / name
    try:
        size = await _save(request, partial(path), cap)
        os.replace(partial(path), path)  # whole: under its name before its row is committed
        async with state.db.write() as session:
            row = await session.get_one(CallRecord, call_id, with_for_update=True)
            old, row.recording_name, row.recording_size = row.recording_name, name, size
            answer = await publish(session, row)
    except BaseException:
        partial(path).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise
    if old is not None:
        (state.settings.files_dir / Path(old).name).unlink(missing_ok=True)
    log.info("call %s: a recording of %d bytes", call_id, size)
    return reply(answer)


async def _save(request: web.Request, path: Path, cap: int) -> int:
    """The body into `path`, its first bytes checked before anything is written."""
    size = 0
    head = b""
    with path.open("wb") as out:
        try:
            while chunk := await request.content.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise _too_large(cap)
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                    if len(head) >= HEAD and not is_ogg_opus(head):
                        raise _not_ogg()
                out.write(chunk)
        except HttpProcessingError as exc:
            raise Problem(400, "malformed-body", "Malformed body", str(exc.message)[:200]) from exc
    if not is_ogg_opus(head):  # shorter than HEAD: checked at the end
        raise _not_ogg()
    return size


@handles(routes, ops.GET_RECORDING)
async def get_recording(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        call_id = params(request, ops.GET_RECORDING, wire.CallPath).call_id
        row = await visible_call(session, caller, call_id)
        name = row.recording_name
    if name is None:
        raise Problem(404, "not-found", "Not found", "this call has no recording (yet)")
    return attachment(
        state.settings.files_dir / Path(name).name, wire.RECORDING_TYPE, f"call-{call_id}.opus"
    )
