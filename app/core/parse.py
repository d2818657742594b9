"""JSON (docs/api.md) → app.core.domain, validated. Anything unexpected raises `Malformed`.

Nothing else in `app/` turns raw dicts into domain objects.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.domain import (
    Author,
    Colleague,
    CompanyCard,
    CompanyParam,
    CompanyRef,
    FileRef,
    LastMessage,
    Line,
    LineKind,
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

Json = Mapping[str, Any]


class Malformed(ValueError):
    """A reply or event does not match the contract."""


def obj(value: object, what: str = "object") -> Json:
    if type(value) is dict:
        return value
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


def opt_int(d: Json, key: str) -> int | None:
    v = d.get(key)
    if v is None:
        return None
    if type(v) is not int:
        raise Malformed(f"{key}: expected an integer or null, got {v!r}")
    return v


def req_str(d: Json, key: str) -> str:
    v = d.get(key)
    if not isinstance(v, str):
        raise Malformed(f"{key}: expected a string, got {v!r}")
    return v


def str_or_empty(d: Json, key: str) -> str:
    v = d.get(key)
    if v is None:
        return ""
    if not isinstance(v, str):
        raise Malformed(f"{key}: expected a string, got {v!r}")
    return v


def opt_str(d: Json, key: str) -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise Malformed(f"{key}: expected a string or null, got {v!r}")
    return v


def req_bool(d: Json, key: str, default: bool | None = None) -> bool:
    v = d.get(key, default)
    if not isinstance(v, bool):
        raise Malformed(f"{key}: expected a boolean, got {v!r}")
    return v


def req_time(d: Json, key: str) -> datetime:
    return _time(req_str(d, key), key)


def opt_time(d: Json, key: str) -> datetime | None:
    v = opt_str(d, key)
    return None if v is None else _time(v, key)


def _time(v: str, key: str) -> datetime:
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        raise Malformed(f"{key}: not an ISO 8601 time: {v!r}") from None


def opt_date(d: Json, key: str) -> date | None:
    v = opt_str(d, key)
    if v is None:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise Malformed(f"{key}: not a date: {v!r}") from None


def status(value: object, key: str = "status") -> Status:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return Status(value)
    except ValueError:
        raise Malformed(f"{key}: unknown status {value!r}") from None


def opt_status(d: Json, key: str = "status") -> Status | None:
    v = d.get(key)
    return None if v is None else status(v, key)


def _inns(d: Json) -> tuple[str, ...]:
    raw = d.get("inns") or []
    out = items(raw, "inns")
    for x in out:
        if type(x) is not str:
            raise Malformed("inns: expected strings")
    return tuple(out)


def company_ref(value: object) -> CompanyRef:
    d = obj(value, "company")
    return CompanyRef(id=req_int(d, "id"), name=req_str(d, "name"), inns=_inns(d))


def line(value: object) -> Line:
    d = obj(value, "line")
    try:
        kind = LineKind(str(d.get("kind")))
    except ValueError:
        raise Malformed(f"kind: unknown line kind {d.get('kind')!r}") from None
    return Line(
        id=req_int(d, "id"),
        name=req_str(d, "name"),
        public_name=str_or_empty(d, "public_name"),
        kind=kind,
        user_count=req_int(d, "user_count"),
        streaming=req_bool(d, "streaming"),
    )


def last_message(value: object) -> LastMessage | None:
    if value is None:
        return None
    d = obj(value, "last_message")
    return LastMessage(
        id=req_int(d, "id"),
        text=str_or_empty(d, "text"),
        created_at=req_time(d, "created_at"),
        author_kind=req_str(d, "author_kind"),
    )


def open_ticket(value: object) -> OpenTicket | None:
    if value is None:
        return None
    d = obj(value, "open_ticket")
    return OpenTicket(id=req_int(d, "id"), specialist_id=opt_int(d, "specialist_id"))


def user_row(value: object) -> UserRow:
    """The hot path (100 000 rows of a line): inline checks, one pass."""
    d = obj(value, "user")
    g = d.get
    uid, chat_id, name = g("id"), g("chat_id"), g("full_name")
    if type(uid) is not int or type(chat_id) is not int or not isinstance(name, str):
        raise Malformed(f"user: id, chat_id and full_name are required, got {uid!r}")
    login, email, position = g("login") or "", g("email") or "", g("position") or ""
    if not (isinstance(login, str) and isinstance(email, str) and isinstance(position, str)):
        raise Malformed(f"user {uid}: login, email and position are strings")
    comp = g("company")
    colleague, mobile = g("colleague", False), g("mobile", False)
    if type(colleague) is not bool or type(mobile) is not bool:
        raise Malformed(f"user {uid}: colleague and mobile are booleans")
    avatar = g("avatar_url")
    if avatar is not None and not isinstance(avatar, str):
        raise Malformed(f"user {uid}: avatar_url is a string or null")
    unread = g("unread") or 0
    if type(unread) is not int:
        raise Malformed(f"user {uid}: unread is an integer")
    st = g("status")
    bd = g("birth_date")
    return UserRow(
        uid,
        chat_id,
        name,
        login,
        email,
        position,
        None if comp is None else company_ref(comp),
        colleague,
        None if st is None else status(st),
        avatar,
        None if bd is None else opt_date(d, "birth_date"),
        mobile,
        last_message(g("last_message")),
        unread,
        open_ticket(g("open_ticket")),
    )


@dataclass(frozen=True, slots=True)
class Directory:
    """A line's users, compactly, in display order (GET /lines/{id}/directory)."""

    ids: array[int]
    chat_ids: array[int]  # 0: no chat yet
    last_at: array[float]  # Unix time of the last message; 0.0: none
    keys: list[str]  # lower-cased search text


