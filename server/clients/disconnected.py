"""Whether a client user is disconnected from a line (seed 004), and the refusal every way in
says while they are: a message, a file, a call, a remote session — theirs or a specialist's
to them. Called inside the writing transaction, after the chat's lock where there is one (a
disconnection takes the same lock): nothing is half-written around it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import BindParameter, ColumnElement, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contract import disconnections as wire
from server.clients.models import Disconnection
from server.core.models import LineUser, Specialist, utcnow
from server.core.problems import Problem

SLUG = "disconnected"
ENDED = "connection-ended"


def in_force(now: dt.datetime | BindParameter[dt.datetime] | None = None) -> ColumnElement[bool]:
    """A disconnection not yet lifted by its own ``until`` at ``now`` (None: this moment;
    the sweep deletes it soon after: server/clients/disconnect.py; meanwhile it is already
    no refusal)."""
    return or_(
        Disconnection.until.is_(None), Disconnection.until > (utcnow() if now is None else now)
    )


def of_users(
    session: Session, line_id: int, user_ids: Collection[int]
) -> dict[int, wire.Disconnection]:
    """The disconnections of these users from the line, by user (none: connected)."""
    if not user_ids:
        return {}
    found = session.execute(
        select(Disconnection, Specialist)
        .join(Specialist, Specialist.id == Disconnection.by_id)
        .where(
            Disconnection.line_id == line_id,
            Disconnection.user_id.in_(list(user_ids)),
            in_force(),
        )
    )
    return {row.user_id: presented(row, by.full_name) for row, by in found}


async def of_users_async(
    session: AsyncSession, line_id: int, user_ids: Collection[int]
) -> dict[int, wire.Disconnection]:
    return await session.run_sync(lambda sync: of_users(sync, line_id, user_ids))


async def connection_held(session: AsyncSession, line_id: int, user_id: int) -> LineUser | None:
    """The user's connection to the line, share-locked (after their chat's lock, as the
    disconnection takes them): a disconnection waits for this transaction or this one for
    it — a first call or remote session of a user with no chat there yet is either ended by
    the disconnection or refused after it."""
    found = await session.scalars(
        select(LineUser)
        .where(LineUser.line_id == line_id, LineUser.user_id == user_id)
        .with_for_update(read=True)
    )
    return found.first()


def presented(row: Disconnection, by_name: str) -> wire.Disconnection:
    """(``at`` is kept to the millisecond, as the API gives instants.)"""
    return wire.Disconnection(
        row.line_id, row.user_id, row.by_id, by_name, row.at, row.reason, row.until
    )


def refused(by_the_user: bool, reason: str) -> Problem:
    """403 in the words of whoever asked: the user, or a specialist of the line."""
    if by_the_user:
        detail = (
            f"You are disconnected from this support line ({reason}): it does not take your"
            " messages, files or calls. Write to your company's administrator."
        )
    else:
        detail = (
            "The user is disconnected from this support line: they cannot receive answers"
            " here. Restore them to the line first."
        )
    return Problem(403, SLUG, "Disconnected from the line", detail)


_REASON_AND_END = select(
    select(Disconnection.reason)
    .where(
        Disconnection.line_id == bindparam("line_id"),
        Disconnection.user_id == bindparam("user_id"),
        in_force(bindparam("now")),
    )
    .limit(1)
    .scalar_subquery(),
    select(LineUser.until)
    .where(LineUser.line_id == bindparam("line_id"), LineUser.user_id == bindparam("user_id"))
    .scalar_subquery(),
)  # built once (a send asks it): refuse_if_disconnected


def refuse_if_disconnected(
    session: Session,
    line_id: int,
    user_id: int | None,
    *,
    by_the_user: bool,
    ended_too: bool = True,
) -> None:
    """403 ``disconnected`` when ``user_id`` is disconnected from ``line_id``; and, asked by
    the user, 403 ``connection-ended`` when their connection to the line ended (its
    ``until`` is past): the line's lists no longer show them, so what they wrote there
    would open a ticket no specialist finds. A specialist may still write to them (to say
    so; and the user may still accept a remote session a specialist asks for: ``ended_too``
    False — it opens no ticket). One statement for both."""
    if user_id is None:  # a group's chat: no line's user
        return
    at = {"line_id": line_id, "user_id": user_id, "now": utcnow()}
    found_reason, ended = session.execute(_REASON_AND_END, at).one()
    if found_reason is not None:
        raise refused(by_the_user, found_reason)
    if by_the_user and ended_too and ended is not None and ended < utcnow().date():
        raise Problem(
            403,
            ENDED,
            "Connection to the line ended",
            f"Your connection to this support line ended on {ended:%d.%m.%Y}: it does not take"
            " new messages or files. Write to your company's administrator.",
        )


async def refuse_if_disconnected_async(
    session: AsyncSession,
    line_id: int,
    user_id: int | None,
    *,
    by_the_user: bool,
    ended_too: bool = True,
) -> None:
    await session.run_sync(
        lambda sync: refuse_if_disconnected(
            sync, line_id, user_id, by_the_user=by_the_user, ended_too=ended_too
        )
    )
