"""Login, logout, me, status, colleagues."""

from __future__ import annotations

from aiohttp import WSCloseCode, web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.access import specialists_only
from server.auth.passwords import check_password
from server.auth.tokens import Caller, account_by_login, bearer, issue_token, revoke, token_hash
from server.core import present
from server.core.bodies import Field, json_body
from server.core.models import ClientUser, Company, Specialist, SpecialistStatus
from server.core.present import Json
from server.core.problems import Problem, field_error
from server.core.state import authenticate, state_of
from server.events import log as eventlog

routes = web.RouteTableDef()
LOGIN_FIELDS = {"login": Field(str), "password": Field(str)}
STATUS_FIELDS = {"status": Field(str)}


@routes.post("/api/v1/auth/login")
async def login(request: web.Request) -> web.Response:
    state = state_of(request)
    body = await json_body(request, LOGIN_FIELDS)
    keys = state.throttle.keys(body["login"], request.remote)
    state.throttle.check(keys)
    async with state.db.read() as session:
        found = await account_by_login(session, body["login"])
    stored_hash = found[1] if found else None
    ok, new_hash = await check_password(stored_hash, body["password"])
    if not ok or found is None:
        state.throttle.failed(keys)
        raise Problem(401, "bad-credentials", "Unauthorized", "wrong login or password")
    caller = found[0]
    async with state.db.write() as session:
        if new_hash is not None:
            account: Specialist | ClientUser = (
                await session.get_one(Specialist, caller.id)
                if caller.is_specialist
                else await session.get_one(ClientUser, caller.id)
            )
            if account.password_hash == stored_hash:  # not changed meanwhile
                account.password_hash = new_hash
        token, expires_at = await issue_token(session, caller, state.settings.token_ttl)
    return web.json_response(
        {
            "token": token,
            "expires_at": present.iso(expires_at),
            "account": {"kind": caller.kind.value, "id": caller.id},
        }
    )


@routes.post("/api/v1/auth/logout")
async def logout(request: web.Request) -> web.Response:
    state = state_of(request)
    token = bearer(request)
    async with state.db.write() as session:
        await authenticate(request, session)
        await revoke(session, token)
    # Signing out ends the token's event streams too (other processes notice on recheck).
    for ws in list(state.sockets_of_token.pop(token_hash(token), ())):
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"signed out")
    return web.Response(status=204)


async def me_json(session: AsyncSession, caller: Caller) -> Json:
    if caller.is_specialist:
        specialist = await session.get_one(Specialist, caller.id)
        company = await session.get_one(Company, specialist.company_id)
        return {
            **present.person(specialist, specialist.id),
            "kind": caller.kind.value,
            "status": specialist.status.value,
            "company": {"id": company.id, "name": company.name},
        }
    user = await session.get_one(ClientUser, caller.id)
    company_json = None
    if user.company_id is not None:
        company = await session.get_one(Company, user.company_id)
        company_json = {"id": company.id, "name": company.name}
    return {**present.person(user, user.id), "kind": caller.kind.value, "company": company_json}


@routes.get("/api/v1/me")
async def me(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        return web.json_response(await me_json(session, caller))


@routes.put("/api/v1/me/status")
async def set_status(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
    specialists_only(caller)
    body = await json_body(request, STATUS_FIELDS)
    try:
        status = SpecialistStatus(body["status"])
    except ValueError as exc:
        allowed = ", ".join(s.value for s in SpecialistStatus)
        raise field_error("status", f"must be one of {allowed}") from exc
    async with state.db.write() as session:
        specialist = await session.get_one(Specialist, caller.id)
        if specialist.status is not status:
            specialist.status = status
            await eventlog.append(
                session,
                specialist.company_id,
                "specialist.status",
                {"id": specialist.id, "status": status.value},
            )
            await _colleague_rows_updated(session, specialist)
        await session.flush()
        answer = await me_json(session, caller)
    return web.json_response(answer)


async def _colleague_rows_updated(session: AsyncSession, specialist: Specialist) -> None:
    """Where the specialist is also a user of a line (a colleague), their row's status changed."""
    colleague_rows = await session.scalars(
        select(ClientUser.id).where(ClientUser.specialist_id == specialist.id)
    )
    await eventlog.user_rows_updated(
        session, {user_id: {"status": specialist.status.value} for user_id in colleague_rows}
    )


@routes.get("/api/v1/colleagues")
async def colleagues(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        me_row = await session.get_one(Specialist, caller.id)
        rows = await session.scalars(
            select(Specialist)
            .where(Specialist.company_id == me_row.company_id, Specialist.id != caller.id)
            .order_by(Specialist.last_name, Specialist.first_name, Specialist.id)
        )
        items = [
            {
                "id": s.id,
                "full_name": s.full_name,
                "status": s.status.value,
                "avatar_url": s.avatar_url,
            }
            for s in rows
        ]
    return web.json_response({"items": items})
