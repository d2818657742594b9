"""Call records: every call of a line, in or out, as the server keeps it.

States: ringing → answered → ended, or ringing → ended. The result says how it ended:
answered (it was talked), missed (an incoming call nobody took), busy, declined, failed (with
a reason). A call opens a ticket in the user's chat on the line when none is open. Every
change is an event ``call.updated`` (data: ``CallRecord``) on the call's line, for its user
too; ``GET /chats/{chat_id}/calls`` lists a chat's calls (each a line of its timeline).

A call's **recording** (both directions, Ogg Opus: the specialist's microphone on the left
channel, the other side on the right) is uploaded by the call's specialist after the call
(``PUT /calls/{call_id}/recording``, the raw body, at most ``MAX_RECORDING`` bytes by default)
and then named by the record's ``recording`` (a URL to GET it) — a ``call.updated`` event.

Who rings for an incoming line call: ``GET /call-ring`` names whom the ticket routing chooses
(a known caller's ticket holder, else its choice for a new ticket, else every Free specialist
of the line), once per SIP Call-ID; each specialist's client rings only when named.
"""

from __future__ import annotations

import enum
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from contract.types import END, NUL_FREE, Count, Id, Text, Time

SipCallId = Annotated[str, Meta(min_length=1, max_length=200, pattern="^[!-~]+" + END)]
Reason = Annotated[str, Meta(max_length=200, pattern="^[^\\u0000]*$")]
Comment = Annotated[Text, Meta(max_length=500)]
RECORDING_TYPE = "audio/ogg"  # Ogg Opus (RFC 7845), checked by its first page, not the header
MAX_RECORDING = 64 * 1024 * 1024  # the server's default cap (≈ 5 h at LineDesk's 28 kbit/s)


class CallDirection(enum.StrEnum):
    INCOMING = "in"
    OUTGOING = "out"


class CallState(enum.StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class CallResult(enum.StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    BUSY = "busy"
    DECLINED = "declined"
    FAILED = "failed"


class CallRecord(Struct, frozen=True):
    id: Id
    line_id: Id
    user_id: Id
    chat_id: Id
    ticket_id: Id
    specialist_id: Id | None
    direction: CallDirection
    state: CallState
    result: CallResult | None
    reason: str | None
    ringing_at: Time
    answered_at: Time | None
    ended_at: Time | None
    duration: Annotated[int | None, Meta(description="seconds talked")]
    comment: str | None
    recording: Annotated[
        str | None,
        Meta(description="the recording's URL (GET it, audio/ogg), null until it is uploaded"),
    ] = None
    recording_size: Annotated[int | None, Meta(description="the recording's bytes")] = None


class CallRecords(Struct, frozen=True):
    """The calls of a chat, oldest first (its timeline's call lines)."""

    items: list[CallRecord]


class NewCall(Struct, frozen=True, forbid_unknown_fields=True):
    """A call begins ringing (the specialist's client reports it; idempotent by sip_call_id)."""

    line_id: Id
    user_id: Id
    direction: CallDirection
    sip_call_id: SipCallId


class _Report(Struct, frozen=True, forbid_unknown_fields=True, tag_field="state"):
    """What became of a call: a union tagged by ``state``."""


class CallAnswered(_Report, frozen=True, tag="answered"):
    """The reporting specialist answered it."""

    @property
    def state(self) -> CallState:
        return CallState.ANSWERED


class CallEnded(_Report, frozen=True, tag="ended"):
    """It ended: how (a call that was answered ends answered, or failed), and why it
    failed."""

    result: CallResult
    reason: Reason | UnsetType = UNSET

    @property
    def state(self) -> CallState:
        return CallState.ENDED


CallReport = CallAnswered | CallEnded


class CallComment(Struct, frozen=True, forbid_unknown_fields=True):
    comment: Comment


class CallPath(Struct, frozen=True):
    call_id: Id


class CallStatsQuery(Struct, frozen=True):
    line_id: Id


class SpecialistCallStats(Struct, frozen=True):
    """One specialist's calls on the line (``specialist_id`` None: incoming calls nobody
    answered — rung at every specialist, taken by none)."""

    specialist_id: Id | None
    calls: Count
    incoming: Count
    outgoing: Count
    answered: Count
    missed: Count
    busy: Count
    declined: Count
    failed: Count
    seconds: Annotated[int, Meta(ge=0, description="time talked in the ended calls")]
    answered_within_5s: Annotated[
        int,
        Meta(ge=0, description="incoming calls answered within 5 s of ringing (seed 000, 4.1)"),
    ]
    answer_seconds_avg: Annotated[
        float | None,
        Meta(description="the average wait of the incoming calls answered, in seconds"),
    ]


class CallStats(Struct, frozen=True):
    line_id: Id
    items: list[SpecialistCallStats]


class RingQuery(Struct, frozen=True):
    line_id: Id
    address: (
        Annotated[
            str,
            Meta(
                min_length=1,
                max_length=300,
                pattern=NUL_FREE,
                description="the caller as the PBX gives it: the ticket routing then decides",
            ),
        ]
        | None
    ) = None
    call_id: (
        Annotated[
            SipCallId,
            Meta(
                description="the call's SIP Call-ID: the first question decides for the call,"
                " the others are told the same"
            ),
        ]
        | None
    ) = None


class RingTargets(Struct, frozen=True):
    """The specialists an incoming call of the line rings (server/calls/ringing.py): a
    known caller's ticket holder, else the routing's choice, else every Free one."""

    line_id: Id
    specialist_ids: list[Id]
    count: Count


class CallerQuery(Struct, frozen=True):
    address: Annotated[str, Meta(min_length=1, max_length=300, pattern=NUL_FREE)]
    """The caller as the PBX gave it: a SIP URI (its user part a login or a number), a
    tel: URI, or a phone number as written."""


class CallerMatch(Struct, frozen=True):
    """A client user of a line the caller serves whose login or phone is the caller's."""

    user_id: Id
    line_id: Id
    full_name: str
    company: str | None


class CallerMatches(Struct, frozen=True):
    items: list[CallerMatch]
