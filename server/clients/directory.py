"""A line's directory (every user, compactly, for a client's local search) and rows by id.

A client shows a 100 000-user line without holding 100 000 rows: it takes the
directory once (id, chat id, last message time and search text of every user,
in the display order of ``GET /lines/{id}/users``) and fetches full rows only
for what it shows (``GET /lines/{id}/rows?ids=``).
"""

from __future__ import annotations

import functools
import json

from aiohttp import web
from sqlalchemy import and_, select

from server.auth.access import served_line
from server.clients.lines import connected
from server.core import present
from server.core.bodies import path_id
from server.core.models import Chat, ClientUser, LineUser, utcnow
from server.core.problems import field_error
from server.core.state import authenticate, state_of

routes = web.RouteTableDef()
MAX_IDS = 500
_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


@routes.get("/api/v1/lines/{line_id}/directory")
async def directory(request: web.Request) -> web.Response:
    line_id = path_id(request, "line_id")
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        await served_line(session, caller, line_id)
        base = (
            select(
                ClientUser.id,
                Chat.id,
                Chat.last_message_at,
                ClientUser.search_text,
                ClientUser.full_name,
            )
            .join(LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id))
            .outerjoin(Chat, and_(Chat.user_id == ClientUser.id, Chat.line_id == line_id))
            .where(connected(utcnow().date()))
        )
        active = await session.execute(
            base.where(Chat.last_message_at.is_not(None)).order_by(
                Chat.last_message_at.desc(), ClientUser.id.desc()
            )
        )
        found = list(active.tuples())
        rest = await session.execute(
            base.where(Chat.last_message_at.is_(None)).order_by(ClientUser.full_name, ClientUser.id)
        )
        found += rest.tuples()
    body = {
        "ids": [r[0] for r in found],
        "chat_ids": [r[1] for r in found],
        "last_message_at": [present.iso(r[2]) for r in found],
        "search": [r[3] if r[3] is not None else (r[4] or "").lower() for r in found],
    }
    return web.json_response(body, dumps=_dumps)


def _ids_param(request: web.Request) -> list[int]:
    raw = request.query.get("ids", "")
    parts = raw.split(",")
    if not raw or len(parts) > MAX_IDS:
        raise field_error("ids", f"1 to {MAX_IDS} comma-separated user ids")
    ids: list[int] = []
    for p in parts:
        if not (p.isascii() and p.isdigit() and len(p) <= 10 and 1 <= int(p) <= 2**31 - 1):
            raise field_error("ids", "must be positive integer ids")
        ids.append(int(p))
    return list(dict.fromkeys(ids))


@routes.get("/api/v1/lines/{line_id}/rows")
async def rows(request: web.Request) -> web.Response:
    line_id = path_id(request, "line_id")
    ids = _ids_param(request)
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        await served_line(session, caller, line_id)
        users = await session.scalars(
            select(ClientUser)
            .join(LineUser, and_(LineUser.user_id == ClientUser.id, LineUser.line_id == line_id))
            .where(connected(utcnow().date()), ClientUser.id.in_(ids))
        )
        by_id = {u.id: u for u in users}
        ordered = [by_id[i] for i in ids if i in by_id]
        items = await present.user_rows(session, line_id, ordered)
    return web.json_response({"items": items}, dumps=_dumps)
