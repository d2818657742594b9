"""Lines, the users of a line (order, keyset paging, search, streaming filter), the card."""

from __future__ import annotations

import uuid

import pytest

from tests.server.api import Api

pytestmark = pytest.mark.server


async def line_named(demo: Api, prefix: str) -> dict[str, object]:
    lines = (await demo.get("/lines"))["items"]
    return next(line for line in lines if str(line["name"]).startswith(prefix))


async def all_users(
    demo: Api, line_id: object, limit: int, **params: str
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    cursor = ""
    while True:
        page = await demo.get(f"/lines/{line_id}/users", limit=str(limit), cursor=cursor, **params)
        rows += page["items"]
        if page["next_cursor"] is None:
            return rows
        cursor = page["next_cursor"]


async def test_lines_of_the_demo_specialist(api: Api) -> None:
    demo = await api.as_user("demo")
    lines = (await demo.get("/lines"))["items"]
    assert len(lines) == 3
    assert any(line["streaming"] and line["user_count"] > 100 for line in lines)
    assert any(line["kind"] == "vendor_second" for line in lines)
    smirnova = await api.as_user("o.smirnova")
    assert len((await smirnova.get("/lines"))["items"]) == 1


async def test_users_are_paged_in_order_without_gaps_or_repeats(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 17)
    assert len(rows) == line["user_count"]
    assert len({r["id"] for r in rows}) == len(rows)
    with_messages = [r for r in rows if r["last_message"] is not None]
    rest = rows[len(with_messages) :]
    assert all(r["last_message"] is None for r in rest)
    times = [r["last_message"]["created_at"] for r in with_messages]  # type: ignore[index]
    assert times == sorted(times, reverse=True)
    names = [r["full_name"] for r in rest]
    assert names == sorted(names)
    one_page = await all_users(demo, line["id"], 500)
    assert [r["id"] for r in one_page] == [r["id"] for r in rows]


async def test_a_new_message_moves_the_user_to_the_top(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    last = rows[-1]
    reply = await demo.call(
        "PUT", f"/chats/{last['chat_id']}/messages/{uuid.uuid4()}", {"text": "Добрый день!"}
    )
    assert reply.status == 201
    first = (await demo.get(f"/lines/{line['id']}/users", limit="1"))["items"][0]
    assert first["id"] == last["id"]
    assert first["last_message"]["text"] == "Добрый день!"
    assert first["open_ticket"]["specialist_id"] == (await demo.get("/me"))["id"]


async def test_search_by_name_login_email_company_and_inn(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    sample = next(r for r in rows if r["company"] and r["email"])
    surname = str(sample["full_name"]).split()[0]
    for q in (
        surname.upper(),
        sample["login"],
        str(sample["email"]).upper(),
        sample["company"]["name"].lower(),
        sample["company"]["inns"][0],
    ):  # type: ignore[index]
        found = await all_users(demo, line["id"], 50, q=str(q))
        assert sample["id"] in {r["id"] for r in found}, q
    assert await all_users(demo, line["id"], 50, q="%") == []
    assert await all_users(demo, line["id"], 50, q="no-such-person-xyz") == []


async def test_active_days_keeps_recent_writers_only(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    recent = await all_users(demo, line["id"], 50, active_days="1")
    everyone = await all_users(demo, line["id"], 500)
    assert len(recent) < len(everyone)
    assert all(r["last_message"] is not None for r in recent)


async def test_user_card(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    row = next(
        r for r in await all_users(demo, line["id"], 500) if r["company"] and not r["colleague"]
    )
    card = await demo.get(f"/lines/{line['id']}/users/{row['id']}")
    assert card["id"] == row["id"]
    assert card["company"]["params"]
    assert card["company"]["inns"] == row["company"]["inns"]  # type: ignore[index]
    assert card["time_zone"]
