"""What the server (or the specialist) hands the launcher, validated before any viewer sees it.

A value that a viewer could read as an option is refused, never passed on: `-via evil`
(TigerVNC would tunnel through a host of the attacker's choosing), `/p:x` (FreeRDP would take
a password), anything with a space, a newline or a control character. Hosts are IP addresses
(the standard library's `ipaddress`) or DNS names by RFC 1123 labels; ports are 1–65535;
a repeater id is digits (UltraVNC's `ID:NNNN`); a session id is a short token.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum, unique

_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_REPEATER_ID = re.compile(r"[0-9]{1,10}")
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}")


class InvalidParameter(ValueError):
    """A parameter that is not what it claims to be; `field` names which one."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"invalid {field}: {value!r}")
        self.field = field


@unique
class Mode(StrEnum):
    DIRECT = "direct"  # the viewer dials the user's host
    REVERSE = "reverse"  # the viewer listens, the user's host dials out
    REPEATER = "repeater"  # both dial an UltraVNC-style repeater, matched by an id


def host(value: str) -> str:
    """An IP address (v4/v6, brackets allowed) or a DNS name; anything else is refused."""
    text = value.strip("[]") if value.startswith("[") and value.endswith("]") else value
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidParameter("host", value)
    return name


def port(value: int | str) -> int:
    if isinstance(value, bool):
        raise InvalidParameter("port", value)
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit():
            raise InvalidParameter("port", value)
        value = int(value)
    if not 1 <= value <= 65535:
        raise InvalidParameter("port", value)
    return value


def token(value: str, field: str = "session id") -> str:
    if not _TOKEN.fullmatch(value):
        raise InvalidParameter(field, value)
    return value


def repeater_id(value: str) -> str:
    if not _REPEATER_ID.fullmatch(value):
        raise InvalidParameter("repeater id", value)
    return value


def username(value: str) -> str:
    if not _USERNAME.fullmatch(value):
        raise InvalidParameter("user name", value)
    return value


def secret(value: str) -> str:
    """A password goes by file or stdin, never argv; a newline would end FreeRDP's stdin
    answer early and a NUL cuts C strings — both refused."""
    if any(ch in value for ch in "\0\r\n"):
        raise InvalidParameter("password", "…")
    return value


@dataclass(frozen=True, slots=True)
class Target:
    """Where the viewer goes: direct (host, port), reverse (it listens), repeater (host and
    port of the repeater, and the id both sides use). Build it with `Target.of`."""

    mode: Mode
    host: str | None = None
    port: int | None = None
    repeater_id: str | None = None

    @classmethod
    def of(
        cls,
        mode: Mode | str,
        host_: str | None = None,
        port_: int | str | None = None,
        repeater: str | None = None,
    ) -> Target:
        mode = Mode(mode)
        if mode is Mode.REVERSE:
            return cls(mode)
        if host_ is None or port_ is None:
            raise InvalidParameter("host", host_)
        checked = cls(mode, host(host_), port(port_))
        if mode is Mode.REPEATER:
            if repeater is None:
                raise InvalidParameter("repeater id", repeater)
            return cls(mode, checked.host, checked.port, repeater_id(repeater))
        return checked


@dataclass(frozen=True, slots=True)
class Request:
    """One viewer to start: whose session, where, with which secret and options."""

    session_id: str
    target: Target
    password: str | None = None
    username: str | None = None
    view_only: bool = False
    shared: bool = True

    def __post_init__(self) -> None:
        token(self.session_id)
        if self.password is not None:
            secret(self.password)
        if self.username is not None:
            username(self.username)
