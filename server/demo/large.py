"""The ``large`` demo seed: the line «Нагрузочная линия» with 100 000 users ``load000001`` …
``load100000`` (the chat of ``load000001`` holds 100 000 messages) served by ``demo`` and
500 specialists ``bench001`` … ``bench500``; written after the demo world."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.models import (
    Chat,
    ClientUser,
    Company,
    CompanyInn,
    CompanyParam,
    Line,
    LineKind,
    LineSpecialist,
    LineUser,
    Specialist,
    SpecialistStatus,
)
from server.demo import names
from server.demo.bulk import insert_ids, insert_keyed, insert_rows
from server.demo.histories import write_histories
from server.demo.inn import generate_legal_inn
from server.demo.people import phone_number
from server.demo.world import ChatData, MessageData, TicketData

__all__ = ["LARGE_MESSAGES", "LARGE_SPECIALISTS", "LARGE_USERS", "write_large"]

LARGE_USERS = 100_000
LARGE_MESSAGES = 100_000
LARGE_SPECIALISTS = 500


def write_large(
    session: Session,
    rng: random.Random,
    now: dt.datetime,
    pw: str,
    serving_id: int,
    specialist_ids: list[int],
) -> None:
    """A line of 100 000 users served by 500 bench specialists and the first of
    ``specialist_ids`` (``demo``); one 100 000-message chat. ``pw`` is the shared password
    hash, ``serving_id`` the serving company's id."""
    s = session
    company_rows = [
        {
            "name": "АО «Федеральная розничная сеть»",
            "region": "Москва",
            "time_zone": "Europe/Moscow",
            "serving": False,
        }
    ]
    (company_id,) = insert_ids(s, Company, company_rows)
    inn = generate_legal_inn(rng, "77")
    insert_rows(s, CompanyInn, [{"company_id": company_id, "inn": inn}])
    its_end = now.date() + dt.timedelta(days=20)
    insert_rows(
        s,
        CompanyParam,
        [
            {"company_id": company_id, "tag": t, "value": v, "expires": e}
            for t, v, e in (
                ("Договор 1С:ИТС", f"1С:ИТС ПРОФ, до {its_end:%d.%m.%Y}", its_end),
                ("Тариф", "Сопровождение «Премиум»", None),
                ("Категория клиента", "VIP", None),
            )
        ],
    )
    bench_ids = insert_ids(
        s,
        Specialist,
        [
            {
                "login": f"bench{i:03d}",
                "password_hash": pw,
                "last_name": "Нагрузочный",
                "first_name": "Специалист",
                "patronymic": f"№{i}",
                "position": "Специалист линии консультаций",
                "department": "Линия консультаций",
                "email": f"bench{i:03d}@linedesk-service.ru",
                "time_zone": "Europe/Moscow",
                "mobile": False,
                "company_id": serving_id,
                "status": SpecialistStatus.FREE,
            }
            for i in range(1, LARGE_SPECIALISTS + 1)
        ],
    )
    (line_id,) = insert_ids(
        s,
        Line,
        [
            {
                "company_id": serving_id,
                "name": "Нагрузочная линия",
                "public_name": "Поддержка розничной сети",
                "kind": LineKind.REGULAR,
            }
        ],
    )
    insert_rows(
        s,
        LineSpecialist,
        [{"line_id": line_id, "specialist_id": sid} for sid in [specialist_ids[0], *bench_ids]],
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
            "password_hash": pw,
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
    user_ids = insert_keyed(s, ClientUser, user_rows, "login")
    insert_rows(
        s, LineUser, [{"line_id": line_id, "user_id": uid, "until": None} for uid in user_ids]
    )
    insert_rows(
        s,
        Chat,
        [{"line_id": line_id, "user_id": uid, "read_up_to": 0, "unread": 0} for uid in user_ids],
    )
    chat_of = dict((s.execute(select(Chat.user_id, Chat.id).where(Chat.line_id == line_id))).all())
    chat_ids = [chat_of[uid] for uid in user_ids]
    # one chat with 100 000 messages over the last 90 days, 100 messages per ticket
    start = now - dt.timedelta(days=90)
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
    write_histories(
        s,
        specialist_ids,
        [(chat_ids[0], line_id, user_ids[0], ChatData(0, 0, messages, tickets, 0))],
    )
