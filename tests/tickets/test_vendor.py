"""A vendor line's first and second line on the real server (seed 001): the demo's vendor
line holds the first-line right — demo and d.kuznetsov its first line, s.orlov the vendor's
second. Transfers between them are routed within the target tier; every refusal says why
and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from server.tickets.models import LineSettings
from tests.server.api import Api
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import line_id, rows, set_status

pytestmark = pytest.mark.tickets

VENDOR = "1С:Вендор — вторая линия"


async def me(api: Api, login: str) -> int:
    return int((await (await api.as_user(login)).get("/me"))["id"])


async def started(demo: Api, line: int, k: int = 0) -> tuple[dict[str, Any], int]:
    """A user of the line with no open ticket, and the ticket demo starts with them."""
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    row = quiet[k]
    reply = await demo.call("POST", f"/chats/{row['chat_id']}/ticket")
    assert reply.status == 200, reply.body
    return row, int(reply.body["id"])


async def holder(demo: Api, line: int, user_id: int) -> int | None:
    card = await demo.get(f"/lines/{line}/users/{user_id}")
    return card["open_ticket"]["specialist_id"] if card["open_ticket"] else None


async def test_to_the_second_line_and_back(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    vendor = await line_id(demo, VENDOR)
    await admin.specialist("demo", capacity=50)
    demo_id, orlov, kuznetsov = [await me(api, x) for x in ("demo", "s.orlov", "d.kuznetsov")]
    load = await demo.get(f"/lines/{vendor}/load")
    assert load["tiers"] is True
    tiers = {s["id"]: s["tier"] for s in load["specialists"]}
    assert (tiers[demo_id], tiers[orlov], tiers[kuznetsov]) == ("first", "second", "first")
    await set_status(api, "s.orlov", "free")
    row, ticket = await started(demo, vendor)
    # not to a colleague of the other tier by name only, nor to a first-line one "at the
    # second line": refused in words, nothing changed
    across = await demo.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": orlov})
    assert across.status == 409 and "other tier" in across.body["detail"]
    wrong = await demo.call(
        "POST", f"/tickets/{ticket}/transfer", {"tier": "second", "specialist_id": kuznetsov}
    )
    assert wrong.status == 409 and "second line" in wrong.body["detail"]
    both = await demo.call(
        "POST", f"/tickets/{ticket}/transfer", {"tier": "second", "line_id": vendor + 1000}
    )
    assert both.status == 409 and both.body["type"].endswith("/line-or-tier")
    assert await holder(demo, vendor, row["id"]) == demo_id
    # to the second line: the Free vendor's specialist there gets it, the chat says so
    up = await demo.call(
        "POST", f"/tickets/{ticket}/transfer", {"tier": "second", "note": "Ошибка платформы"}
    )
    assert up.status == 200 and up.body["specialist_id"] == orlov, up.body
    last = (await demo.get(f"/chats/{row['chat_id']}/steps"))["items"][-1]
    assert (last["kind"], last["tier"]) == ("transferred", "second")
    assert last["note"] == "Ошибка платформы"
    assert (last["specialist_id"], last["from_specialist_id"]) == (orlov, demo_id)
    user = await api.as_user(row["login"])
    seen = (await user.get(f"/chats/{row['chat_id']}/steps"))["items"][-1]
    assert (seen["tier"], seen["note"]) == ("second", "")  # the note is the colleagues'
    vendor_side = await api.as_user("s.orlov")
    again = await vendor_side.call("POST", f"/tickets/{ticket}/transfer", {"tier": "second"})
    assert again.status == 409 and again.body["type"].endswith("/already-there")
    # back to the first line: routed there (demo is its Free one)
    down = await vendor_side.call("POST", f"/tickets/{ticket}/transfer", {"tier": "first"})
    assert down.status == 200 and down.body["specialist_id"] == demo_id, down.body
    # nobody Free at the second line: it waits in the second line's queue — the first line
    # does not take it back — until the vendor's specialist is Free again
    await set_status(api, "s.orlov", "busy_new")
    queued = await demo.call("POST", f"/tickets/{ticket}/transfer", {"tier": "second"})
    assert queued.status == 200 and queued.body["specialist_id"] is None, queued.body
    assert await holder(demo, vendor, row["id"]) is None
    await set_status(api, "s.orlov", "free")
    assert await holder(demo, vendor, row["id"]) == orlov


async def test_refused_without_the_right_or_off_a_vendor_line(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    await admin.specialist("demo", capacity=50)
    accounting = await line_id(demo, ACCOUNTING)
    row, ticket = await started(demo, accounting)
    plain = await demo.call("POST", f"/tickets/{ticket}/transfer", {"tier": "second"})
    assert plain.status == 409 and plain.body["title"] == "Not a vendor line"
    vendor = await line_id(demo, VENDOR)
    await admin.run(
        update(LineSettings).where(LineSettings.line_id == vendor).values(first_line_right=False)
    )
    assert (await demo.get(f"/lines/{vendor}/load"))["tiers"] is False
    vendor_row, vendor_ticket = await started(demo, vendor)
    refused = await demo.call("POST", f"/tickets/{vendor_ticket}/transfer", {"tier": "second"})
    assert refused.status == 409 and refused.body["type"].endswith("/no-first-line-right")
    assert "first-line right" in refused.body["detail"]
    me_id = await me(api, "demo")
    assert await holder(demo, vendor, vendor_row["id"]) == me_id
    assert await holder(demo, accounting, row["id"]) == me_id
