"""The tickets' routes: start work, take, finish, transfer, rate, comment, a line's load.

Every ticket is checked against the caller's lines (``server.auth.access``) before
anything, and again inside the write transaction, where each change is decided on the
locked row: a refusal changes nothing."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contract import chats as wire
from contract import tickets as tw
from contract import tickets_ops as ops
from contract.clients import LinePath
from server.auth.access import (
    served_line,
    served_line_ids_sync,
    specialists_only,
    visible_chat,
    visible_ticket,
)
from server.auth.tokens import Caller
from server.clients.disconnected import refuse_if_disconnected
from server.core import present
from server.core.models import (
    Chat,
    Line,
    LineSpecialist,
    Specialist,
    Ticket,
    TicketState,
    utcnow,
)
from server.core.models import (
    SpecialistStatus as Status,
)
from server.core.problems import Problem, field_error, forbidden, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, params, reply
from server.tickets import lifecycle, retry, routing, tiers
from server.tickets.models import DEFAULT_CAPACITY, Rating, RoutingSettings
from server.tickets.moves import colleague_on, move_to_line, move_to_tier
from server.tickets.steps import (
    announce,
    comment_of,
    for_the_user,
    for_user,
    present_steps,
    record,
    steps_of_chat,
)

routes = web.RouteTableDef()


def closed() -> Problem:
    return Problem(409, "ticket-closed", "Ticket closed", "the ticket is already finished")


def held_by_colleague() -> Problem:
    return Problem(409, "held-by-colleague", "Held by a colleague", "a colleague holds this ticket")


def is_supervisor(session: Session, specialist_id: int) -> bool:
    return bool(
        session.scalar(
            select(RoutingSettings.supervisor).where(RoutingSettings.specialist_id == specialist_id)
        )
    )


def company_of_line(session: Session, line_id: int) -> int:
    return int(session.scalar(select(Line.company_id).where(Line.id == line_id)) or 0)


def locked_ticket(session: Session, ticket_id: int, caller: Caller) -> Ticket:
    """The ticket, locked, and seen again on the locked row: one moved meanwhile to a line a
    specialist does not serve is not theirs to change (404, as it would be now to the read
    before); a user's is checked by the route (only its own user rates it)."""
    ticket = session.scalars(
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise not_found("ticket")
    if caller.is_specialist and ticket.line_id not in served_line_ids_sync(session, caller.id):
        raise not_found("ticket")
    return ticket


async def _caller_and_ticket(request: web.Request) -> tuple[Caller, int]:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        ticket_id = params(request, ops.TAKE, wire.TicketPath).ticket_id
        await visible_ticket(session, caller, ticket_id)
    return caller, ticket_id


@handles(routes, ops.TAKE)
async def take(request: web.Request) -> web.Response:
    caller, ticket_id = await _caller_and_ticket(request)

    def change(session: Session) -> wire.Ticket:
        ticket = locked_ticket(session, ticket_id, caller)
        if ticket.state is not TicketState.OPEN:
            raise closed()
        before = ticket.specialist_id
        if before == caller.id:
            return present.ticket(ticket)
        if before is not None and not is_supervisor(session, caller.id):
            raise held_by_colleague()
        company_id = company_of_line(session, ticket.line_id)
        for sid in sorted({caller.id} if before is None else {before, caller.id}):
            routing.lock_specialist(session, sid)  # one order: no two takes wait in a circle
        routing.give(session, ticket, caller.id)
        record(
            session, ticket, tw.StepKind.TAKEN, specialist_id=caller.id, from_specialist_id=before
        )
        session.flush()
        answer = present.ticket(ticket)
        if before is not None:
            lifecycle.given_from_queue(session, company_id, before)
        lifecycle.publish(session, company_id, "ticket.updated", ticket)
        announce(session, company_id)
        return answer

    return reply(await retry.transact(state_of(request).db, change))


@handles(routes, ops.FINISH)
async def finish(request: web.Request) -> web.Response:
    caller, ticket_id = await _caller_and_ticket(request)

    def change(session: Session) -> wire.Ticket:
        ticket = locked_ticket(session, ticket_id, caller)
        if ticket.state is not TicketState.OPEN:
            raise closed()
        if ticket.specialist_id != caller.id and not is_supervisor(session, caller.id):
            raise (
                held_by_colleague()
                if ticket.specialist_id
                else Problem(409, "not-taken", "Not taken", "take the ticket before finishing it")
            )
        return lifecycle.finish_locked(
            session, ticket, caller.id, company_of_line(session, ticket.line_id)
        )

    return reply(await retry.transact(state_of(request).db, change))


@handles(routes, ops.START)
async def start(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        chat_id = params(request, ops.START, wire.ChatPath).chat_id
        if (await visible_chat(session, caller, chat_id)).user_id is None:
            raise Problem(409, "group-chat", "A group chat", "a group's chat has no tickets")

    def change(session: Session) -> wire.Ticket:
        chat = session.get_one(Chat, chat_id, with_for_update=True)
        refuse_if_disconnected(session, chat.line_id, chat.user_id, by_the_user=False)
        company_id = company_of_line(session, chat.line_id)
        ticket = lifecycle.open_ticket_of(session, chat)
        if ticket is None:
            ticket = lifecycle.open_ticket(session, chat, company_id, tw.Opener.START, caller.id)
        elif ticket.specialist_id is None:
            routing.lock_specialist(session, caller.id)
            routing.give(session, ticket, caller.id)
            record(session, ticket, tw.StepKind.TAKEN, specialist_id=caller.id)
            session.flush()
            lifecycle.publish(session, company_id, "ticket.updated", ticket)
        elif ticket.specialist_id != caller.id:
            raise held_by_colleague()
        announce(session, company_id)
        return present.ticket(ticket)

    return reply(await retry.transact(state.db, change))


@handles(routes, ops.TRANSFER)
async def transfer(request: web.Request) -> web.Response:
    caller, ticket_id = await _caller_and_ticket(request)
    asked = await body(request, tw.TransferRequest)
    to = asked.specialist_id

    def change(session: Session) -> wire.Ticket:
        ticket = locked_ticket(session, ticket_id, caller)
        if ticket.state is not TicketState.OPEN:
            raise closed()
        before = ticket.specialist_id
        if before != caller.id and not is_supervisor(session, caller.id):
            raise held_by_colleague()
        if asked.tier is not None:
            if asked.line_id is not None and asked.line_id != ticket.line_id:
                raise Problem(
                    409,
                    "line-or-tier",
                    "Another line or a tier",
                    "to another line or to a tier of the ticket's line, not both",
                )
            return move_to_tier(session, ticket, asked.tier, to, asked.note.strip())
        if asked.line_id is not None and asked.line_id != ticket.line_id:
            return move_to_line(session, ticket, asked.line_id, to, asked.note.strip())
        if to is None and asked.line_id is None:
            raise field_error("specialist_id", "name the colleague (or another line, or a tier)")
        if to is None:  # the ticket's own line, and nobody named
            raise Problem(
                409, "on-this-line", "On this line", "the ticket is on that line: name a colleague"
            )
        why = "this colleague does not serve the ticket's line"
        colleague_on(session, company_of_line(session, ticket.line_id), ticket.line_id, to, why)
        if tiers.tiered(session, ticket.line_id) and tiers.tier_of_specialist(
            session, ticket.line_id, to
        ) is not tiers.tier_of_ticket(session, ticket.id):
            raise Problem(
                409,
                "other-tier",
                "At the other tier",
                "this colleague works at the other tier: transfer it there",
            )
        if to == before:
            raise Problem(409, "already-holds", "Already theirs", "the colleague holds it already")
        for sid in sorted({to} if before is None else {before, to}):
            status = routing.lock_specialist(session, sid)
            if sid == to and status is not Status.FREE:
                raise Problem(
                    409,
                    "not-free",
                    "Colleague not free",
                    f"the colleague is no longer Free ({status.value if status else '?'})",
                )
        company_id = company_of_line(session, ticket.line_id)
        routing.give(session, ticket, to)
        record(
            session,
            ticket,
            tw.StepKind.TRANSFERRED,
            specialist_id=to,
            from_specialist_id=before,
            note=asked.note.strip(),
        )
        session.flush()
        answer = present.ticket(ticket)
        if before is not None:
            lifecycle.given_from_queue(session, company_id, before)
        lifecycle.publish(session, company_id, "ticket.updated", ticket)
        announce(session, company_id)
        return answer

    return reply(await retry.transact(state_of(request).db, change))


@handles(routes, ops.COMMENT)
async def comment(request: web.Request) -> web.Response:
    caller, ticket_id = await _caller_and_ticket(request)  # a specialist of its line
    text = (await body(request, tw.CommentRequest)).text.strip()
    if not text:
        raise field_error("text", "write the comment: it is empty")

    def change(session: Session) -> tw.TicketStep:
        ticket = locked_ticket(session, ticket_id, caller)
        step = comment_of(session, ticket.id)
        if step is None or step.note != text:
            step = record(
                session, ticket, tw.StepKind.COMMENTED, specialist_id=caller.id, note=text
            )
            announce(session, company_of_line(session, ticket.line_id))
        return present_steps(session, [step])[0]

    return reply(await retry.transact(state_of(request).db, change))


@handles(routes, ops.RATE)
async def rate(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        if caller.is_specialist:
            raise forbidden("clients-only", "only the ticket's user rates it")
        ticket_id = params(request, ops.RATE, wire.TicketPath).ticket_id
    asked = await body(request, tw.RatingRequest)

    def change(session: Session) -> wire.Ticket:
        ticket = locked_ticket(session, ticket_id, caller)
        if ticket.user_id != caller.id:
            raise not_found("ticket")
        if ticket.state is not TicketState.CLOSED:
            raise Problem(409, "not-finished", "Not finished", "the ticket is still open")
        if session.get(Rating, ticket.id) is not None:
            raise Problem(409, "already-rated", "Already rated", "this ticket is rated already")
        comment = asked.comment.strip()
        session.add(
            Rating(ticket_id=ticket.id, score=asked.score, comment=comment, rated_at=utcnow())
        )
        record(session, ticket, tw.StepKind.RATED, note=comment, score=asked.score)
        announce(session, company_of_line(session, ticket.line_id))
        return present.ticket(ticket)

    return reply(await retry.transact(state.db, change))


@handles(routes, ops.LOAD)
async def load(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, ops.LOAD, LinePath).line_id
        await served_line(session, caller, line_id)
        answer = await session.run_sync(load_of, line_id)
    return reply(answer)


def load_of(session: Session, line_id: int) -> tw.LineLoad:
    rows = session.execute(
        select(Specialist, func.coalesce(RoutingSettings.capacity, DEFAULT_CAPACITY))
        .join(LineSpecialist, LineSpecialist.specialist_id == Specialist.id)
        .outerjoin(RoutingSettings, RoutingSettings.specialist_id == Specialist.id)
        .where(LineSpecialist.line_id == line_id)
        .order_by(Specialist.last_name, Specialist.first_name, Specialist.id)
    ).all()
    ids = [s.id for s, _ in rows]
    counts: dict[int | None, int] = dict(
        session.execute(
            select(Ticket.specialist_id, func.count())
            .where(Ticket.specialist_id.in_(ids), Ticket.state == TicketState.OPEN)
            .group_by(Ticket.specialist_id)
        ).all()
    )
    queued = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.line_id == line_id,
            Ticket.state == TicketState.OPEN,
            Ticket.specialist_id.is_(None),
        )
    )
    tiered = tiers.tiered(session, line_id)
    second = tiers.second_line_ids(session, line_id) if tiered else set()

    def tier(sid: int) -> tw.Tier | None:
        if not tiered:
            return None
        return tw.Tier.SECOND if sid in second else tw.Tier.FIRST

    return tw.LineLoad(
        [
            tw.SpecialistLoad(
                s.id,
                s.full_name,
                s.status,
                int(counts.get(s.id, 0)),
                int(cap),
                s.time_zone,
                tier(s.id),
            )
            for s, cap in rows
        ],
        int(queued or 0),
        tiered,
    )


@handles(routes, ops.STEPS)
async def steps(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        chat_id = params(request, ops.STEPS, wire.ChatPath).chat_id
        await visible_chat(session, caller, chat_id)
        found = await session.run_sync(steps_of_chat, chat_id)
    if not caller.is_specialist:  # a handover note, a comment: for the colleagues
        found = [for_user(step) for step in found if for_the_user(step)]
    return reply(tw.TicketSteps(found))
