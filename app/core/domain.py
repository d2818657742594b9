"""The workplace's domain objects: plain, immutable, slotted. No Qt here.

These are what `app/` hands to `ui/`. They mirror the contract's messages
(`contract/`, docs/api.md) in the shapes the window wants (empty text rather than
null, tuples); `app.core.parse` makes them from the decoded replies, and nothing
else constructs them from raw data. The enums the server shares (status, line kind,
ticket state, author kind) are the contract's own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.problems import ProblemCode
from contract.clients import Presence as Presence
from contract.disconnections import Disconnection as Disconnection
from contract.types import AccountKind as AccountKind
from contract.types import LineKind as LineKind
from contract.types import Status as Status
from contract.types import TicketState as TicketState


class ConnectionState(enum.StrEnum):
    CONNECTED = "connected"
    CONNECTING = "connecting"  # first connect or a reconnect with backoff
    OFFLINE = "offline"  # gave up for now / never reached


class Delivery(enum.StrEnum):
    """An own message's delivery state as the specialist sees it."""

    SENDING = "sending"  # in the outbox, not yet acknowledged
    SENT = "sent"  # the server has it
    FAILED = "failed"  # rejected (e.g. too long); retry offered


@dataclass(frozen=True, slots=True)
class CompanyRef:
    id: int
    name: str
    inns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    id: int
    name: str  # account name, shown to specialists
    public_name: str  # shown to client users
    kind: LineKind
    user_count: int
    streaming: bool  # more than 100 users: the list shows active users only


@dataclass(frozen=True, slots=True)
class LastMessage:
    id: int
    text: str
    created_at: datetime
    author_kind: AccountKind
    file_name: str = ""  # the name of the file it carries ("": none)


@dataclass(frozen=True, slots=True)
class OpenTicket:
    id: int
    specialist_id: int | None
    opened_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserRow:
    """One row of the users list of a line."""

    id: int
    chat_id: int
    full_name: str
    login: str
    email: str
    position: str
    company: CompanyRef | None
    colleague: bool
    status: Status | None
    avatar_url: str | None
    birth_date: date | None
    mobile: bool
    last_message: LastMessage | None
    unread: int
    open_ticket: OpenTicket | None
    presence: Presence = Presence.OFFLINE  # a client user's (a colleague's: `status`)
    disconnected: Disconnection | None = None  # from this line (seed 004): by whom, when, why


@dataclass(frozen=True, slots=True)
class CompanyParam:
    tag: str
    value: str
    expires: date | None = None  # what it grants ends (an ITS contract)


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A responsible specialist of a company."""

    id: int
    full_name: str
    status: Status | None = None
    user_id: int | None = None  # their own user on the line (their chat), if connected to it


@dataclass(frozen=True, slots=True)
class CompanyCard:
    id: int
    name: str
    inns: tuple[str, ...]
    region: str
    time_zone: str
    params: tuple[CompanyParam, ...]
    responsible: tuple[PersonRef, ...]


@dataclass(frozen=True, slots=True)
class UserCard:
    """Everything the info panel shows about one user."""

    row: UserRow
    last_name: str
    first_name: str
    patronymic: str
    department: str
    phone: str
    time_zone: str
    region: str
    company: CompanyCard | None
    access_until: date | None = None  # their access to the line ends that day
    other_lines: tuple[tuple[int, str], ...] = ()
    """The serving company's other lines they are connected to: (id, name) — where a ticket
    may be transferred."""


@dataclass(frozen=True, slots=True)
class Author:
    id: int
    kind: AccountKind
    full_name: str


@dataclass(frozen=True, slots=True)
class Quote:
    id: int
    text: str  # the quoted message's text, or the part of it quoted (`fragment`)
    author_name: str
    fragment: bool = False
    deleted: bool = False  # the quoted message was deleted (no text)


@dataclass(frozen=True, slots=True)
class FileRef:
    id: int
    name: str
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class Message:
    """A chat message. `id` is None while it waits in the outbox."""

    id: int | None
    chat_id: int
    client_msg_id: str
    author: Author
    text: str
    created_at: datetime
    quote: Quote | None = None
    file: FileRef | None = None
    ticket_id: int | None = None
    delivery: Delivery = Delivery.SENT
    error: ProblemCode | None = None  # why delivery failed
    deleted: bool = False  # deleted by its author: a tombstone (no text, file or quote)


@dataclass(frozen=True, slots=True)
class Me:
    id: int
    login: str
    full_name: str
    position: str
    status: Status
    company: CompanyRef
    avatar_url: str | None = None
    email: str = ""
    phone: str = ""
    server: str = ""  # which server this is (its id): app/context.py keys the account by it


@dataclass(frozen=True, slots=True)
class Colleague:
    id: int
    full_name: str
    status: Status
    avatar_url: str | None = None
    extension: str = ""  # their number at the PBX


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    chat_id: int
    line_id: int
    user_id: int
    specialist_id: int | None
    state: TicketState
    opened_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserPatch:
    """Fields of a UserRow that changed; None means unchanged."""

    user_id: int
    fields: dict[str, object] = field(default_factory=dict)
