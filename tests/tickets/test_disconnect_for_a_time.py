"""A disconnection for a time (seed 004: "we reserve the right to block such accounts
temporarily, until the cause is put right"): refused while it lasts, lifted by itself when
its time is over — every specialist of the line told live, as a restore is — and then all as
before. An end over already, or more than 366 days on, is refused (409: the server's clock
decides). Both databases (on PostgreSQL two server processes sweeping)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from server.clients.models import Disconnection
from server.core.models import LineSpecialist, Specialist, SpecialistStatus, Ticket, TicketState
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import chat_of, line_id, rows, set_status, write
from tests.tickets.test_comments import frames_until
from tests.tickets.test_disconnect import user_of_two_lines, user_updated

pytestmark = [pytest.mark.tickets, pytest.mark.clients]


async def test_a_disconnection_for_a_time_lifts_itself(
    deployment: Deployment, admin: Admin, contract: Contract
) -> None:
    count = 2 if deployment.backend == "postgres" else 1
    servers = [deployment.start("--sweep-every", "0.2") for _ in range(count)]
    async with Api(servers[0].url, contract) as api:
        demo = await api.as_user("demo")
        colleague = await api.as_user("o.smirnova")  # the same line
        line = await line_id(demo, ACCOUNTING)
        row, _card = await user_of_two_lines(demo, line)
        user = await api.as_user(row["login"])
        chat = await chat_of(user, line)
        path = f"/lines/{line}/users/{row['id']}/disconnection"
        now = dt.datetime.now(dt.UTC)
        wrong = {"until-past": -1, "until-too-far": 367 * 24 * 60}
        for slug, minutes in wrong.items():
            ends = (now + dt.timedelta(minutes=minutes)).isoformat()
            refused = await demo.call("PUT", path, {"reason": "нагрузка", "until": ends})
            assert (refused.status, refused.body["type"].rsplit("/", 1)[-1]) == (409, slug)
        until = (now + dt.timedelta(hours=1)).replace(microsecond=123456)
        put = await demo.call(
            "PUT", path, {"reason": "Аномальная нагрузка", "until": until.isoformat()}
        )
        assert put.status == 200, put.body
        assert dt.datetime.fromisoformat(put.body["until"]) == until.replace(microsecond=123000)
        card = await colleague.get(f"/lines/{line}/users/{row['id']}")
        assert card["disconnected"] == put.body
        sent = await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Ау"})
        assert sent.status == 403
        async with colleague.events() as ws:
            await ws.receive()  # hello
            await admin.run(  # its time is over (the server's clock decides: this moves it)
                update(Disconnection)
                .where(Disconnection.user_id == row["id"])
                .values(until=dt.datetime(2000, 1, 1))
            )
            told = await frames_until(ws, user_updated)
        assert told[-1]["data"] == {"id": row["id"], "disconnected": None}
        assert (await write(user, chat, "Проблему с обменом исправили"))["text"]
        mine = next(r for r in await rows(demo, line) if r["id"] == row["id"])
        assert mine["disconnected"] is None
        # a disconnection until restored is not lifted by the sweep
        forever = await demo.call("PUT", path, {"reason": "Грубость"})
        assert forever.status == 200 and forever.body["until"] is None
        assert (await demo.get(f"/lines/{line}/users/{row['id']}"))["disconnected"] is not None
        assert (await demo.call("DELETE", path)).status == 204


async def test_the_account_blocked_on_every_line_of_mine_at_once(
    deployment: Deployment, admin: Admin, contract: Contract
) -> None:
    """`also_lines`: one PUT disconnects the user from those other lines too, in one
    transaction, each line's specialists told; a line listed that the caller does not serve
    (or the user is not on) refuses the whole request; one disconnected there already keeps
    its own reason."""
    server = deployment.start()
    async with Api(server.url, contract) as api:
        demo = await api.as_user("demo")
        line = await line_id(demo, ACCOUNTING)
        row, card = await user_of_two_lines(demo, line)
        mine = {item["id"] for item in (await demo.get("/lines"))["items"]}
        other = next(o["id"] for o in card["other_lines"] if o["id"] in mine)
        user = await api.as_user(row["login"])
        here, there = (f"/lines/{n}/users/{row['id']}/disconnection" for n in (line, other))
        block = {"reason": "Аномальная нагрузка", "also_lines": [other]}
        me = (await demo.get("/me"))["id"]

        # listed but not served (any more): 404 as any other line's, nothing done
        await admin.run(
            delete(LineSpecialist).where(
                LineSpecialist.line_id == other, LineSpecialist.specialist_id == me
            )
        )
        refused = await demo.call("PUT", here, block)
        assert (refused.status, refused.body["type"].rsplit("/", 1)[-1]) == (404, "not-found")
        assert (await demo.get(f"/lines/{line}/users/{row['id']}"))["disconnected"] is None
        await admin.run(insert(LineSpecialist).values(line_id=other, specialist_id=me))
        nowhere = mine - {line, other} - {o["id"] for o in card["other_lines"]}
        if nowhere:  # a line of mine the user is not on
            wrong = await demo.call("PUT", here, block | {"also_lines": [min(nowhere)]})
            assert wrong.status == 404, wrong.body

        # served: disconnected there too, in the same transaction, told there
        async with demo.events() as ws:
            await ws.receive()  # hello
            until = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
            put = await demo.call("PUT", here, block | {"until": until.isoformat()})
            assert put.status == 200, put.body
            told = await frames_until(ws, lambda f: user_updated(f) and f["line_id"] == other)
        assert put.body["line_id"] == line and put.body["reason"] == block["reason"]
        assert told[-1]["data"]["disconnected"]["reason"] == block["reason"]
        gone = (await demo.get(f"/lines/{other}/users/{row['id']}"))["disconnected"]
        assert gone["reason"] == block["reason"] and gone["until"] == put.body["until"]
        for each in (line, other):
            chat = await chat_of(user, each)
            sent = await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Ау"})
            assert sent.status == 403, (each, sent.body)

        # one there already keeps its own reason and time
        for path in (here, there):
            assert (await demo.call("DELETE", path)).status == 204
        assert (await demo.call("PUT", there, {"reason": "Грубость"})).status == 200
        assert (await demo.call("PUT", here, block)).status == 200
        kept = (await demo.get(f"/lines/{other}/users/{row['id']}"))["disconnected"]
        assert (kept["reason"], kept["until"]) == ("Грубость", None)


async def test_a_queued_ticket_of_theirs_on_another_line_is_not_given_first(
    deployment: Deployment, admin: Admin, contract: Contract
) -> None:
    """The holder's place freed on the first line must not take the user's own ticket queued
    on the next one, only for it to be finished a moment later (an «assigned» step the user
    sees, the holder's turn spent): it is finished straight from the queue."""
    server = deployment.start()
    await admin.run(
        update(Specialist).where(Specialist.login != "demo").values(status=SpecialistStatus.AWAY)
    )
    async with Api(server.url, contract) as api:
        demo = await api.as_user("demo")
        me = (await demo.get("/me"))["id"]
        held_now = await admin.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.specialist_id == me, Ticket.state == TicketState.OPEN)
        )
        await admin.specialist("demo", capacity=int(held_now) + 1)  # room for one more
        await admin.run(  # no queue before theirs: theirs would be the oldest in it
            update(Ticket)
            .where(Ticket.specialist_id.is_(None), Ticket.state == TicketState.OPEN)
            .values(state=TicketState.CLOSED, closed_at=dt.datetime.now(dt.UTC))
        )
        await set_status(api, "demo", "free")
        line = await line_id(demo, ACCOUNTING)
        row, card = await user_of_two_lines(demo, line)
        mine = {item["id"] for item in (await demo.get("/lines"))["items"]}
        other = next(o["id"] for o in card["other_lines"] if o["id"] in mine)
        user = await api.as_user(row["login"])
        first, then = sorted((line, other))
        await write(user, await chat_of(user, first), "Не работает обмен")
        await _ticket_is(demo, first, row["id"], lambda t: t["specialist_id"] == me)  # full
        queued = await chat_of(user, then)
        await write(user, queued, "И здесь тоже вопрос")
        await _ticket_is(demo, then, row["id"], lambda t: t["specialist_id"] is None)  # waits
        path = f"/lines/{line}/users/{row['id']}/disconnection"
        put = await demo.call("PUT", path, {"reason": "Аномальная нагрузка", "also_lines": [other]})
        assert put.status == 200, put.body
        kinds = [s["kind"] for s in (await demo.get(f"/chats/{queued}/steps"))["items"]]
        assert kinds[-2:] == ["disconnected", "finished"] and "assigned" not in kinds, kinds


async def _ticket_is(who: Api, line: int, user_id: int, test: Any) -> None:
    """The user's open ticket on the line, once `test` says it is as wanted."""
    async with asyncio.timeout(10):
        while True:
            ticket = (await who.get(f"/lines/{line}/users/{user_id}"))["open_ticket"]
            if ticket is not None and test(ticket):
                return
            await asyncio.sleep(0.05)
