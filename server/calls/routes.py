"""Call records: the specialist's client reports a call ringing, answered and ended.

Who may see a call: the specialists serving its line and its user (else 404, as every
object). Every change is one write transaction under the row's lock with its event
(``call.updated``) in the same transaction. An incoming call rung at several specialists is
one record (by sip_call_id); the first to report it answered takes it (the others get 409).
"""

from __future__ import annotations

from collections.abc import Awaitable

from aiohttp import web
from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import calls as wire
from contract import calls_ops as ops
from contract.chats import ChatPath
from contract.operation import Operation
from contract.tickets import Opener
from server.auth.access import (
    sees_users_own,
    served_line,
    specialist_and_body,
    specialists_only,
    visible_chat,
)
from server.auth.tokens import Caller
from server.calls import present
from server.calls.ending import told
from server.calls.models import CallRecord
from server.calls.ringing import decided_once, ring_targets
from server.core.models import Line, utcnow
from server.core.problems import conflict, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, one_of, params, reply
from server.tickets.contact import ticket_for_contact

routes = web.RouteTableDef()
S = wire.CallState
R = wire.CallResult


async def visible_call(session: AsyncSession, caller: Caller, call_id: int) -> CallRecord:
    row = await session.get(CallRecord, call_id)
    if row is None or not await sees_users_own(session, caller, row.line_id, row.user_id):
        raise not_found("call")
    return row


async def publish(session: AsyncSession, row: CallRecord) -> wire.CallRecord:
    company_id = await session.scalar(select(Line.company_id).where(Line.id == row.line_id))
    assert company_id is not None
    return await session.run_sync(told, row, company_id)


@handles(routes, ops.CREATE)
async def create(request: web.Request) -> web.Response:
    caller, new = await specialist_and_body(request, wire.NewCall)
    async with state_of(request).db.write() as session:
        line = await served_line(session, caller, new.line_id)
        known = await session.scalar(
            select(CallRecord).where(
                CallRecord.line_id == line.id, CallRecord.sip_call_id == new.sip_call_id
            )
        )
        if known is not None:
            if known.user_id != new.user_id:
                raise conflict("this call is another user's")
            return reply(present.record(known), 200)
        ticket = await ticket_for_contact(session, line, new.user_id, caller.id, Opener.CALL)
        outgoing = new.direction is wire.CallDirection.OUTGOING
        row = CallRecord(
            line_id=line.id,
            user_id=new.user_id,
            chat_id=ticket.chat_id,
            ticket_id=ticket.id,
            specialist_id=caller.id if outgoing else None,
            sip_call_id=new.sip_call_id,
            direction=new.direction,
            state=S.RINGING,
            ringing_at=utcnow(),
        )
        session.add(row)
        answer = await publish(session, row)
    return reply(answer, 201)


@handles(routes, ops.GET)
async def get(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        call_id = params(request, ops.GET, wire.CallPath).call_id
        return reply(present.record(await visible_call(session, caller, call_id)))


async def _visible_id(request: web.Request, op: Operation) -> tuple[Caller, int]:
    """The caller and a call they may see, before the body is read (401 before 400)."""
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        call_id = params(request, op, wire.CallPath).call_id
        await visible_call(session, caller, call_id)
    return caller, call_id


@handles(routes, ops.REPORT)
async def report(request: web.Request) -> web.Response:
    caller, call_id = await _visible_id(request, ops.REPORT)
    given: wire.CallReport = await one_of(request, wire.CallReport)
    async with state_of(request).db.write() as session:
        row = await session.get_one(CallRecord, call_id, with_for_update=True)
        if row.specialist_id is not None and row.specialist_id != caller.id:
            raise conflict("another specialist has this call")
        now = utcnow()
        if isinstance(given, wire.CallAnswered):
            if row.state is not S.RINGING:
                raise conflict(f"the call is {row.state.value}")
            row.state, row.answered_at, row.specialist_id = S.ANSWERED, now, caller.id
        else:
            if row.state is S.ENDED:
                raise conflict("the call has ended")
            result = given.result
            if row.state is S.ANSWERED:
                result = R.FAILED if result is R.FAILED else R.ANSWERED
            elif result is R.ANSWERED:
                raise conflict("the call was not answered")
            row.state, row.result, row.ended_at = S.ENDED, result, now
            row.reason = None if given.reason is UNSET else given.reason
        answer = await publish(session, row)
    return reply(answer)


@handles(routes, ops.COMMENT)
async def comment(request: web.Request) -> web.Response:
    caller, call_id = await _visible_id(request, ops.COMMENT)
    given = await body(request, wire.CallComment)
    async with state_of(request).db.write() as session:
        row = await session.get_one(CallRecord, call_id, with_for_update=True)
        if row.specialist_id != caller.id:
            raise not_found("call")
        if row.state is not S.ENDED:
            raise conflict("the call has not ended")
        row.comment = given.comment.strip() or None
        answer = await publish(session, row)
    return reply(answer)


@handles(routes, ops.RING)
async def ring(request: web.Request) -> web.Response:
    db = state_of(request).db
    asked_once = "call_id" in request.query  # a decision kept: a write
    async with db.write() if asked_once else db.read() as session:
        caller = await authenticate(request, session)
        asked = params(request, ops.RING, wire.RingQuery)
        await served_line(session, caller, asked.line_id)

        def decide() -> Awaitable[list[int]]:
            return ring_targets(session, caller.id, asked.line_id, asked.address)

        if asked.call_id is None:
            ids = await decide()
        else:
            ids = await decided_once(session, asked.line_id, asked.call_id, decide)
    return reply(wire.RingTargets(line_id=asked.line_id, specialist_ids=ids, count=len(ids)))


@handles(routes, ops.OF_CHAT)
async def of_chat(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        chat_id = params(request, ops.OF_CHAT, ChatPath).chat_id
        await visible_chat(session, caller, chat_id)
        rows = await session.scalars(
            select(CallRecord).where(CallRecord.chat_id == chat_id).order_by(CallRecord.id)
        )
        items = [present.record(row) for row in rows]
    return reply(wire.CallRecords(items))
