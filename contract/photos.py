"""Account pictures: the limits both sides keep, and the parameters of serving one."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta, Struct

from contract.types import Id

MAX_BYTES = 256 * 1024
MIN_SIDE = 16
MAX_SIDE = 1024
Version = Annotated[str | None, Meta(description="The version named by avatar_url")]
AVATAR_HEADERS: dict[str, dict[str, Any]] = {
    "Cache-Control": {
        "description": "private, max-age=31536000, immutable (the URL names the version)",
        "schema": {"type": "string"},
    },
    "ETag": {"description": "The version, quoted", "schema": {"type": "string"}},
    "X-Content-Type-Options": {"schema": {"const": "nosniff"}},
    "Content-Security-Policy": {"schema": {"const": "default-src 'none'; sandbox"}},
}


class UserAvatarQuery(Struct, frozen=True):
    user_id: Id
    v: Version = None


class SpecialistAvatarQuery(Struct, frozen=True):
    specialist_id: Id
    v: Version = None
