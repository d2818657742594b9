"""The tickets feature's tables, on the shared ``Base``: each specialist's routing settings
(capacity, the supervisor right, when they were last given a ticket), each line's ticket
settings (auto-finish, working hours, the reply-time guard, the first-line right of a vendor
line), a vendor line's second line (its specialists, the tickets there), ratings, and the
steps of a ticket's life (each the system line of its chat)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.core.models import Base, Ticket, UTCDateTime

DEFAULT_CAPACITY = 5
"""Open tickets a specialist holds at most before new ones go to others or the queue."""

# A specialist's open tickets are counted for every routing decision: by holder and state.
Index("ix_tickets_holder_state", Ticket.specialist_id, Ticket.state)
# The queue of a line: its open unheld tickets, oldest first.
Index("ix_tickets_line_state_opened", Ticket.line_id, Ticket.state, Ticket.opened_at)


class RoutingSettings(Base):
    """A specialist's routing settings; no row means the defaults. ``last_assigned_at``
    breaks ties (the one given a ticket longest ago first); the row is also what a routing
    decision locks on PostgreSQL before it counts the specialist's open tickets."""

    __tablename__ = "ticket_specialists"

    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer, default=DEFAULT_CAPACITY)
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    last_assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


DEFAULT_GUARD = (3, 5)
"""The reply-time guard's minutes (amber, red) where the line sets none (seed 000, 4.1–4.2)."""


class LineSettings(Base):
    """A line's ticket settings; no row: no auto-finish, tickets routed round the clock, the
    guard at :data:`DEFAULT_GUARD`, no first-line right.

    ``hours``: the working hours as ``contract.tickets.WorkingHours`` JSON (time zone, week
    days, from, to). ``first_line_right``: on a vendor line, the vendor (the line's owner)
    granted this company the right of the first line — tickets go between the first line
    and the vendor's second line (:class:`SecondLine`; ``docs/tickets.md``)."""

    __tablename__ = "ticket_lines"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    auto_finish_minutes: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[dict[str, object] | None] = mapped_column(JSON(none_as_null=True))
    first_line_right: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    guard_amber_minutes: Mapped[int | None] = mapped_column(Integer)
    guard_red_minutes: Mapped[int | None] = mapped_column(Integer)


class SecondLine(Base):
    """A specialist of a vendor line who works at its second line (the vendor's); the
    line's other specialists are its first line."""

    __tablename__ = "ticket_second_line"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)


class Escalation(Base):
    """A ticket of a vendor line that is at its second line (no row: the first line)."""

    __tablename__ = "ticket_escalations"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Rating(Base):
    """The user's rating of a finished ticket (once)."""

    __tablename__ = "ticket_ratings"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Step(Base):
    """One step of a ticket's life (``contract.tickets.TicketStep``), shown in its chat as a
    quiet system line among the messages, by time."""

    __tablename__ = "ticket_steps"
    __table_args__ = (Index("ix_ticket_steps_chat_id_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    via: Mapped[str | None] = mapped_column(String(20))
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"))
    from_specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None] = mapped_column(SmallInteger)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("lines.id"))  # moved to this line
    tier: Mapped[str | None] = mapped_column(String(10))  # moved to this tier of a vendor line
