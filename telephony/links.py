"""What the dialer dials: a phone number as typed or from a `tel:` link (RFC 3966), a user at
the PBX, or a `sip:` address.

`dial_target(text)` gives the target `UserAgent.call()` takes, or raises `NotDialable` with
a code (the words live in ui/calls/texts.py). A number loses its visual separators
(`+7 (495) 123-45-67` → `+74951234567`); a `tel:` link also loses its parameters
(`;phone-context=…`, `;ext=…` are the PBX's business, not the dialer's).
"""

from __future__ import annotations

import re
from enum import StrEnum, unique

from aiosipua.headers import parse_uri

_SEPARATORS = re.compile(r"[\s\-.()\u00a0]")
_NUMBER = re.compile(r"\+?[0-9*#]{1,32}")
_PBX_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~!$&'*+=-]{0,63}")  # an extension's name


@unique
class NotDialableReason(StrEnum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"  # letters among digits, or nothing but separators
    BAD_ADDRESS = "bad_address"  # a sip: address that does not parse
    UNKNOWN_LINK = "unknown_link"  # a link of another scheme (mailto:, http:…)


class NotDialable(ValueError):
    def __init__(self, reason: NotDialableReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


def dial_target(text: str) -> str:
    """`text` (typed, pasted or a link) as something to call."""
    text = text.strip()
    if not text:
        raise NotDialable(NotDialableReason.EMPTY)
    scheme, colon, rest = text.partition(":")
    if colon and scheme.lower() in ("sip", "sips"):
        return _sip(scheme.lower(), rest)
    if colon and scheme.lower() == "tel":
        return _number(rest.split(";", 1)[0])
    if colon and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) and not rest[:1].isdigit():
        raise NotDialable(NotDialableReason.UNKNOWN_LINK)
    if _PBX_USER.fullmatch(text) and not _digits_only(text):
        return text  # an extension by name at the PBX ("bob")
    return _number(text)


def _digits_only(text: str) -> bool:
    return _NUMBER.fullmatch(_SEPARATORS.sub("", text)) is not None


def _number(text: str) -> str:
    number = _SEPARATORS.sub("", text)
    if not _NUMBER.fullmatch(number):
        raise NotDialable(NotDialableReason.NOT_A_NUMBER if number else NotDialableReason.EMPTY)
    return number


def _sip(scheme: str, rest: str) -> str:
    rest = rest.strip()
    try:
        uri = parse_uri(f"{scheme}:{rest}")
    except (ValueError, IndexError):
        raise NotDialable(NotDialableReason.BAD_ADDRESS) from None
    if not uri.host or any(c in rest for c in '<>" \r\n'):
        raise NotDialable(NotDialableReason.BAD_ADDRESS)
    return f"{scheme}:{rest}"


def same_number(a: str, b: str) -> bool:
    """Do two phone numbers as people write them name the same line? Compared by their
    last ten digits (a country's trunk prefix — 8 or +7 — is what varies), at least 5."""
    da, db = re.sub(r"\D", "", a), re.sub(r"\D", "", b)
    if len(da) < 5 or len(db) < 5:
        return False
    return da[-10:] == db[-10:]


__all__ = ["NotDialable", "NotDialableReason", "dial_target", "same_number"]
