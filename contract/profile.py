"""My profile (seed 000 2.1–2.2): the fields a person keeps up to date themselves — position,
e-mail, phone — and what the others are told when a specialist's profile or photo changes.

Names, login and birth date come from the account's administrator and are not changed here.
Text that another person will read must not carry control characters or bidi overrides (a
position written "‮tsilaicepS" must not read as something else); an empty string clears a
field; a field left out is kept.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from contract.types import END, SPACES, AvatarUrl, Id

# no C0 controls, DEL, or bidi embeddings/overrides/isolates and marks
PLAIN_TEXT = "^[^\\u0000-\\u001f\\u007f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]*" + END
Position = Annotated[str, Meta(max_length=200, pattern=PLAIN_TEXT)]
RESERVED = ("arpa", "invalid", "local", "localhost", "onion", "test")
"""Special-use domains no address may have (email-validator's SPECIAL_USE_DOMAIN_NAMES)."""
_ANY_CASE = "|".join("".join(f"[{c}{c.upper()}]" for c in name) for name in RESERVED)
ADDRESS = {"pattern": "@[^@]+\\.[^@]+$", "not": {"pattern": f"[@.]({_ANY_CASE})\\.?{END}"}}
"""What the server asks of an address beyond its format: a domain with a dot, not a
special-use one."""
Email = Annotated[
    str,
    Meta(
        max_length=200,
        pattern=PLAIN_TEXT,
        description="an address (the server checks it as one and keeps it normalised), or"
        " nothing but spaces to clear it",
        extra_json_schema={
            "anyOf": [
                {"pattern": f"^[{SPACES}]*$"},
                {"format": "email", **ADDRESS},
                {"format": "idn-email", **ADDRESS},
            ]
        },
    ),
]
Phone = Annotated[
    str,
    Meta(
        max_length=50,
        pattern="^[0-9+()\\-. ]*(([,;]|ext\\.?|доб\\.?) ?[0-9]{1,6})?" + END,
        description="digits, spaces, + ( ) - . and an optional extension (доб. 123, ext 123)",
    ),
]


class ProfileChange(Struct, frozen=True, forbid_unknown_fields=True):
    """PUT /me/profile: the fields to change ("" clears one; absent: unchanged)."""

    position: Position | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET


class SpecialistUpdated(Struct, frozen=True):
    """``specialist.updated``: a specialist's profile or photo changed; every specialist of
    their company sees it (their own other sessions too)."""

    id: Id
    full_name: str
    position: str | None
    email: str | None
    phone: str | None
    avatar_url: AvatarUrl
