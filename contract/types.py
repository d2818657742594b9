"""The contract's building blocks: constrained scalars and the enums both sides share."""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Annotated

from msgspec import Meta

MAX_ID = 2**31 - 1  # ids are 32-bit integer columns
MAX_SEQ = 2**63 - 1  # event sequence numbers are 64-bit

Id = Annotated[int, Meta(ge=1, le=MAX_ID)]
"""An object's id (a positive 32-bit integer)."""
IdOrZero = Annotated[int, Meta(ge=0, le=MAX_ID)]
Count = Annotated[int, Meta(ge=0)]
Seq = Annotated[int, Meta(ge=0, le=MAX_SEQ)]
END = "(?!\\n)$"
"""A pattern's end that means in Python what ``$`` means in the document (ECMA-262): Python's
``$`` also matches before a final newline, and msgspec checks with ``re.search``, so
``"x\\n"`` passed ``^x$`` (a cursor that then failed to decode, a host with a newline stored).
Patterns whose characters may be a newline need none."""
NUL_FREE = "^[^\\u0000]*$"
Text = Annotated[str, Meta(pattern=NUL_FREE)]
"""Text the server stores: no NUL characters (both databases refuse them)."""
SPACES = (
    "\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029"
    "\\u202f\\u205f\\u3000"
)
"""What the server strips from text (Python's ``str.strip``), as a regex character class."""
INVISIBLE = (
    "\\u00ad\\u034f\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064"
    "\\u2066-\\u206f\\u2800\\u3164\\ufeff\\uffa0"
)
"""Characters that show nothing by themselves (zero-width ones, direction marks, the soft
hyphen, fillers, the blank Braille pattern), as a regex character class: a text of these
and spaces alone is an empty bubble, so it counts as no text."""
NOT_BLANK = f"^[^\\u0000]*[^{SPACES}{INVISIBLE}\\u0000][^\\u0000]*$"
"""Text with something besides spaces and invisible characters (and no NUL)."""
_SHOWS = re.compile(f"[^{SPACES}{INVISIBLE}]")


def shows_something(text: str) -> bool:
    """Whether ``text`` has a character a reader sees (:data:`NOT_BLANK` without NUL)."""
    return _SHOWS.search(text) is not None


Time = Annotated[datetime, Meta(tz=True)]
"""An instant, RFC 3339 in UTC (``2026-12-04T16:38:46.123000Z``; the server keeps
milliseconds)."""
_HEX = "[0-9a-fA-F]"
UUID_FORM = f"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}{END}"
Uuid = Annotated[str, Meta(extra_json_schema={"format": "uuid"})]
"""A UUID the server wrote (its hyphenated form, lower-case)."""
UuidGiven = Annotated[str, Meta(pattern=UUID_FORM, extra_json_schema={"format": "uuid"})]
"""A UUID a caller gives, in its hyphenated form (RFC 9562 §4; either case, the server keeps
it lower-case): what ``format: uuid`` says — 32 hex digits alone were taken before."""
AVATAR_URL = f"^/api/v1/(users|specialists)/[0-9]+/avatar\\?v=[0-9a-f]{{16}}{END}"
AvatarUrl = (
    Annotated[
        str,
        Meta(
            pattern=AVATAR_URL,
            description="the account's picture as a path under /api/v1 naming its version (the"
            " first 16 hex digits of the SHA-256 of its bytes): a new picture gets a new URL",
        ),
    ]
    | None
)
"""null, or the account's picture (``GET`` with the bearer token)."""


class Status(enum.StrEnum):
    """A specialist's working status."""

    FREE = "free"
    AWAY = "away"
    BUSY_NEW = "busy_new"
    DND = "dnd"


class AccountKind(enum.StrEnum):
    """Who an account (a message's author, a signed-in caller) is."""

    SPECIALIST = "specialist"
    CLIENT = "client"


class LineKind(enum.StrEnum):
    REGULAR = "regular"
    VENDOR_FIRST = "vendor_first"
    VENDOR_SECOND = "vendor_second"


class TicketState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EventKind(enum.StrEnum):
    """What an event of the stream (``GET /events``) tells."""

    MESSAGE_CREATED = "message.created"
    MESSAGE_DELETED = "message.deleted"
    TICKET_OPENED = "ticket.opened"
    TICKET_UPDATED = "ticket.updated"
    TICKET_CLOSED = "ticket.closed"
    TICKET_STEP = "ticket.step"
    SPECIALIST_STATUS = "specialist.status"
    SPECIALIST_UPDATED = "specialist.updated"
    CHAT_READ = "chat.read"
    USER_UPDATED = "user.updated"
    REMOTE_UPDATED = "remote.updated"
    CALL_UPDATED = "call.updated"
    GROUP_UPDATED = "group.updated"
    FAVOURITE_CHANGED = "favourite.changed"