def directory(value: object) -> Directory:
    """The hot path (100 000 users): typed arrays, the search texts kept as they came."""
    d = obj(value, "directory")
    raw_ids = items(d.get("ids"), "ids")
    raw_chats = items(d.get("chat_ids"), "chat_ids")
    raw_last = items(d.get("last_message_at"), "last_message_at")
    keys = items(d.get("search"), "search")
    n = len(raw_ids)
    if not (len(raw_chats) == len(raw_last) == len(keys) == n):
        raise Malformed("directory: the arrays differ in length")
    try:
        ids = array("i", raw_ids)
        chat_ids = array("i", [0 if c is None else c for c in raw_chats])
    except (TypeError, OverflowError) as e:
        raise Malformed(f"directory: ids are integers ({e})") from None
    last = array("d", bytes(8 * n))
    for i, t in enumerate(raw_last):
        if t is not None:
            if not isinstance(t, str):
                raise Malformed(f"directory: last_message_at[{i}] is a time or null")
            last[i] = _time(t, "last_message_at").timestamp()
    if not all(type(k) is str for k in keys):
        raise Malformed("directory: search texts are strings")
    return Directory(ids, chat_ids, last, keys)


def company_card(value: object) -> CompanyCard | None:
    if value is None:
        return None
    d = obj(value, "company")
    params = tuple(
        CompanyParam(tag=req_str(p, "tag"), value=str_or_empty(p, "value"))
        for p in (obj(x, "param") for x in items(d.get("params") or [], "params"))
    )
    responsible = tuple(
        PersonRef(id=req_int(p, "id"), full_name=req_str(p, "full_name"))
        for p in (obj(x, "responsible") for x in items(d.get("responsible") or [], "responsible"))
    )
    return CompanyCard(
        id=req_int(d, "id"),
        name=req_str(d, "name"),
        inns=_inns(d),
        region=str_or_empty(d, "region"),
        time_zone=str_or_empty(d, "time_zone"),
        params=params,
        responsible=responsible,
    )


def user_card(value: object) -> UserCard:
    d = obj(value, "user card")
    row_d = dict(d)
    comp = d.get("company")
    # the row wants the short company reference
    row_d["company"] = (
        None
        if comp is None
        else {k: v for k, v in obj(comp).items() if k in ("id", "name", "inns")}
    )
    return UserCard(
        row=user_row(row_d),
        last_name=str_or_empty(d, "last_name"),
        first_name=str_or_empty(d, "first_name"),
        patronymic=str_or_empty(d, "patronymic"),
        department=str_or_empty(d, "department"),
        phone=str_or_empty(d, "phone"),
        time_zone=str_or_empty(d, "time_zone"),
        region=str_or_empty(d, "region"),
        company=company_card(comp),
    )


def author(value: object) -> Author:
    d = obj(value, "author")
    return Author(id=req_int(d, "id"), kind=req_str(d, "kind"), full_name=req_str(d, "full_name"))


def message(value: object) -> Message:
    d = obj(value, "message")
    q = d.get("quote")
    f = d.get("file")
    quote = None
    if q is not None:
        qd = obj(q, "quote")
        quote = Quote(
            id=req_int(qd, "id"),
            text=str_or_empty(qd, "text"),
            author_name=str_or_empty(qd, "author_name"),
        )
    file = None
    if f is not None:
        fd = obj(f, "file")
        file = FileRef(
            id=req_int(fd, "id"),
            name=req_str(fd, "name"),
            size=req_int(fd, "size"),
            content_type=str_or_empty(fd, "content_type"),
        )
    return Message(
        id=req_int(d, "id"),
        chat_id=req_int(d, "chat_id"),
        client_msg_id=str_or_empty(d, "client_msg_id"),
        author=author(d.get("author")),
        text=str_or_empty(d, "text"),
        created_at=req_time(d, "created_at"),
        quote=quote,
        file=file,
        ticket_id=opt_int(d, "ticket_id"),
    )


def ticket(value: object) -> Ticket:
    d = obj(value, "ticket")
    return Ticket(
        id=req_int(d, "id"),
        chat_id=req_int(d, "chat_id"),
        line_id=req_int(d, "line_id"),
        user_id=req_int(d, "user_id"),
        specialist_id=opt_int(d, "specialist_id"),
        state=req_str(d, "state"),
        opened_at=req_time(d, "opened_at"),
        closed_at=opt_time(d, "closed_at"),
    )


def me(value: object) -> Me:
    d = obj(value, "me")
    st = d.get("status")
    return Me(
        id=req_int(d, "id"),
        login=req_str(d, "login"),
        full_name=req_str(d, "full_name"),
        position=str_or_empty(d, "position"),
        status=Status.FREE if st is None else status(st),
        company=company_ref(d.get("company")),
        avatar_url=opt_str(d, "avatar_url"),
    )


def colleague(value: object) -> Colleague:
    d = obj(value, "colleague")
    return Colleague(
        id=req_int(d, "id"),
        full_name=req_str(d, "full_name"),
        status=status(d.get("status")),
        avatar_url=opt_str(d, "avatar_url"),
    )
