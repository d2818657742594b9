"""Who is in a group and who may join it: the creator's environment (colleagues of their
company, users of the lines they serve); a group as the contract gives it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import groups as wire
from server.clients.search import connected
from server.core.models import ClientUser, LineSpecialist, LineUser, Specialist, utcnow
from server.core.problems import Problem
from server.groups.models import Group, GroupMember
from server.groups.seeing import CLIENT, SPECIALIST, Account, key

__all__ = ["CLIENT", "SPECIALIST", "Account", "environment", "key", "members_of", "present"]


async def members_of(session: AsyncSession, group_id: int) -> set[Account]:
    rows = await session.execute(
        select(GroupMember.kind, GroupMember.account_id).where(GroupMember.group_id == group_id)
    )
    return {(kind, account_id) for kind, account_id in rows}


def outside(detail: str, field: str, status: int = 404) -> Problem:
    """Ids outside the creator's environment: 404 (they name nobody the caller may see), the
    field and the ids named; 422 for a group over its size."""
    return Problem(
        status,
        "not-in-environment",
        "Not in your environment",
        detail,
        errors=[{"field": field, "message": detail}],
    )


async def environment(
    session: AsyncSession,
    specialist_id: int,
    user_ids: Collection[int],
    specialist_ids: Collection[int],
) -> set[Account]:
    """The accounts named, each checked against the specialist's environment: a client user
    connected to a line they serve (one whose row is a colleague's stands for that colleague),
    a specialist of their company. Anyone else: refused, by id, nothing added."""
    company_id = await session.scalar(
        select(Specialist.company_id).where(Specialist.id == specialist_id)
    )
    found: set[Account] = set()
    if user_ids:
        served = select(LineSpecialist.line_id).where(LineSpecialist.specialist_id == specialist_id)
        rows = await session.execute(
            select(ClientUser.id, ClientUser.specialist_id)
            .join(LineUser, LineUser.user_id == ClientUser.id)
            .where(
                ClientUser.id.in_(set(user_ids)),
                LineUser.line_id.in_(served),
                connected(utcnow().date()),
            )
            .distinct()
        )
        known = set()
        for user_id, colleague in rows:
            known.add(user_id)
            found.add((CLIENT, user_id) if colleague is None else (SPECIALIST, colleague))
        _refuse(set(user_ids) - known, "user_ids", "users of your lines")
    if specialist_ids:
        colleagues = await session.scalars(
            select(Specialist.id).where(
                Specialist.id.in_(set(specialist_ids)), Specialist.company_id == company_id
            )
        )
        known = set(colleagues)
        _refuse(set(specialist_ids) - known, "specialist_ids", "your colleagues")
        found.update((SPECIALIST, s) for s in known)
    return found


def _refuse(strangers: set[int], field: str, who: str) -> None:
    if strangers:
        shown = ", ".join(str(i) for i in sorted(strangers)[:10])
        more = f" and {len(strangers) - 10} more" if len(strangers) > 10 else ""
        raise outside(f"not among {who}: {shown}{more}", field)


async def present(session: AsyncSession, group: Group) -> wire.Group:
    """The group with its members by name (specialists, then client users; by name)."""
    accounts = await members_of(session, group.id)
    return (await present_many(session, [group], {group.id: accounts}))[0]


async def present_many(
    session: AsyncSession, found: Iterable[Group], members: dict[int, set[Account]]
) -> list[wire.Group]:
    every = set().union(*members.values()) if members else set()
    names: dict[Account, str] = {}
    specialist_ids = [i for kind, i in every if kind is SPECIALIST]
    user_ids = [i for kind, i in every if kind is CLIENT]
    if specialist_ids:
        for row in await session.scalars(
            select(Specialist).where(Specialist.id.in_(specialist_ids))
        ):
            names[(SPECIALIST, row.id)] = row.full_name
    if user_ids:
        rows = await session.execute(
            select(ClientUser.id, ClientUser.full_name).where(ClientUser.id.in_(user_ids))
        )
        for user_id, full_name in rows:
            names[(CLIENT, user_id)] = full_name
    out = []
    for group in found:
        ordered = sorted(
            members.get(group.id, set()),
            key=lambda a: (a[0] is CLIENT, names.get(a, "").casefold(), a[1]),
        )
        out.append(
            wire.Group(
                id=group.id,
                name=group.name,
                chat_id=group.chat_id,
                line_id=group.line_id,
                creator_id=group.creator_id,
                members=[wire.Member(kind, i, names.get((kind, i), "")) for kind, i in ordered],
                created_at=group.created_at,
            )
        )
    return out
