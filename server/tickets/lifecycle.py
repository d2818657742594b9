"""What happens to a chat's ticket: opened (by a message, a file, a call, a remote session
or "Start work") and routed, taken by a specialist's message, moved on when its user writes
while the holder is Do not disturb. Called inside the caller's write transaction; events go
before the message's own."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from contract import chats as wire
from contract.tickets import Opener, StepKind
from server.core import present
from server.core.models import Chat, Specialist, Ticket, TicketState, utcnow
from server.core.models import SpecialistStatus as Status
from server.events import log as eventlog
from server.tickets import routing
from server.tickets.hours import line_open_now
from server.tickets.steps import announce, record

_OF_CHAT = (
    select(Ticket)
    .where(Ticket.chat_id == bindparam("chat_id"), Ticket.state == TicketState.OPEN)
    .execution_options(populate_existing=True)
)
_OPEN_TICKET = {  # built once (every send asks): by to_change
    True: _OF_CHAT.with_for_update(),
    False: _OF_CHAT.with_for_update(read=True, key_share=True),
}


def open_ticket_of(session: Session, chat: Chat, *, to_change: bool = True) -> Ticket | None:
    """The chat's open ticket, locked (the caller holds the chat's lock).

    ``to_change`` False (a user's message): only kept open and on this chat until the
    commit (``FOR KEY SHARE``: a finish, a transfer or a take waits for it), while the
    queue may still give it to a place freed meanwhile — the queue's ``FOR NO KEY UPDATE
    SKIP LOCKED`` does not pass over this lock, so a user who writes again while queued is
    not hidden from the specialist who frees a place at that moment."""
    return session.scalars(_OPEN_TICKET[to_change], {"chat_id": chat.id}).first()


def open_ticket(
    session: Session,
    chat: Chat,
    company_id: int,
    via: Opener,
    starter_id: int | None = None,
    *,
    route_later: bool = False,
) -> Ticket:
    """A new ticket of the chat: the starting specialist's (``starter_id``), else routed
    (a holder, or the queue). One ``ticket.opened`` event with its holder.

    ``route_later``: inserted now, routed by :func:`route_opened`, which the caller runs
    after its own rows, just before its events: the chosen specialist's lock (and a waiting
    decision's line lock) is then held for the decision and the commit, not across the
    caller's other statements as well (a send's message and chat rows)."""
    if starter_id is not None:  # before the rows that refer to them
        routing.lock_line(session, chat.line_id)
        routing.lock_specialist(session, starter_id)
    ticket = Ticket(
        chat_id=chat.id,
        line_id=chat.line_id,
        user_id=chat.user_id,
        specialist_id=None,
        opened_at=utcnow(),
    )
    session.add(ticket)
    session.flush()
    record(session, ticket, StepKind.OPENED, via=via, specialist_id=starter_id)
    if starter_id is not None:
        routing.give(session, ticket, starter_id)
        _opened(session, company_id, ticket)
    elif route_later:
        session.info.setdefault(UNROUTED, []).append((ticket, company_id))
    else:
        _route(session, company_id, ticket)
    return ticket


UNROUTED = "linedesk.unrouted_tickets"


def route_opened(session: Session) -> None:
    """Route the tickets opened in this transaction with ``route_later``."""
    for ticket, company_id in session.info.pop(UNROUTED, []):
        _route(session, company_id, ticket)


def _route(session: Session, company_id: int, ticket: Ticket) -> None:
    line_open_now(session, ticket.line_id)  # settings, not load: read before the lock
    responsible = routing.responsible_ids(session, ticket.user_id)
    holder = routing.choose(session, ticket, responsible=responsible)
    if holder is not None:
        routing.give(session, ticket, holder)
        record(session, ticket, StepKind.ASSIGNED, specialist_id=holder)
    elif not line_open_now(session, ticket.line_id):
        record(session, ticket, StepKind.OUT_OF_HOURS)
    _opened(session, company_id, ticket)


def _opened(session: Session, company_id: int, ticket: Ticket) -> None:
    session.flush()
    publish(session, company_id, "ticket.opened", ticket)


def ticket_for_message(
    session: Session,
    chat: Chat,
    company_id: int,
    specialist_id: int | None,
    via: Opener = Opener.MESSAGE,
    *,
    route_later: bool = False,
) -> Ticket:
    """The open ticket a new message of ``chat`` belongs to, opened if there is none; a
    specialist's message (``specialist_id``) takes an unheld one; a user's message moves
    one held by a Do-not-disturb specialist on (another specialist, or the queue)."""
    ticket = open_ticket_of(session, chat, to_change=specialist_id is not None)
    if ticket is None:
        return open_ticket(session, chat, company_id, via, specialist_id, route_later=route_later)
    if specialist_id is not None:
        if ticket.specialist_id is None:
            routing.lock_specialist(session, specialist_id)
            routing.give(session, ticket, specialist_id)
            record(session, ticket, StepKind.TAKEN, specialist_id=specialist_id)
            session.flush()
            publish(session, company_id, "ticket.updated", ticket)
    elif ticket.specialist_id is not None and holder_status(session, ticket) is Status.DND:
        reroute(session, ticket, company_id)
    return ticket


def holder_status(session: Session, ticket: Ticket) -> Status | None:
    if ticket.specialist_id is None:
        return None
    return session.scalar(select(Specialist.status).where(Specialist.id == ticket.specialist_id))


def reroute(session: Session, ticket: Ticket, company_id: int) -> None:
    """The holder is not there (Do not disturb): to another specialist, or the queue."""
    left = ticket.specialist_id
    routing.lock_line(session, ticket.line_id)
    ticket.specialist_id = None
    holder = routing.choose(session, ticket, exclude={left} if left else ())
    if holder is not None:
        routing.give(session, ticket, holder)
        record(session, ticket, StepKind.ASSIGNED, specialist_id=holder, from_specialist_id=left)
    else:
        record(session, ticket, StepKind.QUEUED, from_specialist_id=left)
    session.flush()
    publish(session, company_id, "ticket.updated", ticket)


def publish(
    session: Session,
    company_id: int,
    kind: str,
    ticket: Ticket,
    also_line_ids: Collection[int] = (),
) -> None:
    eventlog.append_sync(
        session,
        company_id,
        kind,
        present.data(present.ticket(ticket)),
        line_id=ticket.line_id,
        chat_id=ticket.chat_id,
        user_id=ticket.user_id,
        also_line_ids=also_line_ids,
    )


def given_from_queue(
    session: Session, company_id: int, specialist_id: int, *, freed: bool = True
) -> int:
    """The specialist became Free or let a ticket go: queued tickets to them, with events;
    how many. ``freed``: a place was freed (their lines are looked at again after the
    commit: server/tickets/wake.py)."""
    given = routing.drain(session, specialist_id, freed=freed)
    for ticket in given:
        record(session, ticket, StepKind.ASSIGNED, specialist_id=specialist_id)
        session.flush()
        publish(session, company_id, "ticket.updated", ticket)
    return len(given)


def became_free(session: Session, company_id: int, specialist_id: int) -> int:
    given = given_from_queue(session, company_id, specialist_id)
    announce(session, company_id)
    return given


def finish_locked(
    session: Session, ticket: Ticket, by: int | None, company_id: int, *, drain: bool = True
) -> wire.Ticket:
    """Close a locked open ticket (``by``: who; None: auto-finish); its holder's freed
    place takes the queue's oldest (``drain`` False: the caller gives it, once it has closed
    every ticket it closes — one of them may be the queue's oldest)."""
    holder = ticket.specialist_id
    if holder is not None:
        routing.lock_specialist(session, holder)
    ticket.state = TicketState.CLOSED
    ticket.closed_at = utcnow()
    record(session, ticket, StepKind.FINISHED, specialist_id=by, from_specialist_id=holder)
    session.flush()
    answer = present.ticket(ticket)
    if holder is not None and drain:
        given_from_queue(session, company_id, holder)
    publish(session, company_id, "ticket.closed", ticket)
    announce(session, company_id)
    return answer
