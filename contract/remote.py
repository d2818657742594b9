"""Remote sessions: a specialist connects to a client user's desktop, by request (the user
accepts on their side) or by password (the one set on the user's computer).

States: requested → accepted → connected → ended; or declined / timed_out / failed (with a
reason). A request nobody answers in ``REQUEST_TIMEOUT`` seconds is timed out, and so is an
accepted session not connected ``CONNECT_TIMEOUT`` seconds after that time (no viewer follows it:
the request's reply was lost). Every change is an event ``remote.updated`` (data:
``RemoteSession``) on the session's line, for the user.
"""

from __future__ import annotations

import enum
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from contract.types import END, Count, Id, Text, Time

REQUEST_TIMEOUT = 120  # seconds a request waits for the user's answer
CONNECT_TIMEOUT = 300  # then seconds an accepted session waits for its viewer to connect

# a host the launcher will take: an IP address or a DNS name, never an option (`-via`, `/p:`)
HOST = (
    "^(\\[[0-9A-Fa-f:.]+\\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))"
    + END
)
Host = Annotated[str, Meta(pattern=HOST, max_length=255)]
Port = Annotated[int, Meta(ge=1, le=65535)]
RepeaterId = Annotated[str, Meta(pattern="^[0-9]{1,10}" + END)]
Reason = Annotated[str, Meta(max_length=200, pattern="^[^\\u0000]*$")]
Comment = Annotated[Text, Meta(max_length=500)]


class RemoteMode(enum.StrEnum):
    REQUEST = "request"  # the user accepts on their side
    PASSWORD = "password"  # noqa: S105 - a mode: the specialist knows the host's password


class RemoteState(enum.StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    CONNECTED = "connected"
    ENDED = "ended"
    FAILED = "failed"


FINAL_STATES = frozenset(
    {RemoteState.DECLINED, RemoteState.TIMED_OUT, RemoteState.ENDED, RemoteState.FAILED}
)


class Via(enum.StrEnum):
    DIRECT = "direct"  # the viewer dials host:port
    REVERSE = "reverse"  # the viewer listens; the user's host dials out
    REPEATER = "repeater"  # both sides dial the repeater host:port with repeater_id


class _Reach(Struct, frozen=True, forbid_unknown_fields=True, tag_field="via"):
    """How the viewer reaches the user's host: a union tagged by ``via``, each variant with
    the fields its way needs (and all four attributes, the others None)."""


class DirectReach(_Reach, frozen=True, tag="direct"):
    """The viewer dials host:port."""

    host: Host
    port: Port
    repeater_id: None = None

    @property
    def via(self) -> Via:
        return Via.DIRECT


class ReverseReach(_Reach, frozen=True, tag="reverse"):
    """The viewer listens and the user's host dials out: the user side publishes nothing
    else; the session shows where the viewer listens once it says so."""

    host: Host | None = None
    port: Port | None = None
    repeater_id: None = None

    @property
    def via(self) -> Via:
        return Via.REVERSE


class RepeaterReach(_Reach, frozen=True, tag="repeater"):
    """Both sides dial the repeater host:port with repeater_id."""

    host: Host
    port: Port
    repeater_id: RepeaterId

    @property
    def via(self) -> Via:
        return Via.REPEATER


Reach = DirectReach | ReverseReach | RepeaterReach


class ListeningReach(_Reach, frozen=True, tag="reverse"):
    """Where a reverse viewer listens (the specialist's report)."""

    host: Host
    port: Port
    repeater_id: None = None

    @property
    def via(self) -> Via:
        return Via.REVERSE


class RemoteSession(Struct, frozen=True):
    id: Id
    line_id: Id
    user_id: Id
    ticket_id: Id
    specialist_id: Id
    mode: RemoteMode
    state: RemoteState
    reason: str | None
    reach: Reach | None
    requested_at: Time
    connected_at: Time | None
    ended_at: Time | None
    duration: Annotated[int | None, Meta(description="seconds connected")]
    comment: str | None


class NewRemoteSession(Struct, frozen=True, forbid_unknown_fields=True):
    line_id: Id
    user_id: Id
    mode: RemoteMode
    reach: Annotated[
        Reach | UnsetType, Meta(description="password mode: where the host is, if known")
    ] = UNSET


class RemoteAnswer(Struct, frozen=True, forbid_unknown_fields=True):
    """The user side: accept (with how to reach its host) or decline."""

    accept: bool
    reach: Annotated[Reach | UnsetType, Meta(description="needed to accept")] = UNSET


ACCEPT_NEEDS_REACH: dict[str, object] = {
    "if": {"properties": {"accept": {"const": True}}},
    "then": {"required": ["reach"]},
}
"""RemoteAnswer's rule across its fields, for the document: an acceptance says how to
reach the host."""


class _Report(Struct, frozen=True, forbid_unknown_fields=True, tag_field="state"):
    """The specialist's side: what the viewer did. A union tagged by ``state``."""


class ReportAccepted(_Report, frozen=True, tag="accepted"):
    """A reverse viewer listens at ``listening``: the user's host is to dial there."""

    listening: ListeningReach

    @property
    def state(self) -> RemoteState:
        return RemoteState.ACCEPTED


class ReportConnected(_Report, frozen=True, tag="connected"):
    @property
    def state(self) -> RemoteState:
        return RemoteState.CONNECTED


class ReportEnded(_Report, frozen=True, tag="ended"):
    reason: Reason | UnsetType = UNSET

    @property
    def state(self) -> RemoteState:
        return RemoteState.ENDED


class ReportFailed(_Report, frozen=True, tag="failed"):
    reason: Reason | UnsetType = UNSET

    @property
    def state(self) -> RemoteState:
        return RemoteState.FAILED


class ReportTimedOut(_Report, frozen=True, tag="timed_out"):
    reason: Reason | UnsetType = UNSET

    @property
    def state(self) -> RemoteState:
        return RemoteState.TIMED_OUT


RemoteReport = ReportAccepted | ReportConnected | ReportEnded | ReportFailed | ReportTimedOut
ENDINGS = (ReportEnded, ReportFailed, ReportTimedOut)


class RemoteComment(Struct, frozen=True, forbid_unknown_fields=True):
    comment: Comment


class RemotePath(Struct, frozen=True):
    session_id: Id


class RemoteStatsQuery(Struct, frozen=True):
    line_id: Id


class SpecialistRemoteStats(Struct, frozen=True):
    specialist_id: Id
    sessions: Count
    connected: Count
    declined: Count
    timed_out: Count
    failed: Count
    seconds: Annotated[int, Meta(ge=0, description="total time connected")]


class RemoteStats(Struct, frozen=True):
    line_id: Id
    items: list[SpecialistRemoteStats]


class RemoteSessions(Struct, frozen=True):
    items: list[RemoteSession]
