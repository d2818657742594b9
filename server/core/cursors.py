"""Keyset cursors of the users list: a position in its order, written so that every string
the contract's pattern (``contract.clients.CURSOR``) admits is a position — a cursor is
never refused once it has that form.

- ``a.<microseconds since 1970 UTC>.<id>``: after this (last message time, user id) among
  the users with messages (newest first);
- ``n.<id>.<base64url of the full name's UTF-8>``: after this (full name, id) among the
  users without messages (by name). Bytes that are not UTF-8 read as U+FFFD, NUL too (no
  database compares a NUL), so any base64url text names some position.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from contract.types import MAX_ID

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Active:
    at: dt.datetime
    id: int


@dataclass(frozen=True, slots=True)
class Rest:
    name: str
    id: int


def encode(position: Active | Rest) -> str:
    if isinstance(position, Active):
        micros = (position.at - EPOCH) // dt.timedelta(microseconds=1)
        return f"a.{micros}.{position.id}"
    name = base64.urlsafe_b64encode(position.name.encode()).decode().rstrip("=")
    return f"n.{position.id}.{name}"


def decode(cursor: str) -> Active | Rest:
    """The position of a cursor matching ``contract.clients.CURSOR`` (ids past the 32-bit
    range count as the largest id)."""
    kind, first, rest = cursor.split(".", 2)
    if kind == "a":
        at = EPOCH + dt.timedelta(microseconds=int(first))
        return Active(at, min(int(rest), MAX_ID))
    raw = base64.urlsafe_b64decode(rest + "=" * (-len(rest) % 4))
    name = raw.decode("utf-8", "replace").replace("\x00", "\ufffd")
    return Rest(name, min(int(first), MAX_ID))
