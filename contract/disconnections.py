"""A client user disconnected from a support line (seed 004: a user who breaks the business
style again after the warning "is disconnected from the support lines (ban, black list)"):
who did it, when and why. While disconnected the line takes nothing of theirs — messages,
files, calls, remote sessions — and nothing to them; lifted, all is as before."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from contract.types import NOT_BLANK, Id, Time

GONE = "the user was disconnected from the line"
"""The reason their calls and remote sessions running or asked for end with at that moment
(``CallRecord.reason``, ``RemoteSession.reason``): the specialist's client hangs up, closes."""
MAX_REASON = 500
Reason = Annotated[str, Meta(min_length=1, max_length=MAX_REASON, pattern=NOT_BLANK)]
"""Why: short text a reader sees (not spaces or invisible characters alone)."""


MAX_FOR_DAYS = 366
"""A disconnection for a time ends at most this many days on (longer: until restored)."""
MAX_ALSO = 100
"""At most this many other lines in one disconnection."""


class DisconnectRequest(Struct, frozen=True, forbid_unknown_fields=True):
    reason: Reason
    until: Annotated[
        Time | None,
        Meta(
            description="for a time (seed 004: a temporary block until the cause is put right):"
            " lifted by itself at this instant, in the future and at most 366 days on; null,"
            " until a specialist of the line restores them"
        ),
    ] = None
    also_lines: Annotated[
        list[Id],
        Meta(
            max_length=MAX_ALSO,
            description="other lines to disconnect the user from at once, as the specialist"
            " was shown them (seed 004: the account blocked): each one of the line's company"
            " that the caller serves (else 404, as any other line) and the user is connected"
            " to (else 404); one transaction, nothing done when one is refused; the answer is"
            " the path's line's",
        ),
    ] = msgspec.field(default_factory=list)


class Disconnection(Struct, frozen=True):
    """A user's disconnection from a line: by which specialist, when, and why."""

    line_id: Id
    user_id: Id
    by_id: Id
    by_name: str
    at: Time
    reason: str
    until: Annotated[
        Time | None, Meta(description="lifted by itself then; null: until restored")
    ] = None
