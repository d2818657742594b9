"""The demo world as plain data (no database): companies, specialists, users, lines, histories.

``build_world(rng, now)`` is deterministic for a seeded ``rng`` and a fixed ``now``;
:mod:`server.demo.seed` writes it through the server's models.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from server.demo import names
from server.demo.dialogues import EPISODES, fill
from server.demo.inn import generate_legal_inn, generate_personal_inn
from server.demo.people import PersonData, make_person

SEED = 20261124  # the random seed: the same data on every machine
SERVING_COMPANY = "ЛайнДеск Сервис"
SERVING_DOMAIN = "linedesk-service.ru"
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 — the documented demo sign-in
DEMO_ARGON2_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$r9sfKujWaBp259B0vwr4Ww"
    "$jsXO1Mz6kfGkZeou7ydIMbuRyC5qSW0CYUw45QKkqHc"
)
"""argon2id of DEMO_PASSWORD, made once (tests/server/test_demo_data.py checks it): a first start
need not spend ≈ 40 ms of CPU on it while the window starts beside it."""

PARAM_REGNUM = "Рег. номер 1С"
PARAM_ITS = "Договор 1С:ИТС"
PARAM_TARIFF = "Тариф"
PARAM_CATEGORY = "Категория клиента"
PARAM_BALANCE = "Предоплата/задолженность"


@dataclass(slots=True)
class CompanyData:
    name: str
    region: str
    time_zone: str
    inns: list[str]
    params: list[tuple[str, str, dt.date | None]]  # tag, value, when what it grants ends
    domain: str
    serving: bool = False
    responsible: list[int] = field(default_factory=list)  # specialist indexes


@dataclass(slots=True)
class SpecialistData:
    person: PersonData
    status: str  # free / away / busy_new / dnd


@dataclass(slots=True)
class UserData:
    person: PersonData
    company: int  # index into World.companies
    specialist: int | None = None  # a colleague's own specialist index


@dataclass(slots=True)
class LineData:
    key: str  # accounting / tech / vendor / load
    name: str
    public_name: str
    kind: str  # regular / vendor_first / vendor_second
    specialists: list[int]
    users: Sequence[tuple[int, dt.date | None]]  # (user index, connected until)
    # a vendor line with the first-line right: its second line's (the vendor's) specialists
    second_line: list[int] = field(default_factory=list)


@dataclass(slots=True)
class MessageData:
    author_kind: str  # client / specialist
    specialist: int | None
    text: str
    at: dt.datetime
    ticket: int  # index into ChatData.tickets
    quote_previous: bool = False


@dataclass(slots=True)
class TicketData:
    specialist: int | None
    state: str  # open / closed
    opened_at: dt.datetime
    closed_at: dt.datetime | None


@dataclass(slots=True)
class ChatData:
    line: int
    user: int
    messages: list[MessageData]
    tickets: list[TicketData]
    unread_tail: int  # how many of the last client messages the specialists have not read


@dataclass(slots=True)
class World:
    companies: list[CompanyData] = field(default_factory=list)
    specialists: list[SpecialistData] = field(default_factory=list)
    users: list[UserData] = field(default_factory=list)
    lines: list[LineData] = field(default_factory=list)
    chats: list[ChatData] = field(default_factory=list)


_SPECIALISTS = (
    # (login, last, first, patronymic, female, status, position index)
    (DEMO_LOGIN, "Демидова", "Анна", "Сергеевна", True, "free", 1),
    ("o.smirnova", "Смирнова", "Ольга", "Викторовна", True, "free", 0),
    ("d.kuznetsov", "Кузнецов", "Дмитрий", "Андреевич", False, "busy_new", 2),
    ("e.volkova", "Волкова", "Екатерина", "Игоревна", True, "away", 0),
    ("a.morozov", "Морозов", "Алексей", "Павлович", False, "dnd", 3),
    ("m.lebedeva", "Лебедева", "Марина", "Олеговна", True, "free", 2),
    ("i.sokolov", "Соколов", "Игорь", "Николаевич", False, "away", 4),
    ("n.pavlova", "Павлова", "Наталья", "Михайловна", True, "busy_new", 5),
    ("s.orlov", "Орлов", "Сергей", "Васильевич", False, "free", 3),
)


def _specialists(rng: random.Random, today: dt.date) -> list[SpecialistData]:
    out = []
    for i, (login, last, first, patr, female, status, pos) in enumerate(_SPECIALISTS):
        position, dept = names.SPECIALIST_POSITIONS[pos]
        p = make_person(
            rng, today=today, taken=set(), email_domain=SERVING_DOMAIN, region="Москва",
            position=(position, dept), female=female, birthday_today=(i == 5),
        )  # fmt: skip
        p.last_name, p.first_name, p.patronymic, p.login = last, first, patr, login
        p.email = (
            f"{login}@{SERVING_DOMAIN}" if login != DEMO_LOGIN else f"a.demidova@{SERVING_DOMAIN}"
        )
        out.append(SpecialistData(person=p, status=status))
    return out


def _its_value(rng: random.Random, today: dt.date, soon: bool) -> tuple[str, dt.date]:
    days = rng.randint(-40, 400)
    # every ninth company's contract ends within a month: the info panel shows it in amber
    expiry = today + dt.timedelta(days=days % 25 + 3 if soon else days)
    kind = rng.choice(("ПРОФ", "ПРОФ", "ТЕХНО", "Отраслевой"))
    number = f"ИТС-{rng.randint(1000, 99999):05d}"
    suffix = " (истёк)" if expiry < today else ""
    return f"1С:ИТС {kind}, № {number}, до {expiry:%d.%m.%Y}{suffix}", expiry


def _balance(rng: random.Random, today: dt.date) -> str:
    roll = rng.random()
    amount = rng.randint(3, 120) * 500
    if roll < 0.45:
        return f"Предоплата {amount:,} ₽".replace(",", " ")
    if roll < 0.75:
        since = today - dt.timedelta(days=rng.randint(5, 75))
        return f"Задолженность {amount:,} ₽ с {since:%d.%m.%Y}".replace(",", " ")
    return "Нет"


def _companies(rng: random.Random, today: dt.date, count: int, n_spec: int) -> list[CompanyData]:
    out: list[CompanyData] = []
    serving_region = "Москва"
    out.append(
        CompanyData(
            name=f"ООО «{SERVING_COMPANY}»",
            region=serving_region,
            time_zone="Europe/Moscow",
            inns=[generate_legal_inn(rng, "77")],
            params=[],
            domain=SERVING_DOMAIN,
            serving=True,
        )
    )
    company_names = list(names.COMPANY_NAMES)
    rng.shuffle(company_names)
    for i in range(count):
        region = _weighted_region(rng)
        tz, _, inn_code = names.REGIONS[region]
        ip = i % 7 == 6
        if ip:
            owner = make_person(rng, today=today, taken=set(), email_domain="mail.ru")
            name = f"ИП {owner.last_name} {owner.first_name} {owner.patronymic}"
            inns = [generate_personal_inn(rng, inn_code)]
            domain = "mail.ru"
        else:
            base = company_names[i % len(company_names)]
            form = "АО" if i % 5 == 4 else "ООО"
            name = f"{form} «{base}»"
            inns = [generate_legal_inn(rng, inn_code)]
            if i % 9 == 3:  # a company re-registered in another region keeps two INNs
                inns.append(generate_legal_inn(rng))
            domain = _domain(base, i)
        regnum = f"8{rng.randint(100_000_000, 999_999_999)}"
        its, its_end = _its_value(rng, today, soon=i % 9 == 1)
        params: list[tuple[str, str, dt.date | None]] = [
            (PARAM_REGNUM, regnum, None),
            (PARAM_ITS, its, its_end),
            (PARAM_TARIFF, rng.choice(names.TARIFFS), None),
            (PARAM_CATEGORY, "C — малый" if ip else rng.choice(names.CLIENT_CATEGORIES), None),
            (PARAM_BALANCE, _balance(rng, today), None),
        ]
        responsible = sorted(rng.sample(range(n_spec), rng.choice((1, 1, 2))))
        out.append(
            CompanyData(
                name=name, region=region, time_zone=tz, inns=inns, params=params,
                domain=domain, responsible=responsible,
            )
        )  # fmt: skip
    return out


def _weighted_region(rng: random.Random) -> str:
    regions = list(names.REGION_WEIGHTS)
    return rng.choices(regions, weights=[names.REGION_WEIGHTS[r] for r in regions])[0]


def _domain(base: str, i: int) -> str:
    from server.demo.people import translit

    slug = "".join(ch for ch in translit(base.replace(" ", "")) if ch.isalnum())
    return f"{slug or 'company'}{i}.ru"


def _history(
    rng: random.Random,
    now: dt.datetime,
    topic: str,
    line_specialists: list[int],
    specialists: list[SpecialistData],
    client: PersonData,
    utc_offset_h: int,
    *,
    open_state: str | None,
) -> tuple[list[MessageData], list[TicketData]]:
    """1–4 episodes (tickets) spread over the last 90 days.

    ``open_state``: None — every ticket closed; "held" — the last one open and held
    by a specialist; "unheld" — the last one open and waiting in the queue."""
    episodes = EPISODES[topic]
    n = rng.choice((1, 1, 2, 2, 3, 4))
    starts = sorted(rng.sample(range(1, 90), n), reverse=True)  # days ago
    messages: list[MessageData] = []
    tickets: list[TicketData] = []
    for k, days_ago in enumerate(starts):
        lines = list(rng.choice(episodes))
        holder = rng.choice(line_specialists)
        stays_open = k == n - 1 and open_state is not None
        if stays_open:
            # the conversation stops with the client's words, a little while ago
            cut = rng.choice((1, 1, 3))
            lines = lines[:cut]
            while len(lines) > 1 and lines[-1][0] != "c":
                lines.pop()
            at = now - dt.timedelta(minutes=rng.randint(5, 60 * 20))
        else:
            day = (now - dt.timedelta(days=days_ago)).date()
            local = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randint(0, 480))
            at = (local - dt.timedelta(hours=utc_offset_h)).replace(tzinfo=dt.UTC)
        at = min(at, now - dt.timedelta(hours=1))
        opened = at
        values = {
            "name": f"{client.first_name} {client.patronymic}",
            "me": specialists[holder].person.first_name,
            "date": f"{(now + dt.timedelta(days=rng.randint(3, 40))):%d.%m.%Y}",
        }
        for j, (author, text) in enumerate(lines):
            if j:
                at += dt.timedelta(seconds=rng.randint(40, 900))
            messages.append(
                MessageData(
                    author_kind="client" if author == "c" else "specialist",
                    specialist=holder if author == "s" else None,
                    text=fill(
                        text,
                        rng,
                        client_female=client.female,
                        specialist_female=specialists[holder].person.female,
                        **values,
                    ),
                    at=min(at, now - dt.timedelta(seconds=10)),
                    ticket=len(tickets),
                    quote_previous=author == "s" and j > 0 and rng.random() < 0.12,
                )
            )
        if stays_open:
            tickets.append(
                TicketData(holder if open_state == "held" else None, "open", opened, None)
            )
        else:
            tickets.append(TicketData(holder, "closed", opened, at + dt.timedelta(minutes=2)))
    return messages, tickets


_UTC_OFFSETS = {
    "Europe/Moscow": 3,
    "Europe/Samara": 4,
    "Asia/Yekaterinburg": 5,
    "Asia/Novosibirsk": 7,
    "Asia/Tomsk": 7,
    "Asia/Vladivostok": 10,
}

# How many client users each line has in the demo; colleagues come on top.
ACCOUNTING_USERS = 140
TECH_USERS = 30
VENDOR_USERS = 18
BIRTHDAYS_TODAY = 5


def build_world(rng: random.Random, now: dt.datetime) -> World:
    """The "demo" data set: the serving company, client companies, three lines, histories."""
    today = now.date()
    w = World()
    w.specialists = _specialists(rng, today)
    n_spec = len(w.specialists)
    w.companies = _companies(rng, today, count=36, n_spec=n_spec)
    taken = {s.person.login for s in w.specialists}

    # client users: 2–8 per company, enough for the accounting line
    total = ACCOUNTING_USERS + 16
    birthday_slots = set(rng.sample(range(total), BIRTHDAYS_TODAY))
    for i in range(total):
        company = 1 + (i % (len(w.companies) - 1))
        c = w.companies[company]
        person = make_person(
            rng, today=today, taken=taken, email_domain=c.domain, region=c.region,
            birthday_today=i in birthday_slots,
        )  # fmt: skip
        w.users.append(UserData(person=person, company=company))
    # colleagues connected to lines as users (their own client account)
    colleague_users: list[int] = []
    for si in (1, 2, 3, 6):
        sp = w.specialists[si].person
        person = PersonData(
            last_name=sp.last_name, first_name=sp.first_name, patronymic=sp.patronymic,
            female=sp.female, login=f"{sp.login}.user", email=sp.email, phone=sp.phone,
            position=sp.position, department=sp.department, birth_date=sp.birth_date,
            region=sp.region, time_zone=sp.time_zone, mobile=sp.mobile,
        )  # fmt: skip
        colleague_users.append(len(w.users))
        w.users.append(UserData(person=person, company=0, specialist=si))

    clients = list(range(total))
    accounting = clients[:ACCOUNTING_USERS]
    tech = clients[ACCOUNTING_USERS - 14 : ACCOUNTING_USERS + 16]  # overlaps accounting
    vendor = rng.sample(clients, VENDOR_USERS)
    # within a month: the info panel shows the access ending in amber
    until_soon = today + dt.timedelta(days=rng.randint(10, 60) % 20 + 8)
    w.lines = [
        LineData(
            "accounting", "Бухгалтерия 1С", "Линия консультаций по 1С:Бухгалтерии", "regular",
            [0, 1, 2, 3, 5, 7],
            [(u, until_soon if k % 23 == 5 else None) for k, u in enumerate(accounting)]
            + [(colleague_users[0], None), (colleague_users[1], None)],
        ),
        LineData(
            "tech", "Техподдержка", "Техническая поддержка ЛайнДеск", "regular",
            [0, 4, 6, 8],
            [(u, None) for u in tech] + [(colleague_users[2], None), (colleague_users[3], None)],
        ),
        LineData(
            "vendor", "1С:Вендор — вторая линия", "Поддержка 1С:Предприятия", "vendor_second",
            [0, 2, 8],
            [(u, None) for u in vendor],
            second_line=[8],
        ),
    ]  # fmt: skip

    with_history = {"accounting": 46, "tech": 14, "vendor": 7}
    open_plan = {  # per line: states of the chats that keep an open ticket
        "accounting": ["held", "held", "unheld", "unheld", "held"],
        "tech": ["held", "unheld"],
        "vendor": ["unheld"],
    }
    for li, line in enumerate(w.lines):
        members = [u for u, _ in line.users]
        chosen = rng.sample(members, with_history[line.key])
        opens = open_plan[line.key]
        for k, ui in enumerate(chosen):
            user = w.users[ui]
            open_state = opens[k] if k < len(opens) else None
            messages, tickets = _history(
                rng, now, line.key, line.specialists, w.specialists, user.person,
                _UTC_OFFSETS.get(user.person.time_zone, 3), open_state=open_state,
            )  # fmt: skip
            if open_state == "held" and tickets[-1].specialist is not None and k % 2 == 0:
                tickets[-1].specialist = 0  # the demo specialist holds some open tickets
            unread = len(_tail_clients(messages)) if open_state is not None else 0
            w.chats.append(ChatData(li, ui, messages, tickets, unread))
    return w


def _tail_clients(messages: list[MessageData]) -> list[MessageData]:
    """The client's messages after the last specialist message."""
    tail: list[MessageData] = []
    for m in reversed(messages):
        if m.author_kind != "client":
            break
        tail.append(m)
    return tail
