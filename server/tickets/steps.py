"""The steps of a ticket's life (``ticket_steps``), each a quiet system line of its chat.

Recorded rows are written at once; their ``ticket.step`` events wait until :func:`announce`
(called last in the transaction, after every lock is taken: appending an event locks the
company's event counter)."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from contract import tickets as tw
from server.core import present
from server.core.models import Line, Specialist, Ticket, utcnow
from server.events import log as eventlog
from server.tickets.models import Step

PENDING = "linedesk.ticket_steps"


def record(
    session: Session,
    ticket: Ticket,
    kind: tw.StepKind,
    *,
    via: tw.Opener | None = None,
    specialist_id: int | None = None,
    from_specialist_id: int | None = None,
    note: str = "",
    score: int | None = None,
    line_id: int | None = None,
    tier: tw.Tier | None = None,
) -> Step:
    step = Step(
        chat_id=ticket.chat_id,
        ticket_id=ticket.id,
        created_at=utcnow(),
        kind=kind.value,
        via=None if via is None else via.value,
        specialist_id=specialist_id,
        from_specialist_id=from_specialist_id,
        note=note,
        score=score,
        line_id=line_id,
        tier=None if tier is None else tier.value,
    )
    session.add(step)
    session.info.setdefault(PENDING, []).append((step, ticket.line_id, ticket.user_id))
    return step


def announce(session: Session, company_id: int) -> None:
    """``ticket.step`` for every step recorded in this transaction so far.

    A handover note is for the colleagues: a transfer with one is told twice — with the note
    to the line's specialists only (no ``user_id``), then without it to the user too (the
    same step id: a window keeps the first). A specialist's comment is told to the line's
    specialists only."""
    pending: list[tuple[Step, int, int]] = session.info.pop(PENDING, [])
    if not pending:
        return
    session.flush()
    wired = present_steps(session, [step for step, _l, _u in pending])
    for (step, line_id, user_id), data in zip(pending, wired, strict=True):
        told: list[tuple[tw.TicketStep, int | None]] = [(data, user_id)]
        if data.kind is tw.StepKind.TRANSFERRED and data.note:
            told = [(data, None), (for_user(data), user_id)]
        elif not for_the_user(data):
            told = [(data, None)]
        for said, to_user in told:
            eventlog.append_sync(
                session,
                company_id,
                "ticket.step",
                present.data(said),
                line_id=line_id,
                chat_id=step.chat_id,
                user_id=to_user,
            )


def for_the_user(step: tw.TicketStep) -> bool:
    """Whether the ticket's user sees the step at all (a specialist's comment: never)."""
    return step.kind is not tw.StepKind.COMMENTED


def for_user(step: tw.TicketStep) -> tw.TicketStep:
    """The step as its user may see it: without a colleagues' handover note."""
    if step.kind is tw.StepKind.TRANSFERRED and step.note:
        return msgspec.structs.replace(step, note="")
    return step


def present_steps(session: Session, steps: list[Step]) -> list[tw.TicketStep]:
    people = {i for s in steps for i in (s.specialist_id, s.from_specialist_id) if i}
    names: dict[int, str] = {}
    if people:
        found = session.scalars(select(Specialist).where(Specialist.id.in_(people)))
        names = {s.id: s.full_name for s in found}
    line_ids = {s.line_id for s in steps if s.line_id}
    lines: dict[int, str] = {}
    if line_ids:
        lines = dict(
            session.execute(select(Line.id, Line.public_name).where(Line.id.in_(line_ids))).all()
        )
    return [
        tw.TicketStep(
            id=s.id,
            chat_id=s.chat_id,
            ticket_id=s.ticket_id,
            created_at=present.ms(s.created_at),
            kind=tw.StepKind(s.kind),
            via=None if s.via is None else tw.Opener(s.via),
            specialist_id=s.specialist_id,
            specialist_name=names.get(s.specialist_id) if s.specialist_id else None,
            from_specialist_id=s.from_specialist_id,
            from_specialist_name=names.get(s.from_specialist_id) if s.from_specialist_id else None,
            note=s.note,
            score=s.score,
            line_name=lines.get(s.line_id) if s.line_id else None,
            tier=None if s.tier is None else tw.Tier(s.tier),
        )
        for s in steps
    ]


def steps_of_chat(session: Session, chat_id: int) -> list[tw.TicketStep]:
    rows = list(session.scalars(select(Step).where(Step.chat_id == chat_id).order_by(Step.id)))
    return present_steps(session, rows)


def comment_of(session: Session, ticket_id: int) -> Step | None:
    """The ticket's comment: its last ``commented`` step."""
    return session.scalars(
        select(Step)
        .where(Step.ticket_id == ticket_id, Step.kind == tw.StepKind.COMMENTED.value)
        .order_by(Step.id.desc())
        .limit(1)
    ).first()
