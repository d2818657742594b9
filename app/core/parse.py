"""The contract's messages → app.core.domain. Anything unexpected raises `Malformed`.

Decoding and its checks are the contract's (`contract/`, msgspec Structs): a reply is
decoded straight from its bytes (`decode`), and a value that is already plain data (an
event's data, a cached row) is converted through the same Structs (`convert`). What is
left here is what is not a plain decode: the domain's own shapes (empty text rather than
null, tuples, the directory's typed arrays, "no chat yet" as 0).

Nothing else in `app/` turns raw data into domain objects.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from app.core.domain import (
    Author,
    Colleague,
    CompanyCard,
    CompanyParam,
    CompanyRef,
    FileRef,
    LastMessage,
    Line,
    Me,
    Message,
    OpenTicket,
    PersonRef,
    Quote,
    Status,
    Ticket,
    UserCard,
    UserRow,
)
from contract import accounts, chats, clients

T = TypeVar("T")
Json = Mapping[str, Any]


class Malformed(ValueError):
    """A reply or event does not match the contract."""


def decode(raw: bytes | str, kind: type[T]) -> T:
    """JSON bytes as one of the contract's types."""
    try:
        return msgspec.json.decode(raw, type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as e:
        raise Malformed(str(e)) from None


def convert(value: object, kind: type[T]) -> T:
    """Plain data (dicts, lists, ISO strings) as one of the contract's types."""
    if isinstance(value, kind):
        return value
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as e:
        raise Malformed(str(e)) from None


# -- small readers of an event's plain data ------------------------------------------------


def obj(value: object, what: str = "object") -> Json:
    if not isinstance(value, Mapping):
        raise Malformed(f"{what}: expected an object, got {type(value).__name__}")
    return value


def items(value: object, what: str = "items") -> list[Any]:
    if not isinstance(value, list):
        raise Malformed(f"{what}: expected a list")
    return value


def req_int(d: Json, key: str) -> int:
    v = d.get(key)
    if type(v) is not int:
        raise Malformed(f"{key}: expected an integer, got {v!r}")
    return v


def status(value: object, key: str = "status") -> Status:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return Status(value)
    except ValueError:
        raise Malformed(f"{key}: unknown status {value!r}") from None


# -- the domain's shapes -------------------------------------------------------------------


def line(value: object) -> Line:
    s = convert(value, clients.Line)
    return Line(s.id, s.name, s.public_name, s.kind, s.user_count, s.streaming)


def _company(c: clients.CompanyRef | None) -> CompanyRef | None:
    return None if c is None else CompanyRef(c.id, c.name, tuple(c.inns))


def _last(m: clients.LastMessage | None) -> LastMessage | None:
    if m is None:
        return None
    return LastMessage(m.id, m.text, m.created_at, m.author_kind, m.file_name)


def _row(s: clients.UserRow | clients.UserCard, company: CompanyRef | None) -> UserRow:
    return UserRow(
        s.id,
        s.chat_id or 0,  # 0: no chat yet (as in the directory)
        s.full_name,
        s.login,
        s.email or "",
        s.position or "",
        company,
        s.colleague,
        s.status,
        s.avatar_url,
        s.birth_date,
        s.mobile,
        _last(s.last_message),
        s.unread,
        None
        if s.open_ticket is None
        else OpenTicket(s.open_ticket.id, s.open_ticket.specialist_id, s.open_ticket.opened_at),
        s.presence,
        s.disconnected,
    )


def user_row(value: object) -> UserRow:
    s = convert(value, clients.UserRow)
    return _row(s, _company(s.company))


def user_rows(rows: list[clients.UserRow]) -> list[UserRow]:
    return [_row(s, _company(s.company)) for s in rows]


def wire_row(r: UserRow) -> clients.UserRow:
    """A row as the contract's UserRow (what the cache stores)."""
    c, lm, ot = r.company, r.last_message, r.open_ticket
    return clients.UserRow(
        id=r.id,
        chat_id=r.chat_id or None,
        full_name=r.full_name,
        login=r.login,
        email=r.email or None,
        position=r.position or None,
        company=None if c is None else clients.CompanyRef(c.id, c.name, list(c.inns)),
        colleague=r.colleague,
        status=r.status,
        avatar_url=r.avatar_url,
        birth_date=r.birth_date,
        mobile=r.mobile,
        last_message=None
        if lm is None
        else clients.LastMessage(lm.id, lm.text, lm.created_at, lm.author_kind, lm.file_name),
        unread=r.unread,
        open_ticket=None
        if ot is None
        else clients.OpenTicket(ot.id, ot.specialist_id, ot.opened_at),
        presence=r.presence,
        disconnected=r.disconnected,
    )


@dataclass(frozen=True, slots=True)
class Directory:
    """A line's users, compactly, in display order (GET /lines/{id}/directory)."""

    ids: array[int]
    chat_ids: array[int]  # 0: no chat yet
    last_at: array[float]  # Unix time of the last message; 0.0: none
    keys: list[str]  # lower-cased search text
    # what the list's filter asks (empty: not known, as none): contract.clients.DirectoryFlag
    # bits, company ids (0: none), birthdays (month × 100 + day; 0: not known)
    flags: array[int] = field(default_factory=lambda: array("B"))
    company_ids: array[int] = field(default_factory=lambda: array("i"))
    birthdays: array[int] = field(default_factory=lambda: array("H"))


def directory(value: object) -> Directory:
    """The hot path (100 000 users): typed arrays, the search texts kept as they came."""
    d = convert(value, clients.Directory)
    n = len(d.ids)
    lengths = {len(d.chat_ids), len(d.last_message_at), len(d.search), len(d.flags)}
    if lengths | {len(d.company_ids), len(d.birthdays)} != {n}:
        raise Malformed("directory: the arrays differ in length")
    chat_ids = array("i", [0 if c is None else c for c in d.chat_ids])
    last = array("d", [0.0 if t is None else t.timestamp() for t in d.last_message_at])
    companies = array("i", [0 if c is None else c for c in d.company_ids])
    return Directory(
        array("i", d.ids),
        chat_ids,
        last,
        d.search,
        array("B", d.flags),
        companies,
        array("H", d.birthdays),
    )


def user_card(value: object) -> UserCard:
    s = convert(value, clients.UserCard)
    c = s.company
    card = None
    if c is not None:
        card = CompanyCard(
            c.id,
            c.name,
            tuple(c.inns),
            c.region or "",
            c.time_zone,
            tuple(CompanyParam(p.tag, p.value, p.expires) for p in c.params),
            tuple(PersonRef(p.id, p.full_name, p.status, p.user_id) for p in c.responsible),
        )
    ref = None if c is None else CompanyRef(c.id, c.name, tuple(c.inns))
    return UserCard(
        row=_row(s, ref),
        last_name=s.last_name,
        first_name=s.first_name,
        patronymic=s.patronymic,
        department=s.department or "",
        phone=s.phone or "",
        time_zone=s.time_zone,
        region=s.region or "",
        company=card,
        access_until=s.access_until,
        other_lines=tuple((line.id, line.name) for line in s.other_lines),
    )


def message(value: object) -> Message:
    m = convert(value, chats.Message)
    q, f = m.quote, m.file
    return Message(
        id=m.id,
        chat_id=m.chat_id,
        client_msg_id=m.client_msg_id,
        author=Author(m.author.id, m.author.kind, m.author.full_name),
        text=m.text,
        created_at=m.created_at,
        quote=None if q is None else Quote(q.id, q.text, q.author_name, q.fragment, q.deleted),
        file=None if f is None else FileRef(f.id, f.name, f.size, f.content_type),
        ticket_id=m.ticket_id,
        deleted=m.deleted,
    )


def wire_message(m: Message) -> chats.Message:
    """A sent message as the contract's Message (what the cache stores)."""
    assert m.id is not None
    q, f = m.quote, m.file
    return chats.Message(
        id=m.id,
        chat_id=m.chat_id,
        client_msg_id=m.client_msg_id,
        author=chats.Author(m.author.id, m.author.kind, m.author.full_name),
        text=m.text,
        quote=None
        if q is None
        else chats.Quote(q.id, q.text, q.author_name, q.fragment, q.deleted),
        file=None if f is None else chats.File(f.id, f.name, f.size, f.content_type),
        created_at=m.created_at,
        ticket_id=m.ticket_id,
        deleted=m.deleted,
    )


def ticket(value: object) -> Ticket:
    t = convert(value, chats.Ticket)
    return Ticket(
        t.id, t.chat_id, t.line_id, t.user_id, t.specialist_id, t.state, t.opened_at, t.closed_at
    )


class StoredMe(msgspec.Struct, frozen=True):
    """The signed-in account as the cache keeps it (the domain's `Me`)."""

    id: int
    login: str
    full_name: str
    position: str
    status: Status
    company: clients.CompanyRef
    avatar_url: str | None = None
    email: str = ""
    phone: str = ""
    server: str = ""


def me(value: object) -> Me:
    """The caller: a reply (`accounts.Me`) or the cache's `StoredMe` (its JSON)."""
    if not isinstance(value, accounts.Me):
        s = convert(value, StoredMe)
        return Me(
            s.id,
            s.login,
            s.full_name,
            s.position,
            s.status,
            _ref(s.company),
            s.avatar_url,
            s.email,
            s.phone,
            s.server,
        )
    if value.company is None:
        raise Malformed("me: no company")
    return Me(
        id=value.id,
        login=value.login,
        full_name=value.full_name,
        position=value.position or "",
        status=Status.FREE if value.status is None else value.status,
        company=CompanyRef(value.company.id, value.company.name),
        avatar_url=value.avatar_url,
        email=value.email or "",
        phone=value.phone or "",
        server=value.server,
    )


def _ref(c: clients.CompanyRef) -> CompanyRef:
    return CompanyRef(c.id, c.name, tuple(c.inns))


def colleague(value: object) -> Colleague:
    c = convert(value, accounts.Colleague)
    return Colleague(c.id, c.full_name, c.status, c.avatar_url, c.extension)
