"""Remote sessions: a specialist asks, the user answers, the specialist's viewer reports.

Who may see a session: the specialists serving its line and its user (else 404, as every
object). Every change is one write transaction under the row's lock with its event
(``remote.updated``) in the same transaction. A request past its time-out is timed out by the
sweep, or by whoever touches it first, as is an accepted session that never connects
(expiry.py).
"""

from __future__ import annotations

from collections import defaultdict

from aiohttp import web
from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contract import remote as wire
from contract import remote_ops as ops
from contract.operation import Operation
from contract.tickets import MAX_NOTE, Opener, StepKind
from server.auth.access import sees_users_own, served_line, specialist_and_body, specialists_only
from server.auth.tokens import Caller
from server.clients.disconnected import refuse_if_disconnected_async
from server.core import present as core_present
from server.core.models import Line, Ticket, utcnow
from server.core.problems import conflict, field_error, forbidden, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, one_of, params, reply
from server.events import log as eventlog
from server.remote import present
from server.remote.expiry import end, expired, time_out
from server.remote.models import RemoteSession
from server.tickets.contact import ticket_for_contact
from server.tickets.steps import announce, record

routes = web.RouteTableDef()
S = wire.RemoteState

# what the specialist's viewer may report, from which states
_REPORTS: dict[S, frozenset[S]] = {
    S.ACCEPTED: frozenset({S.ACCEPTED}),  # a reverse viewer says where it listens
    S.CONNECTED: frozenset({S.ACCEPTED, S.CONNECTED}),
    S.ENDED: frozenset({S.REQUESTED, S.ACCEPTED, S.CONNECTED}),
    S.FAILED: frozenset({S.REQUESTED, S.ACCEPTED, S.CONNECTED}),
    S.TIMED_OUT: frozenset({S.REQUESTED, S.ACCEPTED}),
}


async def _visible(session: AsyncSession, caller: Caller, session_id: int) -> RemoteSession:
    row = await session.get(RemoteSession, session_id)
    if row is None or not await sees_users_own(session, caller, row.line_id, row.user_id):
        raise not_found("remote session")
    return row


async def _publish(session: AsyncSession, row: RemoteSession) -> wire.RemoteSession:
    await session.flush()
    answer = present.session(row)
    company_id = await session.scalar(select(Line.company_id).where(Line.id == row.line_id))
    assert company_id is not None
    await eventlog.append(
        session,
        company_id,
        "remote.updated",
        core_present.data(answer),
        line_id=row.line_id,
        chat_id=row.chat_id,
        user_id=row.user_id,
    )
    return answer


def _set_reach(row: RemoteSession, reach: wire.Reach | wire.ListeningReach) -> None:
    """What each way needs, its type has (``contract.remote``)."""
    row.reach_via, row.reach_host, row.reach_port = reach.via, reach.host, reach.port
    row.repeater_id = reach.repeater_id


async def _visible_id(request: web.Request, op: Operation) -> tuple[Caller, int]:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        session_id = params(request, op, wire.RemotePath).session_id
        await _visible(session, caller, session_id)
    return caller, session_id


@handles(routes, ops.CREATE)
async def create(request: web.Request) -> web.Response:
    caller, new = await specialist_and_body(request, wire.NewRemoteSession)
    async with state_of(request).db.write() as session:
        line = await served_line(session, caller, new.line_id)
        ticket = await ticket_for_contact(session, line, new.user_id, caller.id, Opener.REMOTE)
        by_password = new.mode is wire.RemoteMode.PASSWORD
        row = RemoteSession(
            line_id=line.id,
            user_id=new.user_id,
            chat_id=ticket.chat_id,
            ticket_id=ticket.id,
            specialist_id=caller.id,
            mode=new.mode,
            state=S.ACCEPTED if by_password else S.REQUESTED,
            requested_at=utcnow(),
        )
        if new.reach is not UNSET:
            _set_reach(row, new.reach)
        session.add(row)
        answer = await _publish(session, row)
    return reply(answer, 201)


@handles(routes, ops.GET)
async def get(request: web.Request) -> web.Response:
    _caller, session_id = await _visible_id(request, ops.GET)
    async with state_of(request).db.write() as session:
        row = await session.get_one(RemoteSession, session_id, with_for_update=True)
        now = utcnow()
        if expired(row, now):
            time_out(row, now)
            return reply(await _publish(session, row))
        return reply(present.session(row))


