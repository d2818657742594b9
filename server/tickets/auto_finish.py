"""Auto-finish (seed 001): a line may finish its tickets by itself after a time without
activity (``ticket_lines.auto_finish_minutes``). A sweep (server/core/sweeps.py, every
``--sweep-every`` seconds) finishes each open ticket of such a line whose chat has had no
message for that long (nor has the ticket been opened since): the step says "finished
automatically", the holder's freed place takes the queue's oldest.

Only a ticket whose user waits for nothing: held by a specialist, and the chat's last
message is not the user's. The specialist answered (seed 000, 4.13: the closing question)
and the user said nothing more for that long — seed 000's "wait for the client's reaction;
if none comes within 5 minutes, finish". A user's unanswered message, a queued ticket, a
ticket waiting for the line's working hours are never finished by time (4.14: do not
finish without a solution); the reply-time guard shows them instead. Each ticket is finished in a
transaction of its own, taken there ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) and checked
again, its holder too: two server processes sweeping at once never finish one twice, and a
ticket or a holder someone is changing right now is left for the next sweep."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from sqlalchemy import or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.core.db import Database
from server.core.models import AccountKind, Chat, Line, Message, Ticket, TicketState, utcnow
from server.core.sweeps import Sweep
from server.tickets import lifecycle, retry, routing
from server.tickets.models import LineSettings

log = logging.getLogger(__name__)


def idle(session: Session, now: dt.datetime, ticket_id: int | None = None) -> list[Ticket]:
    """The idle tickets of the lines that finish by themselves; ``ticket_id``: that one if
    it still is, locked ``FOR UPDATE SKIP LOCKED``."""
    settings = select(LineSettings.line_id, LineSettings.auto_finish_minutes).where(
        LineSettings.auto_finish_minutes.is_not(None)
    )
    if ticket_id is not None:
        of_ticket = select(Ticket.line_id).where(Ticket.id == ticket_id).scalar_subquery()
        settings = settings.where(LineSettings.line_id == of_ticket)
    lines = session.execute(settings).all()
    found: list[Ticket] = []
    for line_id, minutes in lines:
        cutoff = now - dt.timedelta(minutes=int(minutes or 0))
        query = (
            select(Ticket)
            .join(Chat, Chat.id == Ticket.chat_id)
            .outerjoin(Message, Message.id == Chat.last_message_id)
            .where(
                Ticket.line_id == line_id,
                Ticket.state == TicketState.OPEN,
                Ticket.specialist_id.is_not(None),  # a queued one waits for a specialist
                Ticket.opened_at < cutoff,
                or_(Chat.last_message_at.is_(None), Chat.last_message_at < cutoff),
                or_(Message.id.is_(None), Message.author_kind != AccountKind.CLIENT),
            )
            .order_by(Ticket.id)
            .execution_options(populate_existing=True)
        )
        if ticket_id is not None:
            query = query.where(Ticket.id == ticket_id).with_for_update(of=Ticket, skip_locked=True)
        found += session.scalars(query).all()
    return found


def finish_if_idle(session: Session, *, ticket_id: int, now: dt.datetime) -> int:
    """Finish the ticket if it is still idle, in a transaction of its own; 1 if it was. Its
    holder being changed right now (their status, another of their tickets): left for the
    next turn, as the ticket itself would be, not waited for."""
    for ticket in idle(session, now, ticket_id):
        holder = ticket.specialist_id
        if (
            holder is not None
            and routing.lock_specialist(session, holder, skip_locked=True) is None
        ):
            return 0
        company_id = session.scalar(select(Line.company_id).where(Line.id == ticket.line_id))
        lifecycle.finish_locked(session, ticket, None, int(company_id or 0))
        return 1
    return 0


async def sweep(db: Database, now: dt.datetime | None = None) -> int:
    """Finish the idle tickets, each in its own transaction (a finish locks its holder and
    drains the queue to them: several holders in one transaction would lock them out of
    the one order, and a deadlock would undo the whole sweep); how many."""
    now = now or utcnow()
    found = await db.query(lambda session: [t.id for t in idle(session, now)])
    done = 0
    for t in found:
        try:
            done += await retry.transact(
                db, functools.partial(finish_if_idle, ticket_id=t, now=now)
            )
        except DBAPIError:  # the next turn tries again; the others are finished meanwhile
            log.exception("ticket %s was not finished by time", t)
    return done


SWEEP = Sweep("tickets' auto-finish", sweep)
