"""A ticket transferred to another line with nobody named (routed there) and a decision on
its old holder's other line that finds nobody with room, at the same moment (PostgreSQL):
both lock specialists, and in one order, so they never wait for each other in a circle.

Before, the transfer locked the old holder first and, finding nobody with room on the new
line, that line's specialists afterwards; a waiting decision of the old holder's line locks
its specialists in id order — holding one of the new line's that sorts below the old holder
and waiting for the old holder. PostgreSQL broke the circle after its deadlock_timeout (one
of them aborted and run again by server/tickets/retry.py): right in the end, a second late.

The test builds that meeting: a third transaction holds the first of the new line's
specialists, so the transfer waits there; the decision comes meanwhile; then it lets go.
PostgreSQL's own log says whether a deadlock was detected.

Since a decision that finds nobody with room queues its ticket locking nobody
(server/tickets/wake.py), the decision no longer waits at all (it is done before the
transfer goes on): the test keeps the meeting as a guard against locks coming back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, insert, select

from server.core.models import LineSpecialist, Specialist
from tests.conftest import Postgres
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import (
    chat_of,
    holding,
    line_id,
    rows,
    set_status,
    specialist_lock,
    waiting_on_locks,
    write,
)

pytestmark = [pytest.mark.tickets, pytest.mark.postgres]
TECH = "Техподдержка"


async def test_a_routed_transfer_and_a_waiting_decision_meet_without_a_deadlock(
    api: Api, admin: Admin, deployment: Deployment, request: pytest.FixtureRequest
) -> None:
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: the two transactions cannot interleave")
    postgres: Postgres = request.getfixturevalue("postgres")
    log = postgres.data_dir / "log"
    log_before = log.stat().st_size
    demo = await api.as_user("demo")
    accounting, tech = await line_id(demo, ACCOUNTING), await line_id(demo, TECH)
    ids = {
        login: int(await admin.scalar(select(Specialist.id).where(Specialist.login == login)))
        for login in ("demo", "a.morozov", "m.lebedeva", "n.pavlova")
    }
    held, shared, before = ids["a.morozov"], ids["m.lebedeva"], ids["n.pavlova"]
    assert held < shared < before  # the order the circle needs
    # users of both lines, before the technical line's membership changes
    tech_users = {r["id"] for r in await rows(demo, tech)}
    both = [
        r
        for r in await rows(demo, accounting)
        if r["id"] in tech_users and r["open_ticket"] is None and not r["colleague"]
    ]
    quiet = [
        r
        for r in await rows(demo, accounting)
        if r["open_ticket"] is None and not r["colleague"] and r["id"] != both[0]["id"]
    ]
    # the technical line: the one held first, the one both lines share, nobody below them
    await admin.run(
        delete(LineSpecialist).where(
            LineSpecialist.line_id == tech, LineSpecialist.specialist_id == ids["demo"]
        ),
        insert(LineSpecialist).values(line_id=tech, specialist_id=shared),
    )
    # the old holder takes the ticket; then nobody Free on either line
    pavlova = await api.as_user("n.pavlova")
    await set_status(api, "n.pavlova", "free")
    started = await pavlova.call("POST", f"/chats/{both[0]['chat_id']}/ticket")
    assert started.status == 200, started.body
    ticket = started.body["id"]
    for login in ("demo", "o.smirnova", "m.lebedeva", "s.orlov", "n.pavlova"):
        await set_status(api, login, "away")
    user = await api.as_user(quiet[0]["login"])
    chat = await chat_of(user, accounting)
    async with holding(deployment, specialist_lock(held)):
        transfer = asyncio.create_task(
            pavlova.call("POST", f"/tickets/{ticket}/transfer", {"line_id": tech})
        )
        await waiting_on_locks(admin, 1)  # the transfer, at the held specialist
        decision = asyncio.create_task(write(user, chat, "здравствуйте"))
        await waiting_on_locks(admin, 2, unless=decision)  # it waits for the transfer, or is done
    moved = await transfer
    assert moved.status == 200, moved.body
    assert (moved.body["line_id"], moved.body["specialist_id"]) == (tech, None)  # queued there
    await decision  # written; its ticket queued on the accounting line
    with log.open("rb") as f:
        f.seek(log_before)
        assert b"deadlock detected" not in f.read()
