"""Chats, their messages, files and tickets."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from contract.types import (
    NOT_BLANK,
    NUL_FREE,
    AccountKind,
    Id,
    IdOrZero,
    TicketState,
    Time,
    Uuid,
    UuidGiven,
)

MAX_TEXT = 10_000
MAX_PAGE = 200
MAX_FILE = 20 * 1024 * 1024
"""The server's cap on one file (its default; a server may set another and says so in 413)."""


class ChatLine(Struct, frozen=True):
    id: Id
    public_name: str


class Chat(Struct, frozen=True):
    id: Id
    line: ChatLine


class Chats(Struct, frozen=True):
    items: list[Chat]


class File(Struct, frozen=True):
    id: Id
    name: str
    size: Annotated[int, Meta(ge=0)]
    content_type: str


class Author(Struct, frozen=True):
    id: Id
    kind: AccountKind
    full_name: str


class Quote(Struct, frozen=True):
    id: Id
    text: str  # the quoted message's text, or the part of it quoted (`fragment`)
    author_name: str
    fragment: bool = False
    deleted: bool = False  # the quoted message was deleted (its text is not given)


class Message(Struct, frozen=True):
    id: Id
    chat_id: Id
    client_msg_id: Uuid
    author: Author
    text: str
    quote: Quote | None
    file: File | None
    created_at: Time
    ticket_id: Id | None
    deleted: bool = False  # deleted by its author: a tombstone (no text, file or quote)


class MessagePage(Struct, frozen=True):
    items: list[Message]
    has_more: bool


class Ticket(Struct, frozen=True):
    id: Id
    chat_id: Id
    line_id: Id
    user_id: Id
    specialist_id: Id | None
    state: TicketState
    opened_at: Time
    closed_at: Time | None


# -- requests ----------------------------------------------------------------------


class MessageRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """A message needs text (not only spaces) or a file."""

    text: Annotated[str, Meta(max_length=MAX_TEXT, pattern=NUL_FREE)] = ""
    quote_id: Id | None = None
    # a part of the quoted message's text to quote ("": all of it); needs quote_id
    quote_text: Annotated[str, Meta(max_length=MAX_TEXT, pattern=NUL_FREE)] = ""
    file_id: Id | None = None


NEEDS_TEXT_OR_FILE: dict[str, object] = {
    "anyOf": [
        {"required": ["text"], "properties": {"text": {"pattern": NOT_BLANK}}},
        {"required": ["file_id"], "properties": {"file_id": {"type": "integer"}}},
    ],
    "if": {"required": ["quote_text"], "properties": {"quote_text": {"pattern": NOT_BLANK}}},
    "then": {"required": ["quote_id"], "properties": {"quote_id": {"type": "integer"}}},
}
"""MessageRequest's rules across its fields, for the document (the server checks them after
stripping the text): text or a file; a fragment (``quote_text`` with more than spaces)
names the message it is from."""


class ReadRequest(Struct, frozen=True, forbid_unknown_fields=True):
    up_to: Id  # a message of the chat (0 names none: the server refuses it)


# -- parameters --------------------------------------------------------------------


class ChatPath(Struct, frozen=True):
    chat_id: Id


class HistoryQuery(Struct, frozen=True):
    """``before`` and ``after`` together are a range: the messages between them, oldest
    first."""

    chat_id: Id
    before: Annotated[
        Id | UnsetType,
        Meta(description="messages before this id: the newest of them, unless after is given"),
    ] = UNSET
    after: Annotated[
        IdOrZero | UnsetType,
        Meta(description="messages after this id: the oldest of them (with before: up to it)"),
    ] = UNSET
    limit: Annotated[int, Meta(ge=1, le=MAX_PAGE)] = 50


class MessagePath(Struct, frozen=True):
    chat_id: Id
    client_msg_id: UuidGiven

    @property
    def key(self) -> str:
        """The retry key as the server keeps it (lower-case)."""
        return self.client_msg_id.lower()


class TicketPath(Struct, frozen=True):
    ticket_id: Id


class FilePath(Struct, frozen=True):
    file_id: Id


# -- search of the whole history, and a message in place -----------------------------------

MAX_QUERY = 200
MAX_HITS = 50


class SearchQuery(Struct, frozen=True):
    chat_id: Id
    q: Annotated[
        str,
        Meta(
            min_length=1,
            max_length=MAX_QUERY,
            pattern=NUL_FREE,
            description="words in any form (Russian stemming; е and ё equal; any case)",
        ),
    ]
    before: Annotated[
        Id | UnsetType, Meta(description="hits older than this message id (the next page)")
    ] = UNSET
    limit: Annotated[int, Meta(ge=1, le=MAX_HITS)] = 20


class Span(Struct, frozen=True, array_like=True):
    """A matched word of a message's text: [start, end) in characters."""

    start: Annotated[int, Meta(ge=0)]
    end: Annotated[int, Meta(ge=0)]


class SearchHit(Struct, frozen=True):
    message: Message
    spans: list[Span]


class SearchPage(Struct, frozen=True):
    """Hits newest first. ``words`` are the words searched for; ``ignored`` the ones too
    common to search (stop words): a query of only those finds nothing and says so."""

    items: list[SearchHit]
    has_more: bool
    words: list[str]
    ignored: list[str]


class AroundPath(Struct, frozen=True):
    chat_id: Id
    message_id: Id


class AroundQuery(Struct, frozen=True):
    chat_id: Id
    message_id: Id
    limit: Annotated[int, Meta(ge=1, le=MAX_PAGE, description="messages on each side")] = 25


class AroundPage(Struct, frozen=True):
    """The message, ``limit`` older and ``limit`` newer ones, ascending."""

    items: list[Message]
    has_older: bool
    has_newer: bool


MAX_FILES = 200


class FilesQuery(Struct, frozen=True):
    chat_id: Id
    limit: Annotated[int, Meta(ge=1, le=MAX_FILES)] = 50


class UnreadChat(Struct, frozen=True):
    """A chat with client messages the specialists have not read."""

    chat_id: Id
    count: Annotated[int, Meta(ge=1)]
    newest: Annotated[Id, Meta(description="the chat's newest message (a read up to it reads all)")]


class UnreadChats(Struct, frozen=True):
    items: list[UnreadChat]


class FileMessages(Struct, frozen=True):
    """The messages of a chat that carry a file, newest first."""

    items: list[Message]
