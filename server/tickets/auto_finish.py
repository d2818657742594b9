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
finish without a solution); the reply-time guard shows them instead. Each ticket is taken
``FOR UPDATE SKIP LOCKED`` (PostgreSQL): two server processes sweeping at once never finish
one twice, and a ticket a specialist is changing right now is left for the next sweep."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.core.db import Database
from server.core.models import AccountKind, Chat, Line, Message, Ticket, TicketState, utcnow
from server.core.sweeps import Sweep
from server.tickets import lifecycle, retry
from server.tickets.models import LineSettings


def sweep(session: Session, now: dt.datetime | None = None) -> int:
    """Finish the idle tickets; how many."""
    now = now or utcnow()
    lines = session.execute(
        select(LineSettings.line_id, LineSettings.auto_finish_minutes, Line.company_id)
        .join(Line, Line.id == LineSettings.line_id)
        .where(LineSettings.auto_finish_minutes.is_not(None))
    ).all()
    done = 0
    for line_id, minutes, company_id in lines:
        cutoff = now - dt.timedelta(minutes=int(minutes or 0))
        idle = session.scalars(
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
            .with_for_update(of=Ticket, skip_locked=True)
            .execution_options(populate_existing=True)
        ).all()
        for ticket in idle:
            lifecycle.finish_locked(session, ticket, None, int(company_id))
            done += 1
    return done


async def _run(db: Database) -> int:
    return await retry.transact(db, sweep)


SWEEP = Sweep("tickets' auto-finish", _run)
