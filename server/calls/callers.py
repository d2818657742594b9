"""Who is calling (GET /call-caller): the client users of the caller's lines whose login is
the SIP address's user part, or whose phone has the same number.

Phones are stored as people write them (``+7 (495) 123-45-67``, ``8 495 1234567``): they are
compared by their last ten digits (the country's trunk prefix is what varies), the
separators dropped in SQL so the database narrows the candidates, the match then confirmed
here. Only users of lines the specialist serves are looked at: a user of another line is
never named.
"""

from __future__ import annotations

import re

from aiohttp import web
from sqlalchemy import ColumnElement, String, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import calls as wire
from contract import calls_ops as ops
from server.auth.access import specialists_only
from server.clients.search import connected
from server.core.models import ClientUser as User
from server.core.models import Company, LineSpecialist, LineUser, utcnow
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()
MATCHES = 5
_USER_PART = re.compile(r"(?:sips?|tel):([^@;>?]+)", re.IGNORECASE)


def user_part(address: str) -> str:
    """`"Name" <sip:login@pbx>;tag=…` → `login`; `tel:+7-495-…` → `+7-495-…`; else as is."""
    found = _USER_PART.search(address)
    return (found.group(1) if found else address).strip()


def number_key(text: str) -> str:
    """The digits that identify a phone number (the last ten), or "" for fewer than 5."""
    digits = re.sub(r"\D", "", text)
    return digits[-10:] if len(digits) >= 5 else ""


def _bare_phone() -> ColumnElement[str]:
    bare: ColumnElement[str] = func.coalesce(User.phone, "")
    for mark in (" ", "-", "(", ")", "+", ".", "\u00a0"):
        bare = func.replace(bare, mark, "", type_=String)
    return bare


@handles(routes, ops.CALLER)
async def caller(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        me = await authenticate(request, session)
        specialists_only(me)
        address = params(request, ops.CALLER, wire.CallerQuery).address
        items = await matches(session, me.id, address)
    return reply(wire.CallerMatches(items))


async def matches(
    session: AsyncSession, specialist_id: int, address: str, line_id: int | None = None
) -> list[wire.CallerMatch]:
    """The client users of the specialist's lines (``line_id``: of that one) whose login is
    the address's user part or whose phone has its number; at most MATCHES."""
    login = user_part(address)
    key = number_key(login) if not re.search(r"[A-Za-z]", login) else ""
    who = [User.login == login]
    if key:
        who.append(_bare_phone().like(f"%{key}"))
    query = (
        select(User, LineUser.line_id, Company.name)
        .join(LineUser, LineUser.user_id == User.id)
        .join(
            LineSpecialist,
            and_(
                LineSpecialist.line_id == LineUser.line_id,
                LineSpecialist.specialist_id == specialist_id,
            ),
        )
        .outerjoin(Company, Company.id == User.company_id)
        .where(connected(utcnow().date()), or_(*who))
        .order_by(LineUser.line_id, User.id)
        .limit(MATCHES * 4)
    )
    if line_id is not None:
        query = query.where(LineUser.line_id == line_id)
    rows = await session.execute(query)
    items: list[wire.CallerMatch] = []
    seen: set[tuple[int, int]] = set()
    for user, on_line, company in rows:
        same = user.login == login or (key and number_key(user.phone or "") == key)
        if same and (user.id, on_line) not in seen and len(items) < MATCHES:
            seen.add((user.id, on_line))
            items.append(wire.CallerMatch(user.id, on_line, user.full_name, company))
    return items
