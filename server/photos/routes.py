"""Account pictures: PUT/DELETE /me/avatar, GET /users/{id}/avatar, GET /specialists/{id}/avatar."""

from __future__ import annotations

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from contract import routes as api
from contract.photos import MAX_BYTES, MAX_SIDE, MIN_SIDE, SpecialistAvatarQuery, UserAvatarQuery
from server.auth.routes import me_json
from server.core.models import AccountKind
from server.core.problems import Problem, not_found
from server.core.state import authenticate, state_of
from server.core.wire import INERT, handles, params, reply
from server.photos import images
from server.photos import store as avatars
from server.photos.store import Picture

routes = web.RouteTableDef()
CHUNK = 64 * 1024
# An answer's URL names its version: cached for good, never sniffed or rendered as a page.
SERVED_HEADERS = {**INERT, "Cache-Control": "private, max-age=31536000, immutable"}


def _too_large() -> Problem:
    return Problem(
        413, "payload-too-large", "Picture too large", f"pictures are limited to {MAX_BYTES} bytes"
    )


async def _body(request: web.Request) -> bytes:
    """The raw body, refused (413) as soon as it passes the cap, before it is all read."""
    if request.content_length is not None and request.content_length > MAX_BYTES:
        raise _too_large()
    data = bytearray()
    try:
        while chunk := await request.content.read(CHUNK):
            data += chunk
            if len(data) > MAX_BYTES:
                raise _too_large()
    except HttpProcessingError as exc:
        raise Problem(400, "malformed-body", "Malformed body", str(exc.message)[:200]) from exc
    return bytes(data)


@handles(routes, api.PUT_AVATAR)
async def put_avatar(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
    declared = request.content_type.lower()
    if declared not in images.NAMES:
        raise Problem(
            415, "unsupported-media-type", "Unsupported media type", "send image/png or image/jpeg"
        )
    data = await _body(request)
    try:
        images.check(data, declared, MIN_SIDE, MAX_SIDE)
    except images.BadImage as exc:
        raise Problem(
            422,
            "invalid-image",
            "Invalid image",
            str(exc),
            errors=[{"field": "body", "message": str(exc)}],
        ) from exc
    async with state.db.write() as session:
        await avatars.replace(session, caller, Picture(declared, data))
        answer = await me_json(session, caller)
    return reply(answer)


@handles(routes, api.DELETE_AVATAR)
async def delete_avatar(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.write() as session:
        caller = await authenticate(request, session)
        await avatars.replace(session, caller, None)
        answer = await me_json(session, caller)
    return reply(answer)


@handles(routes, api.USER_AVATAR)
async def user_avatar(request: web.Request) -> web.Response:
    return await _serve(request, AccountKind.CLIENT)


@handles(routes, api.SPECIALIST_AVATAR)
async def specialist_avatar(request: web.Request) -> web.Response:
    return await _serve(request, AccountKind.SPECIALIST)


async def _serve(request: web.Request, kind: AccountKind) -> web.Response:
    """The picture; 404 alike when there is none, it is not the asked version (``v``) or the
    caller may not see it."""
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        if kind is AccountKind.CLIENT:
            asked = params(request, api.USER_AVATAR, UserAvatarQuery)
            owner_id, wanted = asked.user_id, asked.v
        else:
            of = params(request, api.SPECIALIST_AVATAR, SpecialistAvatarQuery)
            owner_id, wanted = of.specialist_id, of.v
        if not await avatars.may_see(session, caller, kind, owner_id):
            raise not_found("avatar")
        picture = await avatars.stored(session, kind, owner_id)
    if picture is None or wanted not in (None, picture.version):
        raise not_found("avatar")
    etag = f'"{picture.version}"'
    headers = {**SERVED_HEADERS, "ETag": etag}
    matches = _etags(request.headers.get("If-None-Match", ""))
    if etag in matches or "*" in matches:
        return web.Response(status=304, headers=headers)
    return web.Response(body=picture.data, content_type=picture.content_type, headers=headers)


def _etags(header: str) -> set[str]:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tags - {""}
