"""What the workplace tells its observers (the UI) — the only channel out of `app/`.

`Workplace.subscribe(callback)` calls `callback(change)` on the asyncio/Qt
thread for each of these. `ui/` adapts them to Qt signals and model updates:
`UsersReset` → model reset (a new query only), `UserMoved` → beginMoveRows,
`UserChanged` → dataChanged, `MessageAdded` → beginInsertRows, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.domain import (
    Colleague,
    ConnectionState,
    Line,
    Me,
    Message,
    Status,
    UserCard,
    UserRow,
)
from app.core.problems import ProblemCode
from contract.calls import CallRecord
from contract.groups import Group
from contract.remote import RemoteSession
from contract.tickets import TicketStep


@dataclass(frozen=True, slots=True)
class SignedIn:
    me: Me
    server_url: str
    demo: bool


@dataclass(frozen=True, slots=True)
class MeChanged:
    """My profile or photo changed (here, or in another of my sessions)."""

    me: Me


@dataclass(frozen=True, slots=True)
class LinesLoaded:
    lines: tuple[Line, ...]
    current_line_id: int | None


@dataclass(frozen=True, slots=True)
class UsersReset:
    """A new list for the current line/query: `ids` in display order."""

    line_id: int
    query: str
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class UsersComplete:
    """A streaming line's whole directory is here (search covers everyone, and what the list
    leaves out is known); the list shown did not change."""

    line_id: int


@dataclass(frozen=True, slots=True)
class UserChanged:
    """A row's data changed in place (status, unread, last message...)."""

    row: UserRow


@dataclass(frozen=True, slots=True)
class UserMoved:
    """A row moved (a new message lifts it to the top): from → to positions in the current list."""

    user_id: int
    old_pos: int
    new_pos: int


@dataclass(frozen=True, slots=True)
class UserInserted:
    """A user appeared in the current list at `pos` (e.g. a first message in streaming mode)."""

    user_id: int
    pos: int


@dataclass(frozen=True, slots=True)
class ChatOpened:
    """The specialist opened a chat: its newest page of history (ascending)."""

    user_id: int
    chat_id: int
    messages: tuple[Message, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class HistoryPrepended:
    chat_id: int
    messages: tuple[Message, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class MessageAdded:
    chat_id: int
    message: Message


@dataclass(frozen=True, slots=True)
class MessageUpdated:
    """A message changed in place, matched by client_msg_id: an own message's delivery
    (sending → sent / failed), a deleted one's tombstone, a reply whose quoted one was deleted."""

    chat_id: int
    message: Message


@dataclass(frozen=True, slots=True)
class CardLoaded:
    card: UserCard
    line_id: int | None = None  # the line it is of (a card is a user's on one line)


@dataclass(frozen=True, slots=True)
class StatusChanged:
    status: Status
    automatic: bool  # set by the idle timer, not by the specialist


@dataclass(frozen=True, slots=True)
class ColleagueChanged:
    colleague: Colleague


@dataclass(frozen=True, slots=True)
class ColleaguesLoaded:
    """The line's colleagues as the server has them now (after a sign-in, a reconnect)."""

    colleagues: tuple[Colleague, ...]


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    state: ConnectionState
    cause: ProblemCode | None  # why it is not connected (the window has the words); None when up
    retry_in: float | None = None  # seconds until the next attempt


@dataclass(frozen=True, slots=True)
class SessionExpired:
    """The server no longer accepts our token: the specialist must sign in again.
    Nothing is lost meanwhile: typed messages wait in the outbox."""

    server_url: str
    login: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the specialist should read: what happened (the window has the words for
    each code) and, at most, the server's or the system's own explanation."""

    code: ProblemCode
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TicketStepAdded:
    """A step of a ticket's life happened: a system line of its chat (app/tickets)."""

    step: TicketStep


@dataclass(frozen=True, slots=True)
class RemoteChanged:
    """A remote session changed (`session`: the server's view, app/remote/) or its viewer or
    the pre-flight check said something (`phase`: a `remote.outcome.Phase` value); `session`
    is None for a pre-flight failure before any session was asked for."""

    session: RemoteSession | None
    phase: str | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class CallChanged:
    """A call record changed on the server (app/calls/): ringing, answered, ended, commented."""

    record: CallRecord


@dataclass(frozen=True, slots=True)
class UserTyping:
    """The client user of a chat is typing (a notice comes every few seconds while they do)."""

    chat_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ChatAlert:
    """A client wrote to a chat the specialist is not reading, or something happened in a
    favourite's chat (app/chat/alerts.py): `step`, a step of its ticket's life."""

    chat_id: int
    user_id: int | None
    name: str
    preview: str
    first: bool = True  # the first message to a quiet chat (a new conversation)
    repeat: int = 0  # 0: the message's own alert; n: the n-th reminder that nobody opened it
    step: TicketStep | None = None  # in a favourite's chat: a step of its ticket's life


@dataclass(frozen=True, slots=True)
class UnreadChanged:
    """Client messages that came to chats not in view and are not read yet (the tray's
    count, app/chat/alerts.py)."""

    total: int


@dataclass(frozen=True, slots=True)
class GroupsChanged:
    """My groups now (app/groups/), newest first: one was made, changed, or left."""

    groups: tuple[Group, ...]


Change = (
    SignedIn
    | MeChanged
    | LinesLoaded
    | UsersReset
    | UsersComplete
    | UserChanged
    | UserMoved
    | UserInserted
    | ChatOpened
    | HistoryPrepended
    | MessageAdded
    | MessageUpdated
    | CardLoaded
    | StatusChanged
    | ColleagueChanged
    | ColleaguesLoaded
    | ConnectionChanged
    | SessionExpired
    | Problem
    | TicketStepAdded
    | RemoteChanged
    | CallChanged
    | UserTyping
    | ChatAlert
    | UnreadChanged
    | GroupsChanged
)
