"""Write the demo data set through the server's models: ``await seed(session, "demo")``.

Sign-ins it creates (every password is ``demo``):

* specialists of «ЛайнДеск Сервис»: ``demo`` (Анна Сергеевна Демидова, serves all
  three lines), ``o.smirnova``, ``d.kuznetsov``, ``e.volkova``, ``a.morozov``,
  ``m.lebedeva``, ``i.sokolov``, ``n.pavlova``, ``s.orlov`` (various statuses);
* client users: logins are ``<first-name initial>.<surname>`` in Latin letters
  (``n.volkova``, ``p.nikitin`` …; a number is appended on a clash). The list is
  deterministic; :func:`client_logins` (or ``SELECT login FROM client_users``) gives it;
* colleagues connected to lines as users: ``o.smirnova.user``, ``d.kuznetsov.user``,
  ``e.volkova.user``, ``i.sokolov.user``;
* size ``large`` adds the line «Нагрузочная линия» with 100 000 users
  ``load000001`` … ``load100000`` (the chat of ``load000001`` holds 100 000
  messages) served by ``demo`` and 500 specialists ``bench001`` … ``bench500``.

Pictures: every third demo client user, and the specialists ``o.smirnova``,
``e.volkova``, ``m.lebedeva``, ``n.pavlova`` (with their colleague rows) have one of the
portraits in ``avatars/`` (drawn by :mod:`server.demo.avatar_art`, read here, not drawn);
``demo`` has none, nor have the ``large`` seed's users.

Lines: «Бухгалтерия 1С» (140 clients + 2 colleagues: streaming mode), «Техподдержка»
(30 clients + 2 colleagues), «1С:Вендор — вторая линия» (vendor_second, 18 clients).

Seeded history writes no events: the event log starts after it. Chats' last
message and unread count are written here; users' ``search_text`` is left to
:func:`server.core.derived.rebuild` (called at the end), so its format stays the server's.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.auth.passwords import hash_password_soon
from server.core import derived
from server.core.models import (
    AccountKind,
    Avatar,
    Chat,
    ClientUser,
    Company,
    CompanyInn,
    CompanyParam,
    CompanyResponsible,
    Line,
    LineKind,
    LineSpecialist,
    LineUser,
    Message,
    Specialist,
    SpecialistStatus,
    Ticket,
    TicketState,
)
from server.demo.inn import generate_legal_inn
from server.demo.people import phone_number
from server.demo.world import (
    DEMO_ARGON2_HASH,
    DEMO_PASSWORD,
    ChatData,
    MessageData,
    TicketData,
    World,
    build_world,
)
from server.photos.store import url_of, version_of

__all__ = ["LARGE_USERS", "SEED", "client_logins", "seed", "seed_sync"]

SEED = 20261124  # the random seed: the same data on every machine
LARGE_USERS = 100_000
LARGE_MESSAGES = 100_000
LARGE_SPECIALISTS = 500
_BATCH = 5000
AVATARS = Path(__file__).with_name("avatars")


def client_logins() -> list[str]:
    """Logins of the demo client users (not colleagues), in seeding order."""
    world = build_world(random.Random(SEED), dt.datetime.now(dt.UTC))
    return [u.person.login for u in world.users if u.specialist is None]


async def seed(session: AsyncSession, size: str = "demo") -> None:
    """Fill an empty database; does nothing when it already holds companies."""
    await session.run_sync(seed_sync, size)


def seed_sync(session: Session, size: str = "demo") -> None:
    """:func:`seed` in a synchronous session (``Database.transact``: on SQLite the whole
    seed runs in the writer thread, without an event-loop round trip per statement)."""
    if size not in ("demo", "large"):
        raise ValueError(f"unknown seed size {size!r} (demo or large)")
    if session.scalar(select(Company.id).limit(1)) is not None:
        return
    # the one argon2 hash every account shares, computed in another thread meanwhile
    pw_soon = hash_password_soon(DEMO_PASSWORD, known=DEMO_ARGON2_HASH)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    world = build_world(random.Random(SEED), now)
    writer = _Writer(session, pw_soon, now)
    writer.write_world(world)
    if size == "large":
        writer.write_large(random.Random(SEED + 1))
    session.flush()
    derived.rebuild_sync(session)


def _insert_ids(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert returning the new ids in the order of ``rows``."""
    table = entity.__table__
    ids: list[int] = []
    for start in range(0, len(rows), _BATCH):
        result = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            list(rows[start : start + _BATCH]),
        )
        ids.extend(result.scalars().all())
    return ids


