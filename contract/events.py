"""The event stream (``GET /events``, a WebSocket): the frames each side sends.

Server frames are told apart by ``type``; an ``event`` frame's ``data`` by its ``kind``
(``EVENT_DATA``). The server writes an event's data into its log when the change
commits and sends the stored JSON as is, so a frame is decoded in two steps: the
frame (``ServerFrame``, ``data`` kept raw), then its data (``event_data``).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from contract.calls import CallRecord
from contract.chats import Message, Ticket
from contract.clients import Presence
from contract.disconnections import Disconnection
from contract.favourites import FavouriteChanged
from contract.groups import Group
from contract.profile import SpecialistUpdated
from contract.remote import RemoteSession
from contract.tickets import TicketStep
from contract.types import AccountKind, AvatarUrl, EventKind, Id, IdOrZero, Seq, Status, Time


class HelloFrame(Struct, frozen=True, tag_field="type", tag="hello"):
    """The first frame: the log's newest seq and the oldest one still kept."""

    head: Seq
    oldest: Seq


class ResyncFrame(Struct, frozen=True, tag_field="type", tag="resync"):
    """The log no longer covers the asked cursor: reload, then follow from ``head``."""

    oldest: Seq
    head: Seq


class EventFrame(Struct, frozen=True, tag_field="type", tag="event"):
    seq: Seq
    kind: EventKind
    line_id: Id | None
    chat_id: Id | None
    user_id: Id | None
    at: Time
    data: Annotated[
        msgspec.Raw,
        Meta(description="by kind: see the EVENT_DATA of contract/events.py"),
    ]


class TypingFrame(Struct, frozen=True, tag_field="type", tag="typing"):
    chat_id: Id
    author: TypingAuthor


class TypingAuthor(Struct, frozen=True):
    id: Id
    kind: AccountKind
    full_name: str


class ErrorFrame(Struct, frozen=True, tag_field="type", tag="error"):
    """A client frame the server did not take (the stream goes on)."""

    detail: str


ServerFrame = HelloFrame | ResyncFrame | EventFrame | TypingFrame | ErrorFrame


class ClientFrame(Struct, frozen=True, forbid_unknown_fields=True, tag_field="type", tag="typing"):
    """The only frame a client sends: it is typing in a chat."""

    chat_id: Id


class EventsQuery(Struct, frozen=True):
    after: Annotated[
        Seq | UnsetType, Meta(description="the last seq received; omitted: live only")
    ] = UNSET


# -- the data of each kind of event -------------------------------------------------


class ChatRead(Struct, frozen=True):
    chat_id: Id
    up_to: IdOrZero
    by: Id  # the specialist who read


class SpecialistStatus(Struct, frozen=True):
    id: Id
    status: Status


class UserUpdated(Struct, frozen=True, omit_defaults=True):
    """The UserRow fields that changed (only those are present)."""

    id: Id
    avatar_url: AvatarUrl | UnsetType = UNSET
    position: str | UnsetType | None = UNSET
    email: str | UnsetType | None = UNSET
    status: Status | UnsetType | None = UNSET
    presence: Presence | UnsetType = UNSET
    disconnected: Disconnection | UnsetType | None = UNSET


EVENT_DATA: dict[EventKind, type[Any]] = {
    EventKind.MESSAGE_CREATED: Message,
    EventKind.MESSAGE_DELETED: Message,  # the tombstone
    EventKind.TICKET_OPENED: Ticket,
    EventKind.TICKET_UPDATED: Ticket,
    EventKind.TICKET_CLOSED: Ticket,
    EventKind.TICKET_STEP: TicketStep,
    EventKind.SPECIALIST_STATUS: SpecialistStatus,
    EventKind.SPECIALIST_UPDATED: SpecialistUpdated,
    EventKind.CHAT_READ: ChatRead,
    EventKind.USER_UPDATED: UserUpdated,
    EventKind.REMOTE_UPDATED: RemoteSession,
    EventKind.CALL_UPDATED: CallRecord,
    EventKind.GROUP_UPDATED: Group,
    EventKind.FAVOURITE_CHANGED: FavouriteChanged,
}
EventData = (
    Message
    | Ticket
    | TicketStep
    | SpecialistStatus
    | SpecialistUpdated
    | ChatRead
    | UserUpdated
    | RemoteSession
    | CallRecord
    | Group
    | FavouriteChanged
)
