"""The queue's sweep (server/tickets/wake.py): a queued ticket is never left beside a free
place. What leaves one there without anybody changing status or finishing a ticket: a
line's working hours beginning (the night's questions), or a server process stopped
between a queued ticket's commit and its check."""

from __future__ import annotations

import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import chat_of, close_for_today, open_all_day, queue, set_status, write
from tests.tickets.test_comments import frames_until
from tests.tickets.test_flows import TEAM, card, quiet_user

pytestmark = pytest.mark.tickets


@pytest.fixture
def servers(deployment: Deployment) -> list[ServerProcess]:
    """As tests/tickets/conftest.py's, sweeping every 0.2 s (10 s by default)."""
    count = 2 if deployment.backend == "postgres" else 1
    return [deployment.start("--sweep-every", "0.2") for _ in range(count)]


async def test_the_nights_queue_goes_out_when_the_line_opens(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    line = await close_for_today(admin, ACCOUNTING)
    for login in TEAM:
        await set_status(api, login, "busy_new")
    await admin.specialist("o.smirnova", 50)
    await set_status(api, "o.smirnova", "free")  # Free with room, the line closed
    row = await quiet_user(demo, line)
    user = await api.as_user(row["login"])
    written = await write(user, await chat_of(user, line), "Добрый вечер")
    assert written["ticket_id"] in await queue(admin, line)

    smirnova = await api.as_user("o.smirnova")
    her = (await smirnova.get("/me"))["id"]
    async with smirnova.events() as her_window:
        await her_window.receive()  # hello
        # the morning: the line opens, and nobody changes status or finishes a ticket
        await open_all_day(admin, ACCOUNTING)
        await frames_until(
            her_window,
            lambda f: (
                f.get("kind") == "ticket.updated"
                and f["data"]["id"] == written["ticket_id"]
                and f["data"]["specialist_id"] == her
            ),
        )
    assert (await card(demo, line, row["id"]))["open_ticket"]["specialist_id"] == her
    assert written["ticket_id"] not in await queue(admin, line)
