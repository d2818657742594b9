"""What a message does to its chat's ticket: opens one, or makes an unheld one the sending
specialist's. Called inside the send's write transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core import present
from server.core.models import Chat, Ticket, TicketState, utcnow
from server.events import log as eventlog


def ticket_for_message(
    session: Session, chat: Chat, company_id: int, specialist_id: int | None
) -> Ticket:
    """The open ticket a new message of ``chat`` belongs to, opened (``ticket.opened``) if
    there is none; a specialist's message (``specialist_id``) takes an unheld one
    (``ticket.updated``). Events go before the message's own."""
    ticket = session.scalar(
        select(Ticket).where(Ticket.chat_id == chat.id, Ticket.state == TicketState.OPEN)
    )
    if ticket is None:
        ticket = Ticket(
            chat_id=chat.id,
            line_id=chat.line_id,
            user_id=chat.user_id,
            specialist_id=specialist_id,
            opened_at=utcnow(),
        )
        session.add(ticket)
        session.flush()
        _event(session, company_id, "ticket.opened", ticket)
    elif ticket.specialist_id is None and specialist_id is not None:
        ticket.specialist_id = specialist_id
        _event(session, company_id, "ticket.updated", ticket)
    return ticket


def _event(session: Session, company_id: int, kind: str, ticket: Ticket) -> None:
    eventlog.append_sync(
        session,
        company_id,
        kind,
        present.data(present.ticket(ticket)),
        line_id=ticket.line_id,
        chat_id=ticket.chat_id,
        user_id=ticket.user_id,
    )
