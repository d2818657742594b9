"""The demo data set: valid INNs, birthdays today, line sizes, idempotent and fast seeding."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.core.db import Database, parse_url
from server.core.models import (
    Chat,
    ClientUser,
    Company,
    CompanyInn,
    CompanyParam,
    Line,
    LineUser,
    Message,
    Specialist,
    Ticket,
)
from server.demo.dialogues import fill
from server.demo.inn import generate_legal_inn, generate_personal_inn, is_valid_inn
from server.demo.people import make_person
from server.demo.seed import seed

pytestmark = [
    pytest.mark.server,
]

VALID_INNS = ["7707083893", "7736050003", "7736207543", "7830002293", "500100732259"]


@pytest.mark.parametrize("inn", VALID_INNS)
def test_known_inns_are_valid(inn: str) -> None:
    assert is_valid_inn(inn)


@pytest.mark.parametrize("inn", VALID_INNS)
def test_any_corrupted_digit_is_caught(inn: str) -> None:
    for i in range(len(inn)):
        digit = int(inn[i])
        bad = inn[:i] + str((digit + 1) % 10) + inn[i + 1 :]
        # a single wrong digit changes a weighted sum mod 11 unless the weight is 0 there
        if i < len(inn) - 2 or len(inn) == 10:
            assert not is_valid_inn(bad) or bad == inn, bad


@pytest.mark.parametrize(
    "inn", ["", "770708389", "77070838931", "770708389X", "7707083894", "500100732258", "５００"]
)
def test_malformed_inns_are_invalid(inn: str) -> None:
    assert not is_valid_inn(inn)


def test_generated_inns_are_valid_and_deterministic() -> None:
    a = [generate_legal_inn(random.Random(1)) for _ in range(3)]
    assert len(set(a)) == 1
    rng = random.Random(5)
    for _ in range(500):
        legal, personal = generate_legal_inn(rng, "66"), generate_personal_inn(rng, "54")
        assert len(legal) == 10 and legal.startswith("66") and is_valid_inn(legal)
        assert len(personal) == 12 and personal.startswith("54") and is_valid_inn(personal)


def test_names_agree_by_gender() -> None:
    rng = random.Random(3)
    today = dt.date(2026, 11, 24)
    for _ in range(300):
        p = make_person(rng, today=today, taken=set(), email_domain="x.ru")
        if p.female:
            assert p.patronymic.endswith(("вна", "чна")), p
            assert not p.last_name.endswith(("ов", "ев", "ёв", "ин", "ский", "цкий", "ой")), p
        else:
            assert p.patronymic.endswith(("вич", "ич")), p
            assert not p.last_name.endswith(("ова", "ева", "ина", "ская", "ая")), p


def test_dialogue_agrees_with_gender() -> None:
    rng = random.Random(1)
    text = "[[Нашла|Нашёл]], <<Посмотрела|Посмотрел>>, {name}"
    assert fill(text, rng, client_female=False, specialist_female=True, name="Иван Ильич") == (
        "Нашёл, Посмотрела, Иван Ильич"
    )


def test_birthday_on_29_february_gets_a_leap_year() -> None:
    from server.demo.people import birth_date_today

    d = birth_date_today(random.Random(2), dt.date(2028, 2, 29))
    assert (d.month, d.day) == (2, 29)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(parse_url(f"sqlite:///{tmp_path / 'demo.db'}"))
    await database.migrate()
    yield database
    await database.close()


async def _seed(database: Database, size: str = "demo") -> None:
    async with database.write() as session:
        await seed(session, size)


async def test_demo_seed_is_idempotent(db: Database) -> None:
    """(How fast the first start seeds: `make bench`, client.start_data_cold.)"""
    await _seed(db)
    async with db.read() as s:
        counts = [
            await s.scalar(select(func.count()).select_from(t)) for t in (ClientUser, Message)
        ]
    await _seed(db)
    async with db.read() as s:
        assert [
            await s.scalar(select(func.count()).select_from(t)) for t in (ClientUser, Message)
        ] == counts
        assert await s.scalar(select(func.count()).select_from(Company).where(Company.serving)) == 1


async def test_seeded_data(db: Database) -> None:
    await _seed(db)
    today = dt.datetime.now(dt.UTC).date()
    async with db.read() as s:
        inns = (await s.scalars(select(CompanyInn.inn))).all()
        assert len(inns) >= 30
        assert all(is_valid_inn(i) for i in inns), [i for i in inns if not is_valid_inn(i)]
        assert any(len(i) == 12 for i in inns), "no ИП"
        companies = (await s.scalars(select(Company).where(~Company.serving))).all()
        no_inn = await s.scalar(
            select(func.count())
            .select_from(Company)
            .where(~select(CompanyInn.inn).where(CompanyInn.company_id == Company.id).exists())
        )
        assert no_inn == 0
        tags = set((await s.scalars(select(CompanyParam.tag))).all())
        assert {
            "Рег. номер 1С",
            "Договор 1С:ИТС",
            "Тариф",
            "Категория клиента",
            "Предоплата/задолженность",
        } <= tags
        assert len(companies) >= 30

        births = (await s.scalars(select(ClientUser.birth_date))).all()
        today_count = sum(1 for b in births if b and (b.month, b.day) == (today.month, today.day))
        assert today_count >= 3

        demo = await s.scalar(select(Specialist).where(Specialist.login == "demo"))
        assert demo is not None and demo.password_hash
        statuses = set((await s.scalars(select(Specialist.status))).all())
        assert {"free", "away", "busy_new", "dnd"} <= {str(x) for x in statuses}

        lines = (await s.scalars(select(Line))).all()
        assert len(lines) == 3
        counts = sorted(
            [
                await s.scalar(select(func.count()).where(LineUser.line_id == line.id))
                for line in lines
            ],
            reverse=True,
        )
        assert counts[0] > 100 and 25 <= counts[1] <= 40, counts
        assert "vendor_second" in {str(line.kind) for line in lines}

        colleagues = await s.scalar(
            select(func.count())
            .select_from(ClientUser)
            .where(ClientUser.specialist_id.is_not(None))
        )
        assert colleagues and colleagues >= 2

        # every connected user has a chat; histories are consistent
        assert await s.scalar(select(func.count()).select_from(Chat)) == await s.scalar(
            select(func.count()).select_from(LineUser)
        )
        open_tickets = await s.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.state == "open")
        )
        assert open_tickets and open_tickets >= 3
        assert await s.scalar(select(func.sum(Chat.unread))) > 0
        newest, oldest = (
            await s.execute(select(func.max(Message.created_at), func.min(Message.created_at)))
        ).one()
        now = dt.datetime.now(dt.UTC)
        assert newest <= now and oldest >= now - dt.timedelta(days=91)
        # a chat's last message is its newest one
        stale = await s.scalar(
            select(func.count())
            .select_from(Chat)
            .where(
                Chat.last_message_id.is_not(None),
                Chat.last_message_id
                != select(func.max(Message.id)).where(Message.chat_id == Chat.id).scalar_subquery(),
            )
        )
        assert stale == 0
        users = (await s.scalars(select(ClientUser))).all()
        assert all(u.search_text and u.login in u.search_text for u in users)
        assert len({u.login for u in users}) == len(users)


async def test_traffic_reports_an_absent_server() -> None:
    import socket

    from server.demo.traffic import ServerGone, run_traffic

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(ServerGone, match="cannot reach"):
        await run_traffic(f"http://127.0.0.1:{port}", 1.0, 1.0, logins=["n.volkova"])


def test_the_committed_demo_password_hash_is_current() -> None:
    """The seed uses DEMO_ARGON2_HASH instead of hashing at every first start: it must be
    the password's hash with today's argon2 parameters (else: regenerate it)."""
    from argon2 import PasswordHasher

    from server.auth import passwords
    from server.demo.world import DEMO_ARGON2_HASH, DEMO_PASSWORD

    assert passwords.verify_password(DEMO_ARGON2_HASH, DEMO_PASSWORD)
    current = PasswordHasher(
        time_cost=passwords.TIME_COST,
        memory_cost=passwords.MEMORY_COST_KIB,
        parallelism=passwords.PARALLELISM,
    )
    assert not current.check_needs_rehash(DEMO_ARGON2_HASH)
    assert passwords.hash_password_soon(DEMO_PASSWORD, known=DEMO_ARGON2_HASH).done()
