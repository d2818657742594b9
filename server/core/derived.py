"""Derived columns: kept fresh by ORM writes and rebuilt after bulk seeding."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, event, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.core.models import (
    AccountKind,
    Chat,
    ClientUser,
    Company,
    CompanyInn,
    LineUser,
    Message,
)

BATCH = 2000


def full_name(last: str, first: str, patronymic: str) -> str:
    return " ".join(p for p in (last, first, patronymic) if p)


def search_text(user: ClientUser, name: str, company_name: str | None, inns: list[str]) -> str:
    """What ``q`` matches: full name, login, e-mail, company name and INNs, lower-cased
    in Python (SQLite's and a C-locale PostgreSQL's lower() leave Cyrillic alone), ё as е
    (a query is folded alike: :func:`fold`)."""
    parts = [name, user.login, user.email or "", company_name or "", *inns]
    return fold("\n".join(parts))


def fold(text: str) -> str:
    """Lower-cased, ё as е: what the search text and a query are compared as."""
    return text.lower().replace("ё", "е")


@event.listens_for(Session, "before_flush")
def _refresh_users(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, ClientUser):
            obj.full_name = full_name(obj.last_name, obj.first_name, obj.patronymic)
            company = session.get(Company, obj.company_id) if obj.company_id else None
            obj.search_text = search_text(
                obj,
                obj.full_name,
                company.name if company else None,
                [i.inn for i in company.inns] if company else [],
            )


async def rebuild(session: AsyncSession) -> None:
    """Fill what bulk inserts skipped: names and search text, chats of connected users,
    each chat's last message and unread count."""
    await session.run_sync(rebuild_sync)


def rebuild_sync(session: Session) -> None:
    """:func:`rebuild` in a synchronous session."""
    _rebuild_search_text(session)
    _create_missing_chats(session)
    _rebuild_chat_stats(session)


def update_by_id(session: Session, entity: Any, rows: list[dict[str, Any]]) -> None:
    """Core executemany ``UPDATE … WHERE id = :id`` of ``rows`` (each with ``id`` and the
    same other keys): no ORM bulk-update machinery (≈70 ms of mapper setup at the first use)."""
    if not rows:
        return
    table = entity.__table__
    statement = update(table).where(table.c.id == bindparam("_id"))
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        session.execute(
            statement,
            [{"_id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in chunk],
        )


def _rebuild_search_text(session: Session) -> None:
    inns: dict[int, list[str]] = {}
    for company_id, inn in session.execute(
        select(CompanyInn.company_id, CompanyInn.inn).order_by(CompanyInn.inn)
    ):
        inns.setdefault(company_id, []).append(inn)
    names = dict((session.execute(select(Company.id, Company.name))).all())
    last_id = 0
    while True:
        users = (
            session.scalars(
                select(ClientUser)
                .where(ClientUser.id > last_id, ClientUser.search_text.is_(None))
                .order_by(ClientUser.id)
                .limit(BATCH)
            )
        ).all()
        if not users:
            return
        rows = []
        for user in users:
            name = full_name(user.last_name, user.first_name, user.patronymic)
            text = search_text(
                user,
                name,
                names.get(user.company_id) if user.company_id else None,
                inns.get(user.company_id, []) if user.company_id else [],
            )
            rows.append({"id": user.id, "full_name": name, "search_text": text})
        session.expunge_all()
        update_by_id(session, ClientUser, rows)
        last_id = users[-1].id


def _create_missing_chats(session: Session) -> None:
    missing = (
        session.execute(
            select(LineUser.line_id, LineUser.user_id)
            .outerjoin(
                Chat, and_(Chat.line_id == LineUser.line_id, Chat.user_id == LineUser.user_id)
            )
            .where(Chat.id.is_(None))
        )
    ).all()
    for start in range(0, len(missing), BATCH):
        session.add_all(
            Chat(line_id=line_id, user_id=user_id)
            for line_id, user_id in missing[start : start + BATCH]
        )
        session.flush()


def _rebuild_chat_stats(session: Session) -> None:
    last = (
        select(Message.chat_id, func.max(Message.id).label("last_id"))
        .group_by(Message.chat_id)
        .subquery()
    )
    rows = (
        session.execute(
            select(Chat.id, Message.id, Message.created_at, Chat.read_up_to)
            .join(last, last.c.chat_id == Chat.id)
            .join(Message, Message.id == last.c.last_id)
            .where(Chat.last_message_id.is_distinct_from(last.c.last_id))
        )
    ).all()
    if not rows:
        return
    unread = dict(
        (
            session.execute(
                select(Message.chat_id, func.count())
                .join(Chat, Chat.id == Message.chat_id)
                .where(Message.author_kind == AccountKind.CLIENT, Message.id > Chat.read_up_to)
                .group_by(Message.chat_id)
            )
        ).all()
    )
    updates = [
        {
            "id": chat_id,
            "last_message_id": mid,
            "last_message_at": at,
            "unread": unread.get(chat_id, 0),
        }
        for chat_id, mid, at, _read in rows
    ]
    update_by_id(session, Chat, updates)
