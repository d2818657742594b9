"""Groups: a chat of several people — colleagues and users of the creator's lines — that works
like a user's chat (its messages go through ``contract.chats`` by the group's ``chat_id``)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from contract.types import NOT_BLANK, AccountKind, Count, Id, Time

MAX_NAME = 200
MAX_MEMBERS = 1000
"""The most members a group has (its creator included); a request naming more is refused."""

Ids = Annotated[list[Id], Meta(max_length=MAX_MEMBERS)]


class Member(Struct, frozen=True):
    """A member: a specialist (``id`` a specialist's) or a client user (a client user's)."""

    kind: AccountKind
    id: Id
    full_name: str


class Group(Struct, frozen=True):
    id: Id
    name: str  # as its creator typed it: plain text, never markup
    chat_id: Id  # its messages, files and quotes: the chat operations of this chat
    line_id: Id  # the line it was made on (whose company's event log carries it)
    creator_id: Id  # the specialist who made it; only they change its members
    members: list[Member]
    created_at: Time


class Groups(Struct, frozen=True):
    items: list[Group]


class GroupRef(Struct, frozen=True):
    """A group in short: what the info panel lists."""

    id: Id
    name: str
    chat_id: Id
    member_count: Count


class SharedGroups(Struct, frozen=True):
    """The groups both the caller and a user are members of, by name."""

    items: list[GroupRef]


# -- requests ----------------------------------------------------------------------


class NewGroup(Struct, frozen=True, forbid_unknown_fields=True):
    """A group made by a specialist: its members beside the creator, each from the creator's
    environment (a colleague of their company, a user of a line they serve)."""

    line_id: Id  # a line the creator serves
    name: Annotated[str, Meta(min_length=1, max_length=MAX_NAME, pattern=NOT_BLANK)]
    user_ids: Ids = []
    specialist_ids: Ids = []


class GroupChange(Struct, frozen=True, forbid_unknown_fields=True):
    """A group renamed by its creator (kept as typed, stripped: plain text, never markup)."""

    name: Annotated[str, Meta(min_length=1, max_length=MAX_NAME, pattern=NOT_BLANK)]


class MembersRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """Members to add (those already in stay, once)."""

    user_ids: Ids = []
    specialist_ids: Ids = []


# -- parameters --------------------------------------------------------------------


class GroupPath(Struct, frozen=True):
    group_id: Id


class GroupUserPath(Struct, frozen=True):
    group_id: Id
    user_id: Id


class GroupSpecialistPath(Struct, frozen=True):
    group_id: Id
    specialist_id: Id


class UserPath(Struct, frozen=True):
    user_id: Id
