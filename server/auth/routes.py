"""Login, logout, me, status, colleagues."""

from __future__ import annotations

import msgspec
from aiohttp import WSCloseCode, web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import accounts
from contract import routes as api
from contract.events import SpecialistStatus as StatusChanged
from server.auth.access import specialists_only
from server.auth.mobile import follow_sessions
from server.auth.passwords import check_password
from server.auth.tokens import Caller, account_by_login, bearer, issue_token, revoke, token_hash
from server.core import present
from server.core.installation import server_id
from server.core.models import ClientUser, Company, Specialist
from server.core.models import SpecialistStatus as Status
from server.core.problems import Problem
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, reply
from server.events import log as eventlog
from server.tickets.lifecycle import became_free

routes = web.RouteTableDef()


@handles(routes, api.LOGIN)
async def login(request: web.Request) -> web.Response:
    state = state_of(request)
    asked = await body(request, accounts.LoginRequest)
    keys = state.throttle.keys(asked.login, request.remote)
    state.throttle.check(keys)
    async with state.db.read() as session:
        found = await account_by_login(session, asked.login)
    stored_hash = found[1] if found else None
    ok, new_hash = await check_password(stored_hash, asked.password)
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
        mobile = asked.device is accounts.Device.MOBILE
        token, expires_at = await issue_token(
            session, caller, state.settings.token_ttl, mobile=mobile
        )
        if mobile:
            await follow_sessions(session, caller)
    return reply(
        accounts.LoginResponse(
            token, present.ms(expires_at), accounts.Account(caller.kind, caller.id)
        )
    )


@handles(routes, api.LOGOUT)
async def logout(request: web.Request) -> web.Response:
    state = state_of(request)
    token = bearer(request)
    async with state.db.write() as session:
        caller = await authenticate(request, session)
        if await revoke(session, token):
            await follow_sessions(session, caller)
    # Signing out ends the token's event streams too (other processes notice on recheck).
    for ws in list(state.sockets_of_token.pop(token_hash(token), ())):
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"signed out")
    return web.Response(status=204)


async def me_json(session: AsyncSession, caller: Caller) -> accounts.Me:
    server = await server_id(session)
    if caller.is_specialist:
        specialist = await session.get_one(Specialist, caller.id)
        company = await session.get_one(Company, specialist.company_id)
        found = present.me(specialist, specialist.id, caller.kind, company, specialist.status)
    else:
        user = await session.get_one(ClientUser, caller.id)
        company_row = None
        if user.company_id is not None:
            company_row = await session.get_one(Company, user.company_id)
        found = present.me(user, user.id, caller.kind, company_row)
    return msgspec.structs.replace(found, server=server)


@handles(routes, api.ME)
async def me(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        return reply(await me_json(session, caller))


@handles(routes, api.SET_STATUS)
async def set_status(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
    specialists_only(caller)
    status = (await body(request, accounts.StatusRequest)).status
    async with state.db.write() as session:
        specialist = await session.get_one(Specialist, caller.id)
        if specialist.status is not status:
            specialist.status = status
            await eventlog.append(
                session,
                specialist.company_id,
                "specialist.status",
                present.data(StatusChanged(specialist.id, status)),
            )
            await _colleague_rows_updated(session, specialist)
            if status is Status.FREE:  # takes the queue's oldest tickets up to capacity
                await session.run_sync(became_free, specialist.company_id, specialist.id)
        await session.flush()
        answer = await me_json(session, caller)
    return reply(answer)


async def _colleague_rows_updated(session: AsyncSession, specialist: Specialist) -> None:
    """Where the specialist is also a user of a line (a colleague), their row's status changed."""
    colleague_rows = await session.scalars(
        select(ClientUser.id).where(ClientUser.specialist_id == specialist.id)
    )
    await eventlog.user_rows_updated(
        session, {user_id: {"status": specialist.status.value} for user_id in colleague_rows}
    )


@handles(routes, api.COLLEAGUES)
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
            accounts.Colleague(s.id, s.full_name, s.status, s.avatar_url, extension=s.login)
            for s in rows
        ]
    return reply(accounts.Colleagues(items))
