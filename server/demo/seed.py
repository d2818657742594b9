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
  messages) served by ``demo`` and 500 specialists ``bench001`` … ``bench500``
  (:mod:`server.demo.large`).

Pictures: every third demo client user, and the specialists ``o.smirnova``,
``e.volkova``, ``m.lebedeva``, ``n.pavlova`` (with their colleague rows) have one of the
portraits in ``avatars/`` (drawn by :mod:`server.demo.avatar_art`, read here, not drawn);
``demo`` has none, nor have the ``large`` seed's users.

Lines: «Бухгалтерия 1С» (140 clients + 2 colleagues: streaming mode), «Техподдержка»
(30 clients + 2 colleagues), «1С:Вендор — вторая линия» (vendor_second, 18 clients; the
first-line right granted: demo and d.kuznetsov its first line, s.orlov the vendor's second).

The rows go in by bulk inserts (:mod:`server.demo.bulk`); chats' tickets and messages by
:func:`server.demo.histories.write_histories`. Seeded history writes no events: the event
log starts after it. Chats' last message and unread count are written there; users'
``search_text`` is left to :func:`server.core.derived.rebuild` (called at the end), so its
format stays the server's.
"""

from __future__ import annotations

import datetime as dt
import random
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from server.auth.passwords import hash_password_soon
from server.core import derived
from server.core.installation import mark_demo_seeded
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
    Specialist,
    SpecialistStatus,
)
from server.demo.bulk import insert_ids, insert_keyed, insert_rows
from server.demo.histories import write_histories
from server.demo.large import LARGE_USERS, write_large
from server.demo.world import (
    DEMO_ARGON2_HASH,
    DEMO_PASSWORD,
    SEED,
    World,
    build_world,
)
from server.photos.store import url_of, version_of

__all__ = ["LARGE_USERS", "SEED", "client_logins", "seed", "seed_sync"]

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
    seed runs in the writer thread, without an event-loop round trip per statement).

    Every date it writes is relative to now (the line access ending within a month, ITS
    contracts, histories, birthdays today), and the day is recorded
    (``Installation.demo_seeded_on``): server/demo/seeding.py seeds a database seeded on an
    earlier day again."""
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
        write_large(
            session,
            random.Random(SEED + 1),
            now,
            writer.pw,
            writer.serving_id,
            writer.specialist_ids,
        )
    mark_demo_seeded(session, now.date())  # its dates are relative to this day
    session.flush()
    derived.rebuild_sync(session)


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
        self.company_ids = insert_ids(
            s,
            Company,
            [
                {"name": c.name, "region": c.region, "time_zone": c.time_zone, "serving": c.serving}
                for c in w.companies
            ],
        )
        self.serving_id = self.company_ids[0]
        insert_rows(
            s,
            CompanyInn,
            [
                {"company_id": cid, "inn": inn}
                for cid, c in zip(self.company_ids, w.companies, strict=True)
                for inn in c.inns
            ],
        )
        insert_rows(
            s,
            CompanyParam,
            [
                {"company_id": cid, "tag": tag, "value": value, "expires": expires}
                for cid, c in zip(self.company_ids, w.companies, strict=True)
                for tag, value, expires in c.params
            ],
        )
        self.specialist_ids = insert_ids(
            s,
            Specialist,
            [
                _person_row(sp.person, self.pw)
                | {"company_id": self.serving_id, "status": SpecialistStatus(sp.status)}
                for sp in w.specialists
            ],
        )
        insert_rows(
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
        user_ids = insert_keyed(s, ClientUser, user_rows, "login")
        self._write_avatars(w, user_ids)
        line_ids = insert_ids(
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
        insert_rows(
            s,
            LineSpecialist,
            [
                {"line_id": lid, "specialist_id": self.specialist_ids[si]}
                for lid, line in zip(line_ids, w.lines, strict=True)
                for si in line.specialists
            ],
        )
        self._write_tiers(s, w, line_ids)
        insert_rows(
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
        chat_ids = insert_ids(
            s,
            Chat,
            [{"line_id": lid, "user_id": uid, "read_up_to": 0, "unread": 0} for lid, uid in pairs],
        )
        chat_of = dict(zip(pairs, chat_ids, strict=True))
        histories = [(chat_of[(line_ids[c.line], user_ids[c.user])], c) for c in w.chats]
        write_histories(
            s,
            self.specialist_ids,
            [(chat_id, line_ids[c.line], user_ids[c.user], c) for chat_id, c in histories],
        )

    def _write_tiers(self, s: Session, w: World, line_ids: list[int]) -> None:
        """A vendor line with a second line: the first-line right granted, its specialists."""
        from server.tickets.models import LineSettings, SecondLine

        lines = zip(line_ids, w.lines, strict=True)
        tiered = [(lid, line) for lid, line in lines if line.second_line]
        insert_rows(
            s, LineSettings, [{"line_id": lid, "first_line_right": True} for lid, _ in tiered]
        )
        insert_rows(
            s,
            SecondLine,
            [
                {"line_id": lid, "specialist_id": self.specialist_ids[si]}
                for lid, line in tiered
                for si in line.second_line
            ],
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
        insert_rows(
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
