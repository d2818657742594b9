"""Lines and their users: the users list (keyset-paged), the directory, one user's card."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from contract.accounts import Person
from contract.disconnections import Disconnection
from contract.types import (
    END,
    AccountKind,
    AvatarUrl,
    Count,
    Id,
    LineKind,
    Status,
    Text,
    Time,
)

MAX_USERS_PAGE = 500
MAX_ROWS = 500
MAX_ACTIVE_DAYS = 36_500


class Line(Struct, frozen=True):
    id: Id
    name: str  # the account name, shown to specialists
    public_name: str  # shown to client users
    kind: LineKind
    user_count: Count
    streaming: bool  # more than 100 users: the list shows active users only


class Lines(Struct, frozen=True):
    items: list[Line]


class CompanyRef(Struct, frozen=True):
    id: Id
    name: str
    inns: list[str]


class LastMessage(Struct, frozen=True):
    id: Id
    text: str
    created_at: Time
    author_kind: AccountKind
    file_name: str = ""  # the name of the file it carries ("": none)


class OpenTicket(Struct, frozen=True):
    id: Id
    specialist_id: Id | None
    opened_at: Time | None = None  # since when it is open (a queued one: how long it waits)


class Presence(enum.StrEnum):
    """A client user's presence as the server knows it (their own app reports it)."""

    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class UserRow(Struct, frozen=True):
    """One row of the users list of a line."""

    id: Id
    chat_id: Id | None
    full_name: str
    login: str
    email: str | None
    position: str | None
    company: CompanyRef | None
    colleague: bool
    status: Status | None  # a colleague's working status
    avatar_url: AvatarUrl
    birth_date: date | None
    mobile: bool
    last_message: LastMessage | None
    unread: Count
    open_ticket: OpenTicket | None
    presence: Presence = Presence.OFFLINE  # a client user's (colleagues: `status`)
    disconnected: Disconnection | None = None  # from this line: by whom, when, why


class UserPage(Struct, frozen=True):
    items: list[UserRow]
    next_cursor: str | None


class UserRows(Struct, frozen=True):
    items: list[UserRow]


class CompanyParam(Struct, frozen=True):
    tag: str
    value: str
    expires: Annotated[
        date | None,
        Meta(description="when what the parameter grants ends (an ITS contract), if it does"),
    ] = None


class PersonRef(Struct, frozen=True):
    """A responsible specialist of the user's company."""

    id: Id
    full_name: str
    status: Status | None = None
    user_id: Annotated[
        Id | None,
        Meta(description="their own user account on this line (its chat), if connected to it"),
    ] = None


class CompanyCard(Struct, frozen=True):
    id: Id
    name: str
    inns: list[str]
    region: str | None
    time_zone: str
    params: list[CompanyParam]
    responsible: list[PersonRef]


class LineRef(Struct, frozen=True):
    id: Id
    name: str


class UserCard(Person, frozen=True):
    """Everything the info panel shows about one user: a person and their row."""

    chat_id: Id | None
    company: CompanyCard | None
    colleague: bool
    status: Status | None
    last_message: LastMessage | None
    unread: Count
    open_ticket: OpenTicket | None
    region: str | None
    presence: Presence = Presence.OFFLINE
    access_until: Annotated[
        date | None, Meta(description="the user's access to this line ends that day, if it does")
    ] = None
    other_lines: Annotated[
        list[LineRef],
        Meta(
            description="the serving company's other lines the user is connected to (a ticket "
            "may be transferred there)"
        ),
    ] = msgspec.field(default_factory=list)
    disconnected: Disconnection | None = None  # from this line: by whom, when, why


class Directory(Struct, frozen=True):
    """Parallel arrays in the display order of ``GET /lines/{line_id}/users``."""

    ids: list[Id]
    chat_ids: list[Id | None]
    last_message_at: list[Time | None]
    search: list[str]
    flags: list[Annotated[int, Meta(ge=0, le=31)]]
    """What the list's filter asks of each user, as bits (`DirectoryFlag`)."""
    company_ids: list[Id | None]
    birthdays: list[Annotated[int, Meta(ge=0, le=1231)]]
    """Month × 100 + day of the birth date; 0: not known."""


class LineCompany(Struct, frozen=True):
    """A company some user of the line is of: what the list's filter by company offers."""

    id: Id
    name: str
    inns: list[str]
    users: Count  # its users on the line


class LineCompanies(Struct, frozen=True):
    """Every company of a line's users, by name (a line may have thousands)."""

    items: list[LineCompany]


class DirectoryFlag(enum.IntFlag):
    """The bits of `Directory.flags`."""

    UNREAD = 1  # the chat has unread messages
    WAITING = 2  # the user's message is the chat's last: waiting for an answer
    ONLINE = 4  # a client user online, or a colleague not Away
    MINE = 8  # an open ticket held by the caller
    UNHELD = 16  # an open ticket nobody holds (waiting in the line's queue)


# -- parameters --------------------------------------------------------------------


class LinePath(Struct, frozen=True):
    line_id: Id


class UserPath(Struct, frozen=True):
    line_id: Id
    user_id: Id


MAX_QUERY = 10_000
"""Characters of a search (SQLite refuses LIKE patterns over 50 000 bytes)."""


CURSOR = (
    "^(|a\\.[0-9]{1,16}\\.[0-9]{1,10}|n\\.[0-9]{1,10}\\.([A-Za-z0-9_-]{4})*([A-Za-z0-9_-]{2,3})?)"
    + END
)
"""A users-list cursor (``server.core.cursors``)."""
MAX_CURSOR = 2000  # a 320-character name in base64url, and the rest


class UsersQuery(Struct, frozen=True):
    """A query parameter not given is UNSET (never null: a URL cannot say null)."""

    line_id: Id
    limit: Annotated[int, Meta(ge=1, le=MAX_USERS_PAGE)] = 50
    cursor: Annotated[
        Annotated[str, Meta(pattern=CURSOR, max_length=MAX_CURSOR)] | None,
        Meta(
            description='next_cursor of the previous page ("": the first page). Its form:'
            " a.<microseconds since 1970 UTC>.<user id> (after this last-message time and id,"
            " newest first) or n.<user id>.<base64url of the UTF-8 full name> (after this name"
            " and id, among users without messages); every cursor of this form is a position",
        ),
    ] = None
    q: Annotated[
        Text,
        Meta(
            max_length=MAX_QUERY,
            description="case-insensitive substring of full name, login, e-mail, company name"
            " or INN",
        ),
    ] = ""
    active_days: Annotated[
        Annotated[int, Meta(ge=1, le=MAX_ACTIVE_DAYS)] | UnsetType,
        Meta(description="only users whose last message is within N days"),
    ] = UNSET


class RowsQuery(Struct, frozen=True):
    line_id: Id
    ids: Annotated[
        list[Id],
        Meta(
            min_length=1,
            max_length=MAX_ROWS,
            description=f"1 to {MAX_ROWS} user ids, comma-separated",
        ),
    ]


class MyList(Struct, frozen=True):
    """The users a specialist added to their list on a line (newest first)."""

    ids: list[Id]


class PresenceRequest(Struct, frozen=True, forbid_unknown_fields=True):
    presence: Presence