@handles(routes, ops.LIVE)
async def live(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        mine = (
            RemoteSession.specialist_id == caller.id
            if caller.is_specialist
            else RemoteSession.user_id == caller.id
        )
        rows = await session.scalars(
            select(RemoteSession)
            .where(mine, RemoteSession.state.in_([S.REQUESTED, S.ACCEPTED, S.CONNECTED]))
            .order_by(RemoteSession.id)
        )
        now = utcnow()
        items = [present.session(r) for r in rows if not expired(r, now)]
    return reply(wire.RemoteSessions(items))


@handles(routes, ops.ANSWER)
async def answer(request: web.Request) -> web.Response:
    caller, session_id = await _visible_id(request, ops.ANSWER)
    if caller.is_specialist:
        raise forbidden("users-only", "only the session's user answers")
    given = await body(request, wire.RemoteAnswer)
    async with state_of(request).db.write() as session:
        row = await session.get_one(RemoteSession, session_id, with_for_update=True)
        now = utcnow()
        if expired(row, now):
            time_out(row, now)
            await _publish(session, row)
            timed_out = True
        else:
            timed_out = False
            if given.accept:  # asked before: not taken now (ended at the disconnection)
                await refuse_if_disconnected_async(  # a connection that ended: still theirs
                    session, row.line_id, row.user_id, by_the_user=True, ended_too=False
                )
            if row.state is not S.REQUESTED:
                raise conflict(f"the session is {row.state.value}")
            if given.accept:
                if given.reach is UNSET:
                    raise field_error("reach", "an acceptance says how to reach the host")
                _set_reach(row, given.reach)
                row.state = S.ACCEPTED
            else:
                end(row, S.DECLINED, None, now)
            result = await _publish(session, row)
    if timed_out:  # committed above; the answer came too late
        raise conflict("the request has timed out")
    return reply(result)


@handles(routes, ops.REPORT)
async def report(request: web.Request) -> web.Response:
    caller, session_id = await _visible_id(request, ops.REPORT)
    specialists_only(caller)
    given: wire.RemoteReport = await one_of(request, wire.RemoteReport)
    allowed = _REPORTS[given.state]
    async with state_of(request).db.write() as session:
        row = await session.get_one(RemoteSession, session_id, with_for_update=True)
        if row.specialist_id != caller.id:
            raise not_found("remote session")
        if row.state not in allowed:
            raise conflict(f"the session is {row.state.value}")
        now = utcnow()
        if isinstance(given, wire.ReportAccepted):
            if row.reach_via is not wire.Via.REVERSE:
                raise conflict("the session is not reverse")
            _set_reach(row, given.listening)
        elif isinstance(given, wire.ReportConnected):
            if row.state is not S.CONNECTED:
                row.state, row.connected_at = S.CONNECTED, now
        else:
            end(row, given.state, None if given.reason is UNSET else given.reason, now)
        result = await _publish(session, row)
    return reply(result)


@handles(routes, ops.COMMENT)
async def comment(request: web.Request) -> web.Response:
    caller, session_id = await _visible_id(request, ops.COMMENT)
    specialists_only(caller)
    given = await body(request, wire.RemoteComment)
    async with state_of(request).db.write() as session:
        row = await session.get_one(RemoteSession, session_id, with_for_update=True)
        if row.specialist_id != caller.id:
            raise not_found("remote session")
        if row.state not in wire.FINAL_STATES:
            raise conflict("the session has not ended")
        row.comment = given.comment.strip() or None
        result = await _publish(session, row)
        if row.comment:  # the chat's timeline shows it, as a step of the session's ticket
            await session.run_sync(lambda sync: _timeline(sync, row, caller.id))
    return reply(result)


def _timeline(sync: Session, row: RemoteSession, specialist_id: int) -> None:
    ticket = sync.get(Ticket, row.ticket_id)
    company_id = sync.scalar(select(Line.company_id).where(Line.id == row.line_id))
    if ticket is None or company_id is None:
        return
    note = (row.comment or "")[:MAX_NOTE]
    record(sync, ticket, StepKind.REMOTE_SESSION, specialist_id=specialist_id, note=note)
    announce(sync, company_id)


@handles(routes, ops.STATS)
async def stats(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, ops.STATS, wire.RemoteStatsQuery).line_id
        await served_line(session, caller, line_id)
        rows = await session.scalars(select(RemoteSession).where(RemoteSession.line_id == line_id))
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in rows:
            of = counts[row.specialist_id]
            of["sessions"] += 1
            if row.connected_at is not None:
                of["connected"] += 1
                end = row.ended_at or utcnow()
                of["seconds"] += max(0, round((end - row.connected_at).total_seconds()))
            if row.state in (S.DECLINED, S.TIMED_OUT, S.FAILED):
                of[row.state.value] += 1
    items = [
        wire.SpecialistRemoteStats(
            specialist_id=sid,
            sessions=c["sessions"],
            connected=c["connected"],
            declined=c["declined"],
            timed_out=c["timed_out"],
            failed=c["failed"],
            seconds=c["seconds"],
        )
        for sid, c in sorted(counts.items())
    ]
    return reply(wire.RemoteStats(line_id, items))
