"""PUT /me/profile: a person changes their position, e-mail or phone.

One write transaction: the caller's row (a specialist's, and the client-user rows that
mirror them as a colleague on some line) and the events of it — ``specialist.updated`` for
their company's specialists (their own other sessions too), ``user.updated`` on every line
where the person is a user. An e-mail address is checked with `email-validator` (the
syntax of RFC 5322/6531 with internationalised domains, no DNS lookup: an address is
offered, not delivered to) and stored as it normalises it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from email_validator import EmailNotValidError, validate_email
from msgspec import UNSET
from sqlalchemy import select

from contract import profile as wire
from contract import profile_ops as ops
from server.auth.routes import me_json
from server.core.models import ClientUser, Specialist
from server.core.problems import field_error
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, reply
from server.events import log as eventlog
from server.profile.announce import specialist_updated

routes = web.RouteTableDef()
FIELDS = ("position", "email", "phone")


def changes_of(change: wire.ProfileChange) -> dict[str, str | None]:
    """The fields to set ("" → None), the e-mail normalised; 400 naming a bad one."""
    out: dict[str, str | None] = {}
    for name in FIELDS:
        value = getattr(change, name)
        if value is UNSET:
            continue
        if name == "email" and value.strip() != value and value.strip():
            # the schema's address has none (format: email); the window strips them
            raise field_error("email", "an address has no spaces around it")
        value = value.strip()
        if name == "email" and value:
            try:
                value = validate_email(value, check_deliverability=False).normalized
            except EmailNotValidError as exc:
                raise field_error("email", str(exc)) from exc
        out[name] = value or None
    return out


@handles(routes, ops.UPDATE)
async def update(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
    fields = changes_of(await body(request, wire.ProfileChange))
    async with state.db.write() as session:
        rows: list[Specialist | ClientUser]
        if caller.is_specialist:
            specialist = await session.get_one(Specialist, caller.id, with_for_update=True)
            mirrors = await session.scalars(
                select(ClientUser)
                .where(ClientUser.specialist_id == caller.id)
                .order_by(ClientUser.id)
                .with_for_update()
            )
            rows = [specialist, *mirrors]
        else:
            rows = [await session.get_one(ClientUser, caller.id, with_for_update=True)]
        changed_rows: dict[int, dict[str, Any]] = {}
        changed_me = False
        for row in rows:
            diff = {k: v for k, v in fields.items() if getattr(row, k) != v}
            for name, value in diff.items():
                setattr(row, name, value)
            if isinstance(row, Specialist):
                changed_me = bool(diff)
            elif shown := {k: v for k, v in diff.items() if k != "phone"}:  # a row's fields
                changed_rows[row.id] = shown
        await session.flush()
        if changed_me:
            await specialist_updated(session, rows[0])  # type: ignore[arg-type]
        await eventlog.user_rows_updated(session, changed_rows)
        answer = await me_json(session, caller)
    return reply(answer)
