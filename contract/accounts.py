"""Accounts: signing in, the caller, their status and colleagues."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

from msgspec import Meta, Struct

from contract.types import AccountKind, AvatarUrl, Id, Status, Text, Time


class Person(Struct, frozen=True):
    """Who somebody is, as the caller (Me) and a user's card (UserCard) both give it."""

    id: Id
    login: str
    last_name: str
    first_name: str
    patronymic: str
    full_name: str
    position: str | None
    department: str | None
    email: str | None
    phone: str | None
    birth_date: date | None
    avatar_url: AvatarUrl
    time_zone: str
    mobile: bool


class Device(enum.StrEnum):
    """What a session signs in from: a client user signed in on a mobile device shows the
    mobile mark on their row (seed 001) while any such session of theirs lasts."""

    DESKTOP = "desktop"
    MOBILE = "mobile"


class LoginRequest(Struct, frozen=True, forbid_unknown_fields=True):
    login: Text
    password: Text
    device: Device = Device.DESKTOP


class Account(Struct, frozen=True):
    kind: AccountKind
    id: Id


class LoginResponse(Struct, frozen=True):
    token: str
    expires_at: Time
    account: Account


class StatusRequest(Struct, frozen=True, forbid_unknown_fields=True):
    status: Status


class CompanyName(Struct, frozen=True):
    id: Id
    name: str


class Me(Person, frozen=True, omit_defaults=True):
    """The caller (GET /me): a person, their kind, a specialist's status, their company."""

    kind: AccountKind
    company: CompanyName | None
    status: Status | None = None  # specialists only
    server: Annotated[str, Meta(max_length=64)] = ""
    """Which server this is (made once with its database): a client keys what it keeps
    for a server by it, so a server replaced at the same address is another one."""


class Colleague(Struct, frozen=True):
    id: Id
    full_name: str
    status: Status
    avatar_url: AvatarUrl
    extension: Annotated[str, Meta(max_length=100)] = ""
    """Their number at the company's PBX (a call is transferred to it): their login."""


class Colleagues(Struct, frozen=True):
    items: list[Colleague]