def _insert_keyed(
    session: Session, entity: Any, rows: Sequence[dict[str, Any]], key: str
) -> list[int]:
    """Bulk insert without RETURNING (much faster for large batches on SQLite), then
    read the new ids back by a unique ``key`` column; ids in the order of ``rows``."""
    _insert(session, entity, rows)
    table = entity.__table__
    column = table.c[key]
    wanted = [r[key] for r in rows]
    found: dict[Any, int] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        result = session.execute(select(column, table.c.id).where(column.in_(chunk)))
        found.update((k, int(i)) for k, i in result)
    return [found[k] for k in wanted]


def _insert(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(entity.__table__), list(rows[start : start + _BATCH]))


def _person_row(p: Any, pw: str) -> dict[str, Any]:
    return {
        "login": p.login,
        "password_hash": pw,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "patronymic": p.patronymic,
        "position": p.position,
        "department": p.department,
        "email": p.email,
        "phone": p.phone,
        "birth_date": p.birth_date,
        "avatar_url": None,
        "time_zone": p.time_zone,
        "mobile": p.mobile,
    }


class _Writer:
    def __init__(self, session: Session, pw: Future[str], now: dt.datetime) -> None:
        self.s = session
        self._pw = pw
        self._pw_value: str | None = None
        self.now = now
        self.company_ids: list[int] = []
        self.specialist_ids: list[int] = []
        self.serving_id = 0

    @property
    def pw(self) -> str:
        """The shared password hash (waits for it the first time)."""
        if self._pw_value is None:
            self._pw_value = self._pw.result()
        return self._pw_value

    def write_world(self, w: World) -> None:
        s = self.s
        self.company_ids = _insert_ids(
            s,
            Company,
            [
                {"name": c.name, "region": c.region, "time_zone": c.time_zone, "serving": c.serving}
                for c in w.companies
            ],
        )
        self.serving_id = self.company_ids[0]
        _insert(
            s,
            CompanyInn,
            [
                {"company_id": cid, "inn": inn}
                for cid, c in zip(self.company_ids, w.companies, strict=True)
                for inn in c.inns
            ],
        )
        _insert(
            s,
            CompanyParam,
            [
                {"company_id": cid, "tag": tag, "value": value}
                for cid, c in zip(self.company_ids, w.companies, strict=True)
                for tag, value in c.params
            ],
        )
        self.specialist_ids = _insert_ids(
            s,
            Specialist,
            [
                _person_row(sp.person, self.pw)
                | {"company_id": self.serving_id, "status": SpecialistStatus(sp.status)}
                for sp in w.specialists
            ],
        )
        _insert(
            s,
            CompanyResponsible,
            [
                {"company_id": cid, "specialist_id": self.specialist_ids[si]}
                for cid, c in zip(self.company_ids, w.companies, strict=True)
                for si in c.responsible
            ],
        )
        user_rows = []
        for u in w.users:
            row = _person_row(u.person, self.pw) | {
                "company_id": self.company_ids[u.company],
                "specialist_id": None
                if u.specialist is None
                else self.specialist_ids[u.specialist],
                "region": u.person.region,
                "full_name": u.person.full_name,
                "search_text": None,  # server.core.derived.rebuild fills it in the server's format
            }
            user_rows.append(row)
        user_ids = _insert_keyed(s, ClientUser, user_rows, "login")
        self._write_avatars(w, user_ids)
        line_ids = _insert_ids(
            s,
            Line,
            [
                {
                    "company_id": self.serving_id,
                    "name": line.name,
                    "public_name": line.public_name,
                    "kind": LineKind(line.kind),
                }
                for line in w.lines
            ],
        )
        _insert(
            s,
            LineSpecialist,
            [
                {"line_id": lid, "specialist_id": self.specialist_ids[si]}
                for lid, line in zip(line_ids, w.lines, strict=True)
                for si in line.specialists
            ],
        )
        _insert(
            s,
            LineUser,
            [
                {"line_id": lid, "user_id": user_ids[ui], "until": until}
                for lid, line in zip(line_ids, w.lines, strict=True)
                for ui, until in line.users
            ],
        )
        pairs = [
            (lid, user_ids[ui])
            for lid, line in zip(line_ids, w.lines, strict=True)
            for ui, _ in line.users
        ]
        chat_ids = _insert_ids(
            s,
            Chat,
            [{"line_id": lid, "user_id": uid, "read_up_to": 0, "unread": 0} for lid, uid in pairs],
        )
        chat_of = dict(zip(pairs, chat_ids, strict=True))
        histories = [(chat_of[(line_ids[c.line], user_ids[c.user])], c) for c in w.chats]
        self._write_histories(
            [(chat_id, line_ids[c.line], user_ids[c.user], c) for chat_id, c in histories]
        )

    def _write_avatars(self, w: World, user_ids: list[int]) -> None:
        """Portraits for every third client user and for every other specialist but
        ``demo`` (the first), whose colleague rows share their picture."""
        portraits = [path.read_bytes() for path in sorted(AVATARS.glob("*.png"))]
        if not portraits:
            return
        of_specialist = {
            si: portraits[si // 2 % len(portraits)] for si in range(1, len(w.specialists), 2)
        }
        owners: list[tuple[AccountKind, int, bytes]] = [
            (AccountKind.SPECIALIST, self.specialist_ids[si], data)
            for si, data in of_specialist.items()
        ]
        for ui, u in enumerate(w.users):
            if u.specialist is None:
                if ui % 3 == 1:
                    owners.append(
                        (AccountKind.CLIENT, user_ids[ui], portraits[ui // 3 % len(portraits)])
                    )
            elif u.specialist in of_specialist:
                owners.append((AccountKind.CLIENT, user_ids[ui], of_specialist[u.specialist]))
        versions = {data: version_of(data) for data in portraits}
        _insert(
            self.s,
            Avatar,
            [
                {
                    "owner_kind": kind,
                    "owner_id": owner_id,
                    "content_type": "image/png",
                    "data": data,
                    "version": versions[data],
                    "updated_at": self.now,
                }
                for kind, owner_id, data in owners
            ],
        )
        for kind, entity in (
            (AccountKind.SPECIALIST, Specialist),
            (AccountKind.CLIENT, ClientUser),
        ):
            derived.update_by_id(
                self.s,
                entity,
                [
                    {"id": owner_id, "avatar_url": url_of(kind, owner_id, versions[data])}
                    for k, owner_id, data in owners
                    if k is kind
                ],
            )

    def _write_histories(self, chats: list[tuple[int, int, int, ChatData]]) -> None:
        """Tickets, then messages, then quotes and each chat's derived columns."""
        s = self.s
        ticket_rows: list[dict[str, Any]] = []
        for chat_id, line_id, user_id, c in chats:
            ticket_rows.extend(self._ticket_row(chat_id, line_id, user_id, t) for t in c.tickets)
        ticket_ids = _insert_ids(s, Ticket, ticket_rows)
        rng = random.Random(SEED + 2)
        message_rows: list[dict[str, Any]] = []
        k = 0
        for chat_id, _line_id, user_id, c in chats:
            tids = ticket_ids[k : k + len(c.tickets)]
            k += len(c.tickets)
            message_rows.extend(
                self._message_row(rng, chat_id, user_id, m, tids[m.ticket]) for m in c.messages
            )
        message_ids = _insert_keyed(s, Message, message_rows, "client_msg_id")
        quotes: list[dict[str, Any]] = []
        chat_updates: list[dict[str, Any]] = []
        k = 0
        for chat_id, _line_id, _user_id, c in chats:
            ids = message_ids[k : k + len(c.messages)]
            k += len(c.messages)
            if not ids:
                continue
            for i, m in enumerate(c.messages):
                if m.quote_previous and i > 0:
                    quotes.append({"id": ids[i], "quote_id": ids[i - 1]})
            tail = c.messages[len(c.messages) - c.unread_tail :] if c.unread_tail else []
            unread = sum(1 for m in tail if m.author_kind == "client")
            read_up_to = ids[-1 - c.unread_tail] if c.unread_tail < len(ids) else 0
            chat_updates.append(
                {
                    "id": chat_id,
                    "last_message_id": ids[-1],
                    "last_message_at": c.messages[-1].at,
                    "read_up_to": read_up_to,
                    "unread": unread,
                }
            )
        derived.update_by_id(s, Message, quotes)
        derived.update_by_id(s, Chat, chat_updates)

    def _ticket_row(
        self, chat_id: int, line_id: int, user_id: int, t: TicketData
    ) -> dict[str, Any]:
        return {
            "chat_id": chat_id,
            "line_id": line_id,
            "user_id": user_id,
            "specialist_id": None if t.specialist is None else self.specialist_ids[t.specialist],
            "state": TicketState(t.state),
            "opened_at": t.opened_at,
            "closed_at": t.closed_at,
        }

    def _message_row(
        self, rng: random.Random, chat_id: int, user_id: int, m: MessageData, ticket_id: int
    ) -> dict[str, Any]:
        client = m.author_kind == "client"
        return {
            "chat_id": chat_id,
            "client_msg_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "author_kind": AccountKind.CLIENT if client else AccountKind.SPECIALIST,
            "author_specialist_id": None
            if client or m.specialist is None
            else self.specialist_ids[m.specialist],
            "author_user_id": user_id if client else None,
            "text": m.text,
            "quote_id": None,
            "file_id": None,
            "ticket_id": ticket_id,
            "created_at": m.at,
        }

    def write_large(self, rng: random.Random) -> None:
        """A line of 100 000 users served by 500 bench specialists; one 100 000-message chat."""
        from server.demo import names

        s = self.s
        company_rows = [
            {
                "name": "АО «Федеральная розничная сеть»",
                "region": "Москва",
                "time_zone": "Europe/Moscow",
                "serving": False,
            }
        ]
        (company_id,) = _insert_ids(s, Company, company_rows)
        inn = generate_legal_inn(rng, "77")
        _insert(s, CompanyInn, [{"company_id": company_id, "inn": inn}])
        _insert(
            s,
            CompanyParam,
            [
                {"company_id": company_id, "tag": "Тариф", "value": "Сопровождение «Премиум»"},
                {"company_id": company_id, "tag": "Категория клиента", "value": "VIP"},
            ],
        )
        bench_ids = _insert_ids(
            s,
            Specialist,
            [
                {
                    "login": f"bench{i:03d}",
                    "password_hash": self.pw,
                    "last_name": "Нагрузочный",
                    "first_name": "Специалист",
                    "patronymic": f"№{i}",
                    "position": "Специалист линии консультаций",
                    "department": "Линия консультаций",
                    "email": f"bench{i:03d}@linedesk-service.ru",
                    "time_zone": "Europe/Moscow",
                    "mobile": False,
                    "company_id": self.serving_id,
                    "status": SpecialistStatus.FREE,
                }
                for i in range(1, LARGE_SPECIALISTS + 1)
            ],
        )
        (line_id,) = _insert_ids(
            s,
            Line,
            [
                {
                    "company_id": self.serving_id,
                    "name": "Нагрузочная линия",
                    "public_name": "Поддержка розничной сети",
                    "kind": LineKind.REGULAR,
                }
            ],
        )
        _insert(
            s,
            LineSpecialist,
            [
                {"line_id": line_id, "specialist_id": sid}
                for sid in [self.specialist_ids[0], *bench_ids]
            ],
        )
        user_rows = []
        for i in range(1, LARGE_USERS + 1):
            female = rng.random() < 0.6
            first = rng.choice(names.FEMALE_NAMES) if female else rng.choice(names.MALE_NAMES)[0]
            patr = rng.choice(names.MALE_NAMES)[2 if female else 1]
            last = rng.choice(names.SURNAMES_OV) + ("а" if female else "")
            login = f"load{i:06d}"
            full = f"{last} {first} {patr}"
            row = {
                "login": login,
                "password_hash": self.pw,
                "last_name": last,
                "first_name": first,
                "patronymic": patr,
                "position": "Администратор магазина",
                "department": f"Магазин № {i % 900 + 1}",
                "email": f"{login}@retail-demo.ru",
                "phone": phone_number(rng, "Москва"),
                "birth_date": None,
                "time_zone": "Europe/Moscow",
                "mobile": False,
                "company_id": company_id,
                "specialist_id": None,
                "region": "Москва",
                "full_name": full,
                "search_text": None,
            }
            user_rows.append(row)
        user_ids = _insert_keyed(s, ClientUser, user_rows, "login")
        _insert(
            s, LineUser, [{"line_id": line_id, "user_id": uid, "until": None} for uid in user_ids]
        )
        _insert(
            s,
            Chat,
            [
                {"line_id": line_id, "user_id": uid, "read_up_to": 0, "unread": 0}
                for uid in user_ids
            ],
        )
        chat_of = dict(
            (s.execute(select(Chat.user_id, Chat.id).where(Chat.line_id == line_id))).all()
        )
        chat_ids = [chat_of[uid] for uid in user_ids]
        # one chat with 100 000 messages over the last 90 days, 100 messages per ticket
        start = self.now - dt.timedelta(days=90)
        step = dt.timedelta(days=90) / (LARGE_MESSAGES + 1)
        messages: list[MessageData] = []
        tickets: list[TicketData] = []
        texts = [
            ("client", "Добрый день! Вопрос по отчёту за смену."),
            ("specialist", "Здравствуйте! Слушаю вас."),
        ]
        for i in range(LARGE_MESSAGES):
            if i % 100 == 0:
                if tickets:
                    tickets[-1].state, tickets[-1].closed_at = "closed", start + step * i
                tickets.append(TicketData(0, "open", start + step * (i + 1), None))
            kind, text = texts[i % 2]
            messages.append(
                MessageData(
                    kind,
                    0 if kind == "specialist" else None,
                    f"{text} ({i + 1})",
                    start + step * (i + 1),
                    len(tickets) - 1,
                )
            )
        self._write_histories(
            [(chat_ids[0], line_id, user_ids[0], ChatData(0, 0, messages, tickets, 0))]
        )
