"""Disconnecting a client user from a line, and restoring them (seed 004: "on a repeated
breach such users are disconnected from the support lines (ban, black list)"):
``PUT``/``DELETE /lines/{line_id}/users/{user_id}/disconnection``.

A specialist of the line disconnects, with the reason — with ``also_lines`` from those other
lines of the company (that they serve and the user is on) as well, in the same transaction
(the account blocked, seed 004); any specialist of the line restores (docs/tickets.md says why).
Disconnecting finishes the user's open ticket on the line with a step ``disconnected`` saying
why, ends their remote requests still waiting for an answer (``failed``: they can no longer
accept them), their remote sessions accepted or connected and their calls ringing or talking
(``ended``, each with the reason: the specialist's client closes the viewer, hangs up); from
then on :mod:`server.clients.disconnected` refuses everything of theirs on the line. Both are
told to the line's specialists as ``user.updated`` (``disconnected``), the row's field the card
shows too."""

from __future__ import annotations

import datetime as dt

import msgspec
from aiohttp import web
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contract import clients
from contract import disconnections as wire
from contract import disconnections_ops as ops
from contract.operation import Operation
from contract.remote import RemoteState
from contract.tickets import StepKind
from server.auth.access import served_line
from server.calls.ending import end_calls_of
from server.clients.disconnected import presented
from server.clients.models import Disconnection
from server.core.db import Database
from server.core.models import (
    Chat,
    ClientUser,
    Line,
    LineSpecialist,
    LineUser,
    Specialist,
    Ticket,
    utcnow,
)
from server.core.problems import Problem, not_found
from server.core.state import authenticate, state_of
from server.core.sweeps import Sweep
from server.core.wire import body, handles, params, reply
from server.events import log as eventlog
from server.remote.expiry import ended, unfinished_of
from server.tickets import lifecycle, retry, routing
from server.tickets.steps import announce, record

routes = web.RouteTableDef()
GONE = wire.GONE


async def _served(request: web.Request, op: Operation) -> tuple[int, int, int, int]:
    """The caller (a specialist of the line: else 403, or 404 as any other line's object),
    the line, the user and the line's company."""
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        path = params(request, op, clients.UserPath)
        line_id, user_id = msgspec.structs.astuple(path)
        line = await served_line(session, caller, line_id)
    return caller.id, line_id, user_id, line.company_id


