"""Account pictures: their versioned URLs, who may see them, and replacing them.

An account's ``avatar_url`` is null or a relative URL naming the picture's version (the
first 16 hex digits of the SHA-256 of its bytes), so a new picture gets a new URL and an
answer can be cached for good."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.tokens import Caller
from server.core.models import (
    AccountKind,
    Avatar,
    ClientUser,
    LineSpecialist,
    LineUser,
    Specialist,
    utcnow,
)
from server.events import log as eventlog
from server.profile.announce import specialist_updated

_PATHS = {AccountKind.CLIENT: "users", AccountKind.SPECIALIST: "specialists"}


@dataclass(frozen=True, slots=True)
class Picture:
    content_type: str  # image/png or image/jpeg, checked against the bytes
    data: bytes

    @property
    def version(self) -> str:
        return version_of(self.data)


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def url_of(kind: AccountKind, owner_id: int, version: str) -> str:
    return f"/api/v1/{_PATHS[kind]}/{owner_id}/avatar?v={version}"


async def may_see(session: AsyncSession, caller: Caller, kind: AccountKind, owner_id: int) -> bool:
    """A client user's picture: themself, and specialists serving a line the user is
    connected to. A specialist's: the specialists of the same company (themself too)."""
    if kind is AccountKind.CLIENT:
        if not caller.is_specialist:
            return caller.id == owner_id
        shared = await session.scalar(
            select(LineUser.line_id)
            .join(LineSpecialist, LineSpecialist.line_id == LineUser.line_id)
            .where(LineUser.user_id == owner_id, LineSpecialist.specialist_id == caller.id)
            .limit(1)
        )
        return shared is not None
    if not caller.is_specialist:
        return False
    if caller.id == owner_id:
        return True
    companies = set(
        await session.scalars(
            select(Specialist.company_id).where(Specialist.id.in_([caller.id, owner_id]))
        )
    )
    return len(companies) == 1


async def replace(session: AsyncSession, caller: Caller, picture: Picture | None) -> None:
    """Set (or with None remove) the caller's picture: a client user's own row; a
    specialist's row and the client-user rows linked to them. Changed client-user rows are
    announced as ``user.updated`` on their lines; a specialist's new picture as
    ``specialist.updated`` to their company (their own other sessions too)."""
    owners: list[Specialist | ClientUser]
    if caller.is_specialist:
        specialist = await session.get_one(Specialist, caller.id, with_for_update=True)
        linked = await session.scalars(
            select(ClientUser)
            .where(ClientUser.specialist_id == caller.id)
            .order_by(ClientUser.id)
            .with_for_update()
        )
        owners = [specialist, *linked]
    else:
        owners = [await session.get_one(ClientUser, caller.id, with_for_update=True)]
    before = owners[0].avatar_url
    version = None if picture is None else picture.version
    changed: dict[int, dict[str, str | None]] = {}
    keys = []
    for owner in owners:
        kind = AccountKind.SPECIALIST if isinstance(owner, Specialist) else AccountKind.CLIENT
        keys.append((kind, owner.id))
        url = None if version is None else url_of(kind, owner.id, version)
        if owner.avatar_url != url:
            owner.avatar_url = url
            if kind is AccountKind.CLIENT:
                changed[owner.id] = {"avatar_url": url}
    for kind, owner_id in keys:
        await session.execute(
            delete(Avatar).where(Avatar.owner_kind == kind, Avatar.owner_id == owner_id)
        )
    if picture is not None:
        now = utcnow()
        await session.execute(
            insert(Avatar),
            [
                {
                    "owner_kind": kind,
                    "owner_id": owner_id,
                    "content_type": picture.content_type,
                    "data": picture.data,
                    "version": version,
                    "updated_at": now,
                }
                for kind, owner_id in keys
            ],
        )
    await session.flush()
    await eventlog.user_rows_updated(session, changed)
    if caller.is_specialist and owners[0].avatar_url != before:
        await specialist_updated(session, owners[0])  # type: ignore[arg-type]


async def stored(session: AsyncSession, kind: AccountKind, owner_id: int) -> Avatar | None:
    return await session.get(Avatar, (kind, owner_id))
