"""Remote sessions: a specialist connects to a client user's desktop, by request (the user
accepts on their side) or by password (the one set on the user's computer).

States: requested → accepted → connected → ended; or declined / timed_out / failed (with a
reason). A request nobody answers in ``REQUEST_TIMEOUT`` seconds is timed out. Every change
is an event ``remote.updated`` (data: ``RemoteSession``) on the session's line, for the user.
"""

from __future__ import annotations

import enum
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from contract.types import Count, Id, Text, Time

REQUEST_TIMEOUT = 120  # seconds a request waits for the user's answer

# a host the launcher will take: an IP address or a DNS name, never an option (`-via`, `/p:`)
HOST = "^(\\[[0-9A-Fa-f:.]+\\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))$"
Host = Annotated[str, Meta(pattern=HOST, max_length=255)]
Port = Annotated[int, Meta(ge=1, le=65535)]
RepeaterId = Annotated[str, Meta(pattern="^[0-9]{1,10}$")]
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


class Reach(Struct, frozen=True, forbid_unknown_fields=True):
    """How the viewer reaches the user's host."""

    via: Via
    host: Host | None = None
    port: Port | None = None
    repeater_id: RepeaterId | None = None


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
    reach: Reach | UnsetType = UNSET


class RemoteReport(Struct, frozen=True, forbid_unknown_fields=True):
    """The specialist's side: what the viewer did."""

    state: Annotated[
        RemoteState,
        Meta(
            description="connected, ended, failed or timed_out (the viewer's outcome); accepted"
            " with a reverse `listening` reach: the viewer listens there for the user's host"
        ),
    ]
    reason: Reason | UnsetType = UNSET
    listening: Annotated[
        Reach | UnsetType,
        Meta(description="reverse: where the specialist's viewer listens (host and port)"),
    ] = UNSET


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
