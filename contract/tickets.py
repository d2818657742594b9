"""Tickets beyond their state: the steps of their life (system lines of the chat), starting
work, transfers, ratings, the line's working hours and its specialists' load."""

from __future__ import annotations

import enum
from typing import Annotated

from msgspec import Meta, Struct

from contract.types import END, NOT_BLANK, NUL_FREE, Id, Status, TicketState, Time

MAX_NOTE = 2_000
Note = Annotated[str, Meta(max_length=MAX_NOTE, pattern=NUL_FREE)]
# 24:00: the day end
HHMM = Annotated[str, Meta(pattern="^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)" + END)]


class Opener(enum.StrEnum):
    """What opened a ticket."""

    MESSAGE = "message"
    FILE = "file"
    CALL = "call"
    REMOTE = "remote"
    START = "start"  # a specialist's "Start work"


class Tier(enum.StrEnum):
    """The two lines of a vendor line (seed 001): the first line (the company holding the
    first-line right), the second line (the vendor's)."""

    FIRST = "first"
    SECOND = "second"


class StepKind(enum.StrEnum):
    OPENED = "opened"  # via: Opener; specialist: who started it ("Start work")
    ASSIGNED = "assigned"  # routed to specialist
    QUEUED = "queued"  # waits in the line's queue (from_specialist: the DND holder left)
    TAKEN = "taken"  # specialist took it (from_specialist: its holder before, if any)
    TRANSFERRED = "transferred"  # from_specialist → specialist, with the note (tier: to it)
    FINISHED = "finished"  # by specialist (none: auto-finished)
    RATED = "rated"  # score and note (the user's comment)
    OUT_OF_HOURS = "out_of_hours"  # opened outside the line's working hours: it waits
    REMOTE_SESSION = "remote_session"  # specialist's remote session ended; note: their comment
    COMMENTED = "commented"  # specialist's comment on the ticket (note); colleagues only
    DISCONNECTED = "disconnected"  # specialist disconnected the user from the line (note: why)


class TicketStep(Struct, frozen=True):
    """A step of a ticket's life: a quiet system line of its chat, among the messages by
    ``created_at``. Names are the specialists' as the step was taken."""

    id: Id
    chat_id: Id
    ticket_id: Id
    created_at: Time
    kind: StepKind
    via: Opener | None = None
    specialist_id: Id | None = None
    specialist_name: str | None = None
    from_specialist_id: Id | None = None
    from_specialist_name: str | None = None
    note: str = ""
    score: Annotated[int, Meta(ge=1, le=5)] | None = None
    line_name: str | None = None  # transferred to this line
    tier: Tier | None = None  # transferred to this tier of its vendor line


class TicketSteps(Struct, frozen=True):
    items: list[TicketStep]


class WorkingHours(Struct, frozen=True, forbid_unknown_fields=True):
    """When a line's specialists take tickets: ``days`` are ISO week days (1 = Monday),
    ``start``–``end`` local times in the IANA ``time_zone``. ``calendar``: a country's
    production calendar (ISO 3166 code; seed 004: "RU") — its public holidays and the days
    off moved onto weekdays are not working days, its weekend days made working are."""

    time_zone: str
    days: list[Annotated[int, Meta(ge=1, le=7)]]
    start: HHMM
    end: HHMM
    calendar: Annotated[str, Meta(pattern="^[A-Z]{2}" + END)] | None = None


class LineTicketSettings(Struct, frozen=True):
    """A line's ticket settings as its specialists' windows use them: the reply-time guard's
    minutes (a waiting user amber from ``guard_amber_minutes``, red from
    ``guard_red_minutes``; seed 000, 4.1–4.2), auto-finish, working hours (none: round the
    clock)."""

    guard_amber_minutes: Annotated[int, Meta(ge=1)]
    guard_red_minutes: Annotated[int, Meta(ge=1)]
    auto_finish_minutes: Annotated[int, Meta(ge=1)] | None = None
    hours: WorkingHours | None = None


class TransferRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """To a Free colleague of the ticket's line (``specialist_id``), or to another line of
    the serving company that the user is connected to (``line_id``; with ``specialist_id``
    a Free colleague there, without it routed there), or — on a vendor line whose company
    holds the first-line right — to its other tier (``tier``: the vendor's second line, or
    back to the first; with ``specialist_id`` a Free colleague of that tier, without it
    routed within it)."""

    specialist_id: Id | None = None
    note: Note = ""
    line_id: Id | None = None
    tier: Tier | None = None


class CommentRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """A specialist's comment on a ticket, for the colleagues of its line (never its user);
    it replaces the ticket's comment before."""

    text: Annotated[str, Meta(max_length=MAX_NOTE, pattern=NOT_BLANK)]


NEEDS_TARGET: dict[str, object] = {
    "anyOf": [
        {"required": [name], "properties": {name: {"type": kind}}}
        for name, kind in (("specialist_id", "integer"), ("line_id", "integer"), ("tier", "string"))
    ]
}
"""TransferRequest's rule across its fields, for the document: it names a colleague, a
line or a tier."""


class RatingRequest(Struct, frozen=True, forbid_unknown_fields=True):
    score: Annotated[int, Meta(ge=1, le=5)]
    comment: Note = ""


class SpecialistLoad(Struct, frozen=True):
    """A specialist of a line as a transfer target: status, open tickets, capacity."""

    id: Id
    full_name: str
    status: Status
    open: Annotated[int, Meta(ge=0)]
    capacity: Annotated[int, Meta(ge=0)]
    time_zone: str
    tier: Tier | None = None  # on a vendor line with the first-line right: their tier


class LineLoad(Struct, frozen=True):
    """``tiers``: a vendor line whose company holds the first-line right (tickets go between
    its first and second line)."""

    specialists: list[SpecialistLoad]
    queued: Annotated[int, Meta(ge=0)]
    tiers: bool = False


class MonitorSpecialist(Struct, frozen=True):
    id: Id
    full_name: str
    status: Status
    open: Annotated[int, Meta(ge=0)]
    capacity: Annotated[int, Meta(ge=0)]
    tickets: list[Id]  # their open tickets on this line


class LineMonitor(Struct, frozen=True):
    """The online monitor of a line (supervisors): the queue, who holds what, today."""

    line_id: Id
    queued: Annotated[int, Meta(ge=0)]
    longest_wait_seconds: Annotated[int, Meta(ge=0)]
    specialists: list[MonitorSpecialist]
    finished_today: Annotated[int, Meta(ge=0)]
    rated_today: Annotated[int, Meta(ge=0)]
    average_rating: float | None  # of today's ratings


MAX_HISTORY = 100


class TicketSummary(Struct, frozen=True):
    """One ticket of a chat for the info panel: opened (when, by what), its holder (now, or
    when it was finished), finished (when), and its rating."""

    id: Id
    state: TicketState
    opened_at: Time
    via: Opener | None = None
    specialist_id: Id | None = None
    specialist_name: str | None = None
    closed_at: Time | None = None
    score: Annotated[int, Meta(ge=1, le=5)] | None = None
    comment: str = ""  # the user's, with the rating


class TicketHistory(Struct, frozen=True):
    items: list[TicketSummary]  # newest first


class HistoryQuery(Struct, frozen=True):
    chat_id: Id
    limit: Annotated[int, Meta(ge=1, le=MAX_HISTORY)] = 20
