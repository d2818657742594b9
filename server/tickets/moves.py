"""A ticket transferred to another line of the serving company (seed 001): the user must be
connected to it (their chat there, the connection not expired), and have no open ticket
there already. The ticket moves to that chat; a Free colleague of that line named takes
it, else it is routed there (a holder, or that line's queue). Both chats get the step;
the event concerns both lines.

Or, on a vendor line whose company holds the first-line right, to its other tier
(:func:`move_to_tier`): the vendor's second line, or back to the first."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contract import chats as wire
from contract import tickets as tw
from server.clients.disconnected import refuse_if_disconnected
from server.core import present
from server.core.models import (
    Chat,
    Line,
    LineSpecialist,
    LineUser,
    Specialist,
    Ticket,
    TicketState,
    utcnow,
)
from server.core.models import SpecialistStatus as Status
from server.core.problems import Problem, missing
from server.tickets import lifecycle, routing, tiers
from server.tickets.steps import announce, record


def colleague_on(
    session: Session, company_id: int | None, line_id: int, to: int, why_not: str
) -> None:
    """``to`` is a colleague (of the line's company: else 404 naming ``specialist_id``) who
    serves the line (else 409 ``not-on-line`` saying ``why_not``)."""
    company = session.scalar(select(Specialist.company_id).where(Specialist.id == to))
    if company is None or company != company_id:
        raise missing("specialist_id", "no such colleague")
    serves = session.scalar(
        select(LineSpecialist.specialist_id).where(
            LineSpecialist.line_id == line_id, LineSpecialist.specialist_id == to
        )
    )
    if serves is None:
        raise Problem(409, "not-on-line", "Not on that line", why_not)


def _lock_holders(session: Session, line_id: int, before: int | None, to: int | None) -> None:
    """Lock the old holder and the colleague named (still Free, else 409). Nobody named (the
    ticket routed there): every specialist of the line too, with the old holder, in one order,
    so the decision that follows waits for nobody this transaction does not hold already
    (docs/tickets.md)."""
    held = sorted({s for s in (before, to) if s is not None})
    if to is None:
        routing.lock_line_specialists(session, line_id, also=held)
        return
    for sid in held:
        status = routing.lock_specialist(session, sid)
        if sid == to and status is not Status.FREE:
            raise Problem(409, "not-free", "Colleague not free", "the colleague is not Free")


def move_to_line(
    session: Session, ticket: Ticket, line_id: int, to: int | None, note: str
) -> wire.Ticket:
    """``ticket`` is locked, open, and the caller may hand it on."""
    old_line = session.get_one(Line, ticket.line_id)
    line = session.get(Line, line_id)
    if line is None or line.company_id != old_line.company_id:
        raise missing("line_id", "no such line of this company")
    connected = session.scalar(
        select(LineUser.user_id).where(
            LineUser.line_id == line_id,
            LineUser.user_id == ticket.user_id,
            or_(LineUser.until.is_(None), LineUser.until >= utcnow().date()),  # as connected(),
        )
    )
    chat = session.scalar(  # locked: no message of the user opens a ticket there meanwhile
        select(Chat)
        .where(Chat.line_id == line_id, Chat.user_id == ticket.user_id)
        .with_for_update()
    )
    if connected is None or chat is None:
        raise Problem(
            409, "not-connected", "User not on that line", "the user is not connected to it"
        )
    refuse_if_disconnected(session, line_id, ticket.user_id, by_the_user=False)
    there = session.scalar(
        select(Ticket.id).where(Ticket.chat_id == chat.id, Ticket.state == TicketState.OPEN)
    )
    if there is not None:
        raise Problem(
            409, "open-there", "Open there already", "the user has an open ticket on that line"
        )
    before = ticket.specialist_id
    routing.lock_line(session, line_id)
    if to is not None:
        why = "this colleague does not serve that line"
        colleague_on(session, line.company_id, line_id, to, why)
    _lock_holders(session, line_id, before, to)
    record(
        session,
        ticket,
        tw.StepKind.TRANSFERRED,
        specialist_id=to,
        from_specialist_id=before,
        note=note,
        line_id=line_id,
    )
    ticket.line_id, ticket.chat_id, ticket.specialist_id = line_id, chat.id, None
    tiers.clear(session, ticket)  # a new line: its first line, unless its holder is not
    session.flush()
    holder = to if to is not None else routing.choose(session, ticket)
    if holder is not None:
        routing.give(session, ticket, holder)
    record(
        session,
        ticket,
        tw.StepKind.TRANSFERRED,
        specialist_id=holder,
        from_specialist_id=before,
        note=note,
        line_id=line_id,
    )
    session.flush()
    answer = present.ticket(ticket)
    if before is not None:
        lifecycle.given_from_queue(session, line.company_id, before)
    lifecycle.publish(
        session, line.company_id, "ticket.updated", ticket, also_line_ids=[old_line.id]
    )
    announce(session, line.company_id)
    return answer


TIER_NAMES = {tw.Tier.FIRST: "the first line", tw.Tier.SECOND: "the second line (the vendor's)"}


def move_to_tier(
    session: Session, ticket: Ticket, tier: tw.Tier, to: int | None, note: str
) -> wire.Ticket:
    """``ticket`` is locked, open, and the caller may hand it on: to ``tier`` of its vendor
    line — a Free colleague of that tier named takes it, else it is routed within the tier
    (a holder, or the tier's queue)."""
    line_id = ticket.line_id
    if not tiers.is_vendor_line(session, line_id):
        raise Problem(
            409,
            "not-vendor-line",
            "Not a vendor line",
            "this line is not a vendor's: it has no first and second line",
        )
    if not tiers.tiered(session, line_id):
        raise Problem(
            409,
            "no-first-line-right",
            "No first-line right",
            "the vendor has not granted this company the first-line right on this line",
        )
    if tiers.tier_of_ticket(session, ticket.id) is tier:
        raise Problem(
            409, "already-there", "Already there", f"the ticket is at {TIER_NAMES[tier]} already"
        )
    routing.lock_line(session, line_id)
    if to is not None:
        why = f"this colleague does not work at {TIER_NAMES[tier]}"
        company_id = session.scalar(select(Line.company_id).where(Line.id == line_id))
        colleague_on(session, company_id, line_id, to, why)
        if tiers.tier_of_specialist(session, line_id, to) is not tier:
            raise Problem(409, "other-tier", "At the other tier", why)
    before = ticket.specialist_id
    _lock_holders(session, line_id, before, to)
    tiers.put(session, ticket, tier)
    ticket.specialist_id = None
    session.flush()
    holder = to if to is not None else routing.choose(session, ticket)
    if holder is not None:
        routing.give(session, ticket, holder)
    record(
        session,
        ticket,
        tw.StepKind.TRANSFERRED,
        specialist_id=holder,
        from_specialist_id=before,
        note=note,
        tier=tier,
    )
    session.flush()
    answer = present.ticket(ticket)
    company_id = session.get_one(Line, line_id).company_id
    if before is not None:
        lifecycle.given_from_queue(session, company_id, before)
    lifecycle.publish(session, company_id, "ticket.updated", ticket)
    announce(session, company_id)
    return answer