def _locked_user(session: Session, line_id: int, user_id: int) -> Chat | None:
    """Lock the user's chat on the line (a send takes it first: a message is written before
    the disconnection or refused after it) and their connection; 404 when they are neither
    connected to the line nor have a chat there (another line's user, a made-up id)."""

    def their_chat() -> Chat | None:
        return session.scalars(
            select(Chat)
            .where(Chat.line_id == line_id, Chat.user_id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()

    chat = their_chat()
    link = session.scalars(
        select(LineUser)
        .where(LineUser.line_id == line_id, LineUser.user_id == user_id)
        .with_for_update()
    ).first()
    if chat is None and link is not None:
        # a first call or remote session makes the chat under the connection's share lock
        # (`connection_held`): waited for above, the chat it made (with its ticket) is here
        chat = their_chat()
    if chat is None and link is None:
        raise not_found("user")
    return chat


def _told(session: Session, company_id: int, line_id: int, user_id: int, data: object) -> None:
    """``user.updated`` to the line's specialists (the row's ``disconnected``)."""
    eventlog.append_sync(
        session,
        company_id,
        "user.updated",
        {"id": user_id, "disconnected": data},
        line_id=line_id,
    )


@handles(routes, ops.DISCONNECT)
async def disconnect(request: web.Request) -> web.Response:
    by, line_id, user_id, company_id = await _served(request, ops.DISCONNECT)
    asked = await body(request, wire.DisconnectRequest)
    reason, until = asked.reason.strip(), _until(asked.until)

    def change(session: Session) -> wire.Disconnection:
        lines = sorted({line_id, *asked.also_lines})
        for other in lines:
            if other != line_id and not _serves(session, by, other, company_id):
                raise not_found("line")
        # every line's chat and connection first, in id order (a send or a call of theirs on
        # any of them waits from here), then their open tickets, then those tickets' holders
        # in id order, as routing locks specialists: no circle with a writer of one line
        chats = {line: _locked_user(session, line, user_id) for line in lines}
        tickets = {
            line: None if chat is None else lifecycle.open_ticket_of(session, chat)
            for line, chat in chats.items()
        }
        holders = sorted({t.specialist_id for t in tickets.values() if t and t.specialist_id})
        for holder in holders:
            routing.lock_specialist(session, holder)
        done = {
            line: _disconnect_from(
                session, by, line, user_id, company_id, reason, until, tickets[line]
            )
            for line in lines
        }
        # the holders' freed places take the queues' oldest only now: one of the user's own
        # queued tickets on a later line would be given, then finished (this transaction's
        # locks do not make its own rows skipped)
        for holder in holders:
            lifecycle.given_from_queue(session, company_id, holder)
        announce(session, company_id)
        return done[line_id]

    return reply(await retry.transact(state_of(request).db, change))


def _serves(session: Session, by: int, line_id: int, company_id: int) -> bool:
    """Whether the specialist serves this line of the company."""
    return (
        session.scalar(
            select(LineSpecialist.line_id)
            .join(Line, Line.id == LineSpecialist.line_id)
            .where(
                LineSpecialist.line_id == line_id,
                LineSpecialist.specialist_id == by,
                Line.company_id == company_id,
            )
        )
        is not None
    )


def _disconnect_from(
    session: Session,
    by: int,
    line_id: int,
    user_id: int,
    company_id: int,
    reason: str,
    until: dt.datetime | None,
    ticket: Ticket | None,
) -> wire.Disconnection:
    """The user disconnected from one line, its chat locked and its open ticket (`ticket`)
    with its holder (one in force already: kept, as it is)."""
    by_name = session.get_one(Specialist, by).full_name
    known = session.get(  # locked: the sweep lifting it meanwhile skips it
        Disconnection, (line_id, user_id), with_for_update=True, populate_existing=True
    )
    if known is not None and (known.until is None or known.until > utcnow()):
        return presented(known, session.get_one(Specialist, known.by_id).full_name)
    if known is not None:  # its time is over, the sweep has not lifted it yet: a new one
        session.delete(known)
        session.flush()
    if session.scalar(select(ClientUser.specialist_id).where(ClientUser.id == user_id)):
        raise Problem(
            409, "colleague", "A colleague", "a colleague's own account is not disconnected"
        )
    now = utcnow()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as the API tells it
    row = Disconnection(
        line_id=line_id, user_id=user_id, by_id=by, at=at, reason=reason, until=until
    )
    session.add(row)
    session.flush()
    for remote in unfinished_of(session, line_id, user_id):  # asked: they cannot answer
        state = RemoteState.FAILED if remote.state is RemoteState.REQUESTED else RemoteState.ENDED
        ended(session, remote, state, GONE, company_id, now)
    end_calls_of(session, line_id, user_id, company_id, GONE, now)
    if ticket is not None:
        record(session, ticket, StepKind.DISCONNECTED, specialist_id=by, note=reason)
        lifecycle.finish_locked(session, ticket, by, company_id, drain=False)  # its events
    answer = presented(row, by_name)
    _told(session, company_id, line_id, user_id, msgspec.to_builtins(answer))
    return answer


def _until(asked: dt.datetime | None) -> dt.datetime | None:
    """A disconnection's end (to the millisecond, as the API gives instants), None: until
    restored. Against the server's clock, so 409 (the schema cannot say it): not over
    already, at most ``MAX_FOR_DAYS`` on."""
    if asked is None:
        return None
    now = utcnow()  # compared before it is converted: the calendar's edges overflow in UTC
    if asked <= now:
        raise Problem(409, "until-past", "Over already", "the time chosen is over already")
    if asked > now + dt.timedelta(days=wire.MAX_FOR_DAYS):
        raise Problem(
            409,
            "until-too-far",
            "Too far",
            f"a disconnection for a time ends within {wire.MAX_FOR_DAYS} days;"
            " longer is until restored",
        )
    asked = asked.astimezone(dt.UTC)
    asked = asked.replace(microsecond=asked.microsecond // 1000 * 1000)
    if asked <= now:  # less than a millisecond on: over once kept to the millisecond
        raise Problem(409, "until-past", "Over already", "the time chosen is over already")
    return asked


@handles(routes, ops.RESTORE)
async def restore(request: web.Request) -> web.Response:
    _by, line_id, user_id, company_id = await _served(request, ops.RESTORE)

    def change(session: Session) -> None:
        _locked_user(session, line_id, user_id)
        gone = session.execute(
            delete(Disconnection).where(
                Disconnection.line_id == line_id, Disconnection.user_id == user_id
            )
        )
        if gone.rowcount:  # type: ignore[attr-defined]
            _told(session, company_id, line_id, user_id, None)

    await retry.transact(state_of(request).db, change)
    return web.Response(status=204)


def lift_expired(session: Session) -> int:
    """Lift the disconnections whose time is over, each told to the line's specialists (a
    row locked by someone restoring or disconnecting them right now: the next turn's)."""
    rows = session.execute(
        select(Disconnection, Line.company_id)
        .join(Line, Line.id == Disconnection.line_id)
        .where(Disconnection.until <= utcnow())
        .order_by(Disconnection.line_id, Disconnection.user_id)
        .with_for_update(of=Disconnection, skip_locked=True)
    ).all()
    for row, company_id in rows:
        session.delete(row)
        _told(session, int(company_id), row.line_id, row.user_id, None)
    return len(rows)


async def _lift(db: Database) -> int:
    return await db.transact(lift_expired)


SWEEP = Sweep("disconnections' end", _lift)
