"""Groups (GET/POST /groups, one group, its members) and the groups a user shares with me
(GET /users/{id}/shared-groups, for the info panel)."""

from __future__ import annotations

from collections.abc import Collection

from aiohttp import web
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract import groups as wire
from contract import groups_ops as ops
from contract.types import AccountKind, EventKind
from server.auth.access import served_line, served_line_ids, specialist_and_body, specialists_only
from server.auth.tokens import Caller
from server.clients.search import connected
from server.core import present as core_present
from server.core.models import Chat, ClientUser, LineUser, utcnow
from server.core.problems import Problem, field_error, forbidden, not_found
from server.core.state import authenticate, state_of
from server.core.wire import body, handles, params, reply
from server.events import log as eventlog
from server.groups.members import (
    CLIENT,
    SPECIALIST,
    Account,
    environment,
    key,
    members_of,
    outside,
    present,
    present_many,
)
from server.groups.models import Group, GroupMember

routes = web.RouteTableDef()


def _mine(caller: Caller) -> Select[int]:
    """The ids of the caller's groups (a subquery)."""
    return select(GroupMember.group_id).where(
        GroupMember.kind == caller.kind, GroupMember.account_id == caller.id
    )


async def _members_by_group(session: AsyncSession, ids: list[int]) -> dict[int, set[Account]]:
    out: dict[int, set[Account]] = {i: set() for i in ids}
    if ids:
        rows = await session.execute(
            select(GroupMember.group_id, GroupMember.kind, GroupMember.account_id).where(
                GroupMember.group_id.in_(ids)
            )
        )
        for group_id, kind, account_id in rows:
            out[group_id].add((kind, account_id))
    return out


