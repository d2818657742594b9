"""Opaque keyset cursors: base64url JSON, checked on the way in."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


class BadCursor(ValueError):
    """Not a cursor this server issued."""


def encode(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, shape: dict[str, type]) -> dict[str, Any]:
    """The position in ``cursor``; BadCursor unless it has exactly ``shape``'s keys and types."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise BadCursor(cursor) from exc
    if (
        not isinstance(position, dict)
        or set(position) != set(shape)
        or not all(type(position[k]) is kind for k, kind in shape.items())
    ):
        raise BadCursor(cursor)
    return position
