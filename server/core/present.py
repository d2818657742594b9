"""JSON shapes of the API (docs/api.md), built in batches to keep queries per page flat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contract import accounts, chats, clients
from server.core.models import (
    AccountKind,
    Chat,
    ClientUser,
    Company,
    CompanyInn,
    Line,
    Message,
    PersonMixin,
    Specialist,
    SpecialistStatus,
    StoredFile,
    Ticket,
    TicketState,
    full_name_of,
)

Json = dict[str, Any]
STREAMING_THRESHOLD = 100


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ms(value: dt.datetime) -> dt.datetime:
    """An instant as the API gives it: in UTC, to the millisecond."""
    return value.astimezone(dt.UTC).replace(microsecond=value.microsecond // 1000 * 1000)


def opt_ms(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else ms(value)


def data(value: msgspec.Struct) -> Json:
    """A contract Struct as the plain data of an event."""
    out: Json = msgspec.to_builtins(value)
    return out


def person(p: PersonMixin, account_id: int) -> Json:
    """The fields of a person (Me, UserCard), by name."""
    return {
        "id": account_id,
        "login": p.login,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "patronymic": p.patronymic,
        "full_name": p.full_name_of_parts,
        "position": p.position,
        "department": p.department,
        "email": p.email,
        "phone": p.phone,
        "birth_date": p.birth_date,
        "avatar_url": p.avatar_url,
        "time_zone": p.time_zone,
        "mobile": p.mobile,
    }


def me(
    p: PersonMixin,
    account_id: int,
    kind: AccountKind,
    company: Company | None,
    status: SpecialistStatus | None = None,
) -> accounts.Me:
    name = None if company is None else accounts.CompanyName(id=company.id, name=company.name)
    return accounts.Me(**person(p, account_id), kind=kind, company=name, status=status)


def line(row: Line, user_count: int) -> clients.Line:
    return clients.Line(
        id=row.id,
        name=row.name,
        public_name=row.public_name,
        kind=row.kind,
        user_count=user_count,
        streaming=user_count > STREAMING_THRESHOLD,
    )


def ticket(row: Ticket) -> chats.Ticket:
    return chats.Ticket(
        id=row.id,
        chat_id=row.chat_id,
        line_id=row.line_id,
        user_id=row.user_id,
        specialist_id=row.specialist_id,
        state=row.state,
        opened_at=ms(row.opened_at),
        closed_at=opt_ms(row.closed_at),
    )


def file(row: StoredFile) -> chats.File:
    return chats.File(id=row.id, name=row.name, size=row.size, content_type=row.content_type)


async def messages(session: AsyncSession, rows: Sequence[Message]) -> list[chats.Message]:
    return await session.run_sync(messages_sync, rows)


def messages_sync(session: Session, rows: Sequence[Message]) -> list[chats.Message]:
    quote_ids = {m.quote_id for m in rows if m.quote_id is not None}
    quotes = (
        {q.id: q for q in (session.scalars(select(Message).where(Message.id.in_(quote_ids))))}
        if quote_ids
        else {}
    )
    every = [*rows, *quotes.values()]
    names = _author_names(session, every)
    file_ids = {m.file_id for m in rows if m.file_id is not None}
    files = (
        {f.id: f for f in session.scalars(select(StoredFile).where(StoredFile.id.in_(file_ids)))}
        if file_ids
        else {}
    )
    result = []
    for m in rows:
        gone = m.deleted_at is not None  # a tombstone: nothing of it is given
        quote = quotes.get(m.quote_id) if m.quote_id is not None and not gone else None
        stored = files.get(m.file_id) if m.file_id is not None and not gone else None
        result.append(
            chats.Message(
                id=m.id,
                chat_id=m.chat_id,
                client_msg_id=m.client_msg_id,
                author=chats.Author(
                    id=_author_id(m), kind=m.author_kind, full_name=names[_author_key(m)]
                ),
                text="" if gone else m.text,
                quote=None if quote is None else _quote(m, quote, names[_author_key(quote)]),
                file=None if stored is None else file(stored),
                created_at=ms(m.created_at),
                ticket_id=m.ticket_id,
                deleted=gone,
            )
        )
    return result


def _quote(m: Message, quoted: Message, author_name: str) -> chats.Quote:
    if quoted.deleted_at is not None:  # its words are gone: a reply's copy of them too
        return chats.Quote(id=quoted.id, text="", author_name=author_name, deleted=True)
    return chats.Quote(
        id=quoted.id,
        text=m.quote_text or quoted.text,
        author_name=author_name,
        fragment=m.quote_text is not None,
    )


def _author_id(m: Message) -> int:
    value = m.author_specialist_id if m.author_kind is AccountKind.SPECIALIST else m.author_user_id
    assert value is not None
    return value


def _author_key(m: Message) -> tuple[AccountKind, int]:
    return m.author_kind, _author_id(m)


_SPECIALIST_NAMES = select(
    Specialist.id, Specialist.last_name, Specialist.first_name, Specialist.patronymic
).where(Specialist.id.in_(bindparam("ids", expanding=True)))
_USER_NAMES = select(ClientUser.id, ClientUser.full_name).where(
    ClientUser.id.in_(bindparam("ids", expanding=True))
)


def _author_names(session: Session, rows: Iterable[Message]) -> dict[tuple[AccountKind, int], str]:
    specialist_ids = {_author_id(m) for m in rows if m.author_kind is AccountKind.SPECIALIST}
    user_ids = {_author_id(m) for m in rows if m.author_kind is AccountKind.CLIENT}
    names: dict[tuple[AccountKind, int], str] = {}
    # Only the queries needed: none for a kind of author that is not there; the name's
    # columns, not whole rows loaded into the session; statements built once.
    if specialist_ids:
        parts = session.execute(_SPECIALIST_NAMES, {"ids": list(specialist_ids)})
        for specialist_id, last, first, patronymic in parts:
            names[AccountKind.SPECIALIST, specialist_id] = full_name_of(last, first, patronymic)
    if user_ids:
        found = session.execute(_USER_NAMES, {"ids": list(user_ids)})
        for user_id, full_name in found:
            names[AccountKind.CLIENT, user_id] = full_name
    return names


async def user_rows(
    session: AsyncSession, line_id: int, users: Sequence[ClientUser]
) -> list[clients.UserRow]:
    """UserRows of ``users`` on one line, in the given order."""
    user_ids = [u.id for u in users]
    chats = {
        c.user_id: c
        for c in await session.scalars(
            select(Chat).where(Chat.line_id == line_id, Chat.user_id.in_(user_ids))
        )
    }
    last_ids = [c.last_message_id for c in chats.values() if c.last_message_id is not None]
    last = {m.id: m for m in await session.scalars(select(Message).where(Message.id.in_(last_ids)))}
    last_file_ids = {m.file_id for m in last.values() if m.file_id is not None}
    file_names = (
        dict(
            (
                await session.execute(
                    select(StoredFile.id, StoredFile.name).where(StoredFile.id.in_(last_file_ids))
                )
            ).all()
        )
        if last_file_ids
        else {}
    )
    chat_ids = [c.id for c in chats.values()]
    open_tickets = {
        t.chat_id: t
        for t in await session.scalars(
            select(Ticket).where(Ticket.chat_id.in_(chat_ids), Ticket.state == TicketState.OPEN)
        )
    }
    companies = await _companies(session, {u.company_id for u in users if u.company_id})
    statuses = dict(
        (
            await session.execute(
                select(Specialist.id, Specialist.status).where(
                    Specialist.id.in_({u.specialist_id for u in users if u.specialist_id})
                )
            )
        ).all()
    )
    presence = await _presence(session, user_ids)
    from server.clients.disconnected import of_users_async  # the feature's (no import cycle)

    disconnected = await of_users_async(session, line_id, user_ids)
    rows = []
    for u in users:
        chat = chats.get(u.id)
        message = last.get(chat.last_message_id) if chat and chat.last_message_id else None
        open_ticket = open_tickets.get(chat.id) if chat else None
        company = companies.get(u.company_id) if u.company_id else None
        colleague = company is not None and company[0].serving
        status = statuses.get(u.specialist_id) if u.specialist_id else None
        rows.append(
            clients.UserRow(
                id=u.id,
                chat_id=chat.id if chat else None,
                full_name=u.full_name,
                login=u.login,
                email=u.email,
                position=u.position,
                company=None
                if company is None
                else clients.CompanyRef(id=company[0].id, name=company[0].name, inns=company[1]),
                colleague=colleague,
                status=status if colleague and status else None,
                avatar_url=u.avatar_url,
                birth_date=u.birth_date,
                mobile=u.mobile,
                last_message=None
                if message is None
                else clients.LastMessage(
                    id=message.id,
                    text=message.text,
                    created_at=ms(message.created_at),
                    author_kind=message.author_kind,
                    file_name=file_names.get(message.file_id, "") if message.file_id else "",
                ),
                unread=chat.unread if chat else 0,
                open_ticket=None
                if open_ticket is None
                else clients.OpenTicket(
                    id=open_ticket.id,
                    specialist_id=open_ticket.specialist_id,
                    opened_at=ms(open_ticket.opened_at),
                ),
                presence=presence.get(u.id, clients.Presence.OFFLINE),
                disconnected=disconnected.get(u.id),
            )
        )
    return rows


async def _presence(session: AsyncSession, user_ids: list[int]) -> dict[int, clients.Presence]:
    from server.clients.models import ClientPresence  # the feature's table (no import cycle)

    found = await session.execute(
        select(ClientPresence.user_id, ClientPresence.presence).where(
            ClientPresence.user_id.in_(user_ids)
        )
    )
    return dict(found.all())


async def _companies(
    session: AsyncSession, ids: set[int | None]
) -> dict[int, tuple[Company, list[str]]]:
    found = {c.id: c for c in await session.scalars(select(Company).where(Company.id.in_(ids)))}
    inns: dict[int, list[str]] = {cid: [] for cid in found}
    for row in await session.scalars(
        select(CompanyInn).where(CompanyInn.company_id.in_(ids)).order_by(CompanyInn.inn)
    ):
        inns[row.company_id].append(row.inn)
    return {cid: (c, inns[cid]) for cid, c in found.items()}
