"""The reply-time guard's minutes are a line setting on the server (seed 000, 4.1–4.2):
amber at 3 and red at 5 where the line sets none, the line's own where it does."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from server.tickets.models import LineSettings
from tests.server.api import Api
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import line_id

pytestmark = pytest.mark.tickets


async def test_the_guard_s_minutes_come_from_the_line(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    plain = await demo.get(f"/lines/{line}/ticket-settings")
    assert (plain["guard_amber_minutes"], plain["guard_red_minutes"]) == (3, 5)
    assert plain["hours"] is None and plain["auto_finish_minutes"] is None
    table = LineSettings.__table__
    await admin.run(
        delete(table).where(table.c.line_id == line),
        table.insert().values(
            line_id=line, guard_amber_minutes=2, guard_red_minutes=4, auto_finish_minutes=30
        ),
    )
    own = await demo.get(f"/lines/{line}/ticket-settings")
    assert (own["guard_amber_minutes"], own["guard_red_minutes"]) == (2, 4)
    assert own["auto_finish_minutes"] == 30
    # red is never before amber, whatever was written
    await admin.run(
        delete(table).where(table.c.line_id == line),
        table.insert().values(line_id=line, guard_amber_minutes=6, guard_red_minutes=4),
    )
    odd = await demo.get(f"/lines/{line}/ticket-settings")
    assert (odd["guard_amber_minutes"], odd["guard_red_minutes"]) == (6, 6)


async def test_only_for_the_line_s_specialists(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    stranger = await api.as_user("i.sokolov")  # serves the technical line only
    assert (await stranger.call("GET", f"/lines/{line}/ticket-settings")).status == 404
    assert (await demo.call("GET", "/lines/999999999/ticket-settings")).status == 404
