"""Who is calling: bearer tokens (stored as SHA-256), login with a failure rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
import secrets
import time
from collections import deque
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.core.models import AccountKind, AuthToken, ClientUser, Specialist, utcnow
from server.core.problems import Problem, unauthorized


@dataclass(frozen=True, slots=True)
class Caller:
    kind: AccountKind
    id: int

    @property
    def is_specialist(self) -> bool:
        return self.kind is AccountKind.SPECIALIST


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    # A token this server issued is URL-safe ASCII; other bytes (aiohttp keeps non-UTF-8
    # ones as surrogate escapes, which cannot be hashed) are no token of ours.
    if scheme.lower() != "bearer" or not token.strip() or not token.isascii():
        raise unauthorized()
    return token.strip()


async def caller_of(session: AsyncSession, token: str) -> Caller:
    return await session.run_sync(caller_of_sync, token)


# Every request asks it: built once, and only the three columns (no ORM object).
_TOKEN = select(AuthToken.account_kind, AuthToken.account_id, AuthToken.expires_at).where(
    AuthToken.token_hash == bindparam("hash")
)


def caller_of_sync(session: Session, token: str) -> Caller:
    row = session.execute(_TOKEN, {"hash": token_hash(token)}).first()
    if row is None or row.expires_at <= utcnow():
        raise unauthorized()
    return Caller(row.account_kind, row.account_id)


async def issue_token(
    session: AsyncSession, caller: Caller, ttl: dt.timedelta, *, mobile: bool = False
) -> tuple[str, dt.datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + ttl
    session.add(
        AuthToken(
            token_hash=token_hash(token),
            account_kind=caller.kind,
            account_id=caller.id,
            expires_at=expires_at,
            mobile=mobile,
        )
    )
    return token, expires_at


async def revoke(session: AsyncSession, token: str) -> bool:
    """End the session; whether it was signed in from a mobile device."""
    mobile = await session.scalar(
        delete(AuthToken)
        .where(AuthToken.token_hash == token_hash(token))
        .returning(AuthToken.mobile)
    )
    return bool(mobile)


async def purge_expired(session: AsyncSession) -> None:
    await session.execute(delete(AuthToken).where(AuthToken.expires_at <= utcnow()))


async def account_by_login(session: AsyncSession, login: str) -> tuple[Caller, str | None] | None:
    """Specialists first, then client users."""
    specialist = await session.scalar(select(Specialist).where(Specialist.login == login))
    if specialist is not None:
        return Caller(AccountKind.SPECIALIST, specialist.id), specialist.password_hash
    user = await session.scalar(select(ClientUser).where(ClientUser.login == login))
    if user is not None:
        return Caller(AccountKind.CLIENT, user.id), user.password_hash
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def client_of(address: str | None) -> str:
    """Who a failure is counted against: an IPv4 address, or an IPv6 address's /64 — one
    host commonly holds a whole /64 (SLAAC, privacy addresses), so counting each address
    alone gave a guesser from one network endless fresh addresses, and the limit per login
    name the owner's lockout from a single machine (RFC 7707, §2)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return address or ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        if ip in _NAT64:  # an IPv4 client through NAT64 (RFC 6052): its IPv4 address
            return str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


SWEEP_AT = 10_000
"""Keys held before stale ones are swept out."""


class LoginThrottle:
    """Failed logins in a sliding window: per login name from one client address, per
    client address (more: many people may share one) and per login name from anywhere
    (more again: a name's own guessers spread over many addresses).

    A name is not locked by its failures alone: anyone who knows it could then keep its
    owner out with five wrong passwords a minute (a review did). From one address a name
    gets ``per_pair`` failures; its owner, elsewhere, still signs in."""

    def __init__(
        self, per_pair: int, per_login: int, per_address: int, window: dt.timedelta
    ) -> None:
        self.allowed = {"pair": per_pair, "login": per_login, "address": per_address}
        self.window = window.total_seconds()
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self.sweep_at = SWEEP_AT

    @staticmethod
    def keys(login: str, address: str | None) -> list[tuple[str, str]]:
        name, where = login.casefold(), client_of(address)
        return [("pair", f"{name}\n{where}"), ("login", name), ("address", where)]

    def check(self, keys: list[tuple[str, str]]) -> None:
        now = time.monotonic()
        for key in keys:
            failures = self._recent(key, now)
            if not failures:
                del self._failures[key]
            elif len(failures) >= self.allowed[key[0]]:
                retry = max(1, math.ceil(failures[0] + self.window - now))
                raise Problem(
                    429,
                    "too-many-attempts",
                    "Too many login attempts",
                    f"try again in {retry} s",
                    headers={"Retry-After": str(retry)},
                )

    def failed(self, keys: list[tuple[str, str]]) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)
        if len(self._failures) > self.sweep_at:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Forget the names and addresses whose failures are all older than the window, so
        that many different login names do not grow this without bound."""
        stale = [k for k, f in self._failures.items() if not f or f[-1] <= now - self.window]
        for key in stale:
            del self._failures[key]
        # what stays is within the window: sweep again when it has doubled
        self.sweep_at = max(SWEEP_AT, 2 * len(self._failures))

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures
