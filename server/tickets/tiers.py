"""A vendor line's two tiers (seed 001; ``docs/tickets.md``): where its company holds the
first-line right (``LineSettings.first_line_right``, granted by the vendor), the line's
specialists are its first line, except those of its second line (``SecondLine``, the
vendor's); a ticket is at the second line while it has an ``Escalation`` row.

Routing keeps to the ticket's tier (:func:`candidates_filter`, :func:`queue_filter`); a
ticket given to a specialist follows them into their tier (:func:`follow`), so taking,
starting or answering a ticket never leaves it at a tier its holder does not work at."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, exists, false, or_, select
from sqlalchemy.orm import Session

from contract.tickets import Tier
from server.core.models import Line, Specialist, Ticket, utcnow
from server.tickets.line_rules import VENDOR_KINDS, rules_of
from server.tickets.models import Escalation, LineSettings, SecondLine


def is_vendor_line(session: Session, line_id: int) -> bool:
    return rules_of(session, line_id).vendor


def tiered(session: Session, line_id: int) -> bool:
    """A vendor line whose company holds the first-line right."""
    return rules_of(session, line_id).tiered


def tier_of_specialist(session: Session, line_id: int, specialist_id: int) -> Tier:
    found = session.scalar(
        select(SecondLine.specialist_id).where(
            SecondLine.line_id == line_id, SecondLine.specialist_id == specialist_id
        )
    )
    return Tier.FIRST if found is None else Tier.SECOND


def second_line_ids(session: Session, line_id: int) -> set[int]:
    found = session.scalars(select(SecondLine.specialist_id).where(SecondLine.line_id == line_id))
    return set(found)


def tier_of_ticket(session: Session, ticket_id: int) -> Tier:
    found = session.get(Escalation, ticket_id)
    return Tier.FIRST if found is None else Tier.SECOND


def put(session: Session, ticket: Ticket, tier: Tier) -> None:
    """The ticket is at ``tier`` of its line now."""
    at = session.get(Escalation, ticket.id)
    if tier is Tier.SECOND and at is None:
        session.add(Escalation(ticket_id=ticket.id, since=utcnow()))
    elif tier is Tier.FIRST and at is not None:
        session.delete(at)


def clear(session: Session, ticket: Ticket) -> None:
    """The ticket left its line: no tier of it any more."""
    session.execute(delete(Escalation).where(Escalation.ticket_id == ticket.id))


def follow(session: Session, ticket: Ticket, specialist_id: int) -> None:
    """Given to ``specialist_id``: on a tiered line the ticket is at their tier."""
    if tiered(session, ticket.line_id):
        put(session, ticket, tier_of_specialist(session, ticket.line_id, specialist_id))


def candidates_filter(session: Session, ticket: Ticket | None, line_id: int) -> Tier | None:
    """Which specialists of the line may be given the ticket (None: a new one, at the first
    line): on a tiered line, those of its tier (:func:`of_tier`); elsewhere all (None)."""
    if not tiered(session, line_id):
        return None
    at_second = ticket is not None and tier_of_ticket(session, ticket.id) is Tier.SECOND
    return Tier.SECOND if at_second else Tier.FIRST


def of_tier(tier: Tier, line_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """The specialists of that tier of a tiered line (a bound parameter may stand for it)."""
    second = exists().where(
        SecondLine.line_id == line_id, SecondLine.specialist_id == Specialist.id
    )
    return second if tier is Tier.SECOND else ~second


def queue_filter(session: Session, specialist_id: int, line_ids: list[int]) -> ColumnElement[bool]:
    """Which queued tickets of ``line_ids`` the specialist may be given: on a tiered line,
    those at their tier."""
    if not line_ids:
        return false()
    tiered_lines = set(
        session.scalars(
            select(LineSettings.line_id)
            .join(Line, Line.id == LineSettings.line_id)
            .where(
                LineSettings.line_id.in_(line_ids),
                LineSettings.first_line_right.is_(True),
                Line.kind.in_(VENDOR_KINDS),
            )
        )
    )
    if not tiered_lines:
        return Ticket.line_id.in_(line_ids)
    mine_second = second_line_ids_of(session, specialist_id, tiered_lines)
    escalated = exists().where(Escalation.ticket_id == Ticket.id)
    parts: list[ColumnElement[bool]] = []
    plain = [i for i in line_ids if i not in tiered_lines]
    if plain:
        parts.append(Ticket.line_id.in_(plain))
    if first := [i for i in tiered_lines if i not in mine_second]:
        parts.append(and_(Ticket.line_id.in_(first), ~escalated))
    if mine_second:
        parts.append(and_(Ticket.line_id.in_(list(mine_second)), escalated))
    return or_(*parts)


def second_line_ids_of(session: Session, specialist_id: int, line_ids: set[int]) -> set[int]:
    """The lines among ``line_ids`` where the specialist works at the second line."""
    return set(
        session.scalars(
            select(SecondLine.line_id).where(
                SecondLine.specialist_id == specialist_id, SecondLine.line_id.in_(line_ids)
            )
        )
    )