@handles(routes, ops.GROUPS)
async def my_groups(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        found = list(
            await session.scalars(
                select(Group).where(Group.id.in_(_mine(caller))).order_by(Group.id.desc())
            )
        )
        members = await _members_by_group(session, [g.id for g in found])
        items = await present_many(session, found, members)
    return reply(wire.Groups(items))


async def _member_group(session: AsyncSession, caller: Caller, group_id: int) -> Group:
    """The group, if the caller is a member (anyone else: not found, nothing leaks)."""
    group = await session.get(Group, group_id)
    if group is None or await session.get(GroupMember, (group_id, caller.kind, caller.id)) is None:
        raise not_found("group")
    return group


@handles(routes, ops.GROUP)
async def one_group(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        group_id = params(request, ops.GROUP, wire.GroupPath).group_id
        group = await _member_group(session, caller, group_id)
        data = await present(session, group)
    return reply(data)


def _within_limit(count: int) -> None:
    if count > wire.MAX_MEMBERS:
        raise outside(
            f"a group has at most {wire.MAX_MEMBERS} members; this would have {count}",
            "user_ids",
            422,
        )


async def _announce(
    session: AsyncSession, group: Group, data: wire.Group, also: Collection[Account] = ()
) -> None:
    """group.updated to the members (and to those just removed, who see themselves gone)."""
    audience = {key((m.kind, m.id)) for m in data.members} | {key(a) for a in also}
    await eventlog.append(
        session,
        group.company_id,
        EventKind.GROUP_UPDATED.value,
        core_present.data(data),
        line_id=group.line_id,
        chat_id=group.chat_id,
        audience=audience,
    )


@handles(routes, ops.CREATE)
async def create(request: web.Request) -> web.Response:
    caller, asked = await specialist_and_body(request, wire.NewGroup)
    name = asked.name.strip()
    if not name:
        raise field_error("name", "a group needs a name")
    async with state_of(request).db.write() as session:
        line = await served_line(session, caller, asked.line_id)
        accounts = await environment(session, caller.id, asked.user_ids, asked.specialist_ids)
        accounts.add((SPECIALIST, caller.id))
        _within_limit(len(accounts))
        chat = Chat(line_id=line.id, user_id=None)
        session.add(chat)
        await session.flush()
        group = Group(
            company_id=line.company_id,
            line_id=line.id,
            chat_id=chat.id,
            name=name,
            creator_id=caller.id,
            created_at=utcnow(),
        )
        session.add(group)
        await session.flush()
        session.add_all(GroupMember(group_id=group.id, kind=k, account_id=i) for k, i in accounts)
        await session.flush()
        data = await present(session, group)
        await _announce(session, group, data)
    return reply(data, status=201)


async def _creators_group(session: AsyncSession, caller: Caller, group_id: int) -> Group:
    group = await _member_group(session, caller, group_id)
    if not caller.is_specialist or group.creator_id != caller.id:
        raise forbidden("not-group-creator", "only the group's creator changes the group")
    return group


@handles(routes, ops.RENAME)
async def rename(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        group_id = params(request, ops.RENAME, wire.GroupPath).group_id
        await _creators_group(session, caller, group_id)
    name = (await body(request, wire.GroupChange)).name.strip()
    if not name:
        raise field_error("name", "a group needs a name")
    async with state.db.write() as session:
        group = await _creators_group(session, caller, group_id)
        renamed = group.name != name
        group.name = name
        await session.flush()
        data = await present(session, group)
        if renamed:
            await _announce(session, group, data)
    return reply(data)


@handles(routes, ops.ADD)
async def add_members(request: web.Request) -> web.Response:
    state = state_of(request)
    async with state.db.read() as session:
        caller = await authenticate(request, session)
        group_id = params(request, ops.ADD, wire.GroupPath).group_id
        await _creators_group(session, caller, group_id)
    asked = await body(request, wire.MembersRequest)
    async with state.db.write() as session:
        group = await _creators_group(session, caller, group_id)
        wanted = await environment(session, caller.id, asked.user_ids, asked.specialist_ids)
        before = await members_of(session, group.id)
        new = wanted - before
        _within_limit(len(before) + len(new))
        if new:
            session.add_all(GroupMember(group_id=group.id, kind=k, account_id=i) for k, i in new)
            await session.flush()
        data = await present(session, group)
        if new:
            await _announce(session, group, data)
    return reply(data)


async def _remove(request: web.Request, kind: AccountKind) -> web.Response:
    async with state_of(request).db.write() as session:
        caller = await authenticate(request, session)  # before the path (401 first)
        if kind is SPECIALIST:
            path = params(request, ops.REMOVE_SPECIALIST, wire.GroupSpecialistPath)
            group_id, account = path.group_id, (kind, path.specialist_id)
        else:
            users = params(request, ops.REMOVE_USER, wire.GroupUserPath)
            group_id, account = users.group_id, (kind, users.user_id)
        group = await _creators_group(session, caller, group_id)
        if account == (SPECIALIST, group.creator_id):
            raise Problem(409, "creator-stays", "The creator stays", "the creator cannot leave")
        gone = await session.execute(
            delete(GroupMember).where(
                GroupMember.group_id == group.id,
                GroupMember.kind == account[0],
                GroupMember.account_id == account[1],
            )
        )
        data = await present(session, group)
        if gone.rowcount:  # type: ignore[attr-defined]
            await _announce(session, group, data, {account})
    return reply(data)


@handles(routes, ops.REMOVE_USER)
async def remove_user(request: web.Request) -> web.Response:
    return await _remove(request, CLIENT)


@handles(routes, ops.REMOVE_SPECIALIST)
async def remove_specialist(request: web.Request) -> web.Response:
    return await _remove(request, SPECIALIST)


@handles(routes, ops.SHARED)
async def shared_groups(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        specialists_only(caller)
        user_id = params(request, ops.SHARED, wire.UserPath).user_id
        served = await served_line_ids(session, caller.id)
        row = await session.execute(
            select(ClientUser.id, ClientUser.specialist_id)
            .join(LineUser, LineUser.user_id == ClientUser.id)
            .where(
                ClientUser.id == user_id,
                LineUser.line_id.in_(served),
                connected(utcnow().date()),
            )
            .limit(1)
        )
        found = row.first()
        if found is None:
            raise not_found("user")
        them: Account = (CLIENT, user_id) if found[1] is None else (SPECIALIST, found[1])
        theirs = select(GroupMember.group_id).where(
            GroupMember.kind == them[0], GroupMember.account_id == them[1]
        )
        count = (
            select(func.count())
            .where(GroupMember.group_id == Group.id)
            .correlate(Group)
            .scalar_subquery()
        )
        rows = await session.execute(
            select(Group.id, Group.name, Group.chat_id, count)
            .where(Group.id.in_(_mine(caller)), Group.id.in_(theirs))
            .order_by(Group.name, Group.id)
        )
        items = [wire.GroupRef(i, name, chat_id, n) for i, name, chat_id, n in rows]
    return reply(wire.SharedGroups(items))
