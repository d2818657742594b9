"""The filter by company on a line with thousands of companies, through the window against the
real server: the choice is searched (name or INN, е = ё, any case) by typing into the picker's
line edit, ↓ and Enter choose, and the list shows that company's users; the core's prepared
keys alone (app/clients/companies.py)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

import server.core.derived  # noqa: F401  (names and search text follow ORM writes)
from app.clients.companies import Company, CompanyList
from server.core.db import Database, parse_url
from server.core.models import ClientUser, CompanyInn, LineUser
from server.core.models import Company as CompanyRow
from tests.clients.test_filter import tick
from tests.clients.test_users_list import LINE, Desk, desk
from tests.window.conftest import WINDOW_MARKS, run_async

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

MANY = 3000


async def _many_companies(db_url: str, line_id: int) -> None:
    """`MANY` more client companies, each with an INN and one user on the line."""
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            companies = [CompanyRow(name=f"ООО «Партнёр {k:04d}»") for k in range(MANY)]
            session.add_all(companies)
            await session.flush()
            session.add_all(
                CompanyInn(company_id=c.id, inn=f"50{k:08d}") for k, c in enumerate(companies)
            )
            users = [
                ClientUser(
                    login=f"partner.{k}",
                    last_name="Партнёров",
                    first_name=f"Клиент{k}",
                    company_id=c.id,
                )
                for k, c in enumerate(companies)
            ]
            session.add_all(users)
            await session.flush()
            session.add_all(LineUser(line_id=line_id, user_id=u.id) for u in users)
    finally:
        await db.close()


def picker_rows(desk: Desk) -> list[str]:
    picker = desk.window.users.filter.picker
    assert picker is not None
    m = picker.model
    return [m.name_at(r) for r in range(m.rowCount())]


def test_a_company_among_thousands_is_found_by_typing(
    desk: Desk, qtbot: Any, live_server: Any
) -> None:
    w = desk.window
    line_id = desk.pick_line()
    run_async(qtbot, _many_companies(live_server.db_url, line_id), timeout=60_000)
    # the line again (now a streaming one: more than 100 users)
    desk.pick_line(next(ln.name for ln in desk.wp.lines if ln.id != line_id))
    desk.pick_line(LINE)
    qtbot.waitUntil(lambda: desk.wp.users.complete, timeout=30_000)
    companies = desk.api.call("GET", f"/lines/{line_id}/companies")["items"]
    assert len(companies) > MANY
    berezka = sorted(
        (c for c in companies if "березка" in c["name"].lower().replace("ё", "е")),
        key=lambda c: (c["name"].lower().replace("ё", "е"), c["id"]),
    )
    assert berezka, "the demo has «Берёзка»"
    shown = list(w.users_model.ids())
    directory = desk.api.call("GET", f"/lines/{line_id}/directory")
    company_of = dict(zip(directory["ids"], directory["company_ids"], strict=True))
    # the filter's Company… opens the picker: every company, loading first
    tick(desk, "company")
    picker = w.users.filter.picker
    assert picker is not None and picker.isVisible()
    qtbot.waitUntil(lambda: picker.model.rowCount() == len(companies), timeout=10_000)
    assert "companies" in picker.status.text()
    # typed as a person does: an INN of one of the thousands
    qtbot.keyClicks(picker.search, "5000001234")
    qtbot.waitUntil(lambda: picker_rows(desk) == ["ООО «Партнёр 1234»"], timeout=5_000)
    # a name in capitals with ё, then in lower case with е: the same companies
    picker.search.clear()
    picker.search.insert("БЕРЁЗК")  # (QTest types ASCII only: as an input method puts it)
    qtbot.waitUntil(lambda: picker_rows(desk) == [c["name"] for c in berezka], timeout=5_000)
    picker.search.clear()
    picker.search.insert("березк")
    assert picker_rows(desk) == [c["name"] for c in berezka]
    picker.search.clear()
    qtbot.keyClicks(picker.search, "no such company")
    assert picker.model.rowCount() == 0
    assert picker.status.text() == "No company has that name or INN"
    assert not picker.ok.isEnabled()
    # ↓ and Enter in the line edit choose the one under the cursor
    picker.search.clear()
    picker.search.insert("березк")
    target = berezka[-1]
    for _ in range(len(berezka) - 1):
        qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.view.currentIndex().row() == len(berezka) - 1
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.isVisible())
    expected = [i for i in shown if company_of[i] == target["id"]]
    assert expected, "the demo's «Берёзка» has users active lately"
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == expected, timeout=5_000)
    assert desk.wp.users.filter.company_id == target["id"]
    assert target["name"] in w.users.filter_note.text()
    # the company entry now says it and clears it
    tick(desk, "company")
    qtbot.waitUntil(lambda: not desk.wp.users.filter, timeout=5_000)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == shown, timeout=5_000)


def test_the_prepared_keys_find_by_name_or_inn_with_yo_and_any_case() -> None:
    found = CompanyList(
        1,
        [
            Company(3, "ООО «Берёзка»", ("7701234567",), 2),
            Company(1, "АО «Ромашка»", ("5009876543", "5001111111"), 1),
            Company(2, "ИП Березкин", (), 1),
        ],
    )
    names = [c.name for c in found.items]
    assert names == ["АО «Ромашка»", "ИП Березкин", "ООО «Берёзка»"]  # by name, е = ё
    assert found.matching("") == [0, 1, 2] and found.matching("   ") == [0, 1, 2]
    assert [names[i] for i in found.matching("БЕРЁЗ")] == ["ИП Березкин", "ООО «Берёзка»"]
    assert [names[i] for i in found.matching("березк")] == ["ИП Березкин", "ООО «Берёзка»"]
    assert [names[i] for i in found.matching("500111")] == ["АО «Ромашка»"]
    assert found.matching("%") == [] and found.matching("\\") == []
    assert found.position(3) == 2 and found.position(99) is None
