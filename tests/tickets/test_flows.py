"""Transfers, finishing rights, ratings, bad input, auto-finish and working hours on the real
server: every refusal a problem+json with a clear title, and nothing half-done."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select, update

from server.core.models import Chat, Ticket
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import (
    at_once,
    chat_of,
    close_for_today,
    holding,
    line_id,
    open_all_day,
    queue,
    rows,
    set_status,
    specialist_lock,
    write,
)

pytestmark = pytest.mark.tickets

TEAM = ("demo", "o.smirnova", "d.kuznetsov", "e.volkova", "m.lebedeva", "n.pavlova")


async def quiet_user(demo: Api, line: int, k: int = 0) -> dict[str, Any]:
    found = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    return found[k]


async def card(demo: Api, line: int, user_id: int) -> dict[str, Any]:
    return dict(await demo.get(f"/lines/{line}/users/{user_id}"))


async def steps(who: Api, chat_id: int) -> list[dict[str, Any]]:
    return list((await who.get(f"/chats/{chat_id}/steps"))["items"])


async def test_transfers_finish_rights_and_ratings(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    for login in TEAM:
        await set_status(api, login, "busy_new")
    await set_status(api, "o.smirnova", "free")
    row = await quiet_user(demo, line)
    started = await demo.call("POST", f"/chats/{row['chat_id']}/ticket")
    assert started.status == 200, started.body
    ticket = started.body["id"]
    smirnova = await api.as_user("o.smirnova")
    smirnova_id = (await smirnova.get("/me"))["id"]
    volkova_id = (await (await api.as_user("e.volkova")).get("/me"))["id"]
    orlov_id = (await (await api.as_user("s.orlov")).get("/me"))["id"]

    # to a colleague who is not Free: refused with the reason, nothing changed
    refused = await demo.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": volkova_id})
    assert refused.status == 409 and refused.body["title"] == "Colleague not free"
    # to a colleague who does not serve the line: refused by name (409); to an id of nobody
    # the caller may see: 404 naming the field
    outside = await demo.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": orlov_id})
    assert outside.status == 409 and outside.body["type"].endswith("/not-on-line")
    nobody = await demo.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": 999999})
    assert nobody.status == 404 and nobody.body["errors"][0]["field"] == "specialist_id"
    assert (await card(demo, line, row["id"]))["open_ticket"]["specialist_id"] == started.body[
        "specialist_id"
    ]
    # to a Free colleague, with a handover note: theirs, and the chat's steps say so
    moved = await demo.call(
        "POST",
        f"/tickets/{ticket}/transfer",
        {"specialist_id": smirnova_id, "note": "Нужна сверка по НДС"},
    )
    assert moved.status == 200 and moved.body["specialist_id"] == smirnova_id
    last = (await steps(demo, row["chat_id"]))[-1]
    assert last["kind"] == "transferred" and last["note"] == "Нужна сверка по НДС"
    assert last["from_specialist_name"] == "Демидова Анна Сергеевна"
    # the user sees that it moved, not the colleagues' note
    user = await api.as_user(row["login"])
    seen = (await steps(user, row["chat_id"]))[-1]
    assert seen["kind"] == "transferred" and seen["note"] == ""

    # a colleague's ticket: neither transferred nor finished by me…
    again = await demo.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": smirnova_id})
    assert again.status == 409 and again.body["title"] == "Held by a colleague"
    taken = await demo.call("POST", f"/tickets/{ticket}/finish")
    assert taken.status == 409 and taken.body["title"] == "Held by a colleague"
    # …but a supervisor may
    await admin.specialist("demo", supervisor=True)
    finished = await demo.call("POST", f"/tickets/{ticket}/finish")
    assert finished.status == 200 and finished.body["state"] == "closed"
    closed = await smirnova.call("POST", f"/tickets/{ticket}/finish")
    assert closed.status == 409 and closed.body["title"] == "Ticket closed"

    # the user rates it once, 1–5 with a comment
    assert (await user.call("POST", f"/tickets/{ticket}/rating", {"score": 6})).status == 400
    rated = await user.call("POST", f"/tickets/{ticket}/rating", {"score": 5, "comment": "Спасибо"})
    assert rated.status == 200, rated.body
    twice = await user.call("POST", f"/tickets/{ticket}/rating", {"score": 4})
    assert twice.status == 409 and twice.body["title"] == "Already rated"
    last = (await steps(user, row["chat_id"]))[-1]
    assert (last["kind"], last["score"], last["note"]) == ("rated", 5, "Спасибо")
    # an open ticket is not rated yet; a specialist does not rate; another user's is not found
    await write(user, row["chat_id"], "ещё вопрос")
    open_id = (await card(demo, line, row["id"]))["open_ticket"]["id"]
    early = await user.call("POST", f"/tickets/{open_id}/rating", {"score": 3})
    assert early.status == 409 and early.body["title"] == "Not finished"
    assert (await demo.call("POST", f"/tickets/{ticket}/rating", {"score": 3})).status == 403
    stranger = await api.as_user((await quiet_user(demo, line, 1))["login"])
    assert (await stranger.call("POST", f"/tickets/{ticket}/rating", {"score": 1})).status == 404


async def test_forged_and_other_lines_tickets_are_not_found(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row = await quiet_user(demo, line)
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    orlov = await api.as_user("s.orlov")  # serves no accounting line
    for path in ("take", "finish"):
        for who, tid in ((demo, 2_000_000_000), (orlov, ticket)):
            reply = await who.call("POST", f"/tickets/{tid}/{path}")
            assert reply.status == 404 and reply.body["title"] == "Not found", (path, tid)
    assert (await orlov.call("GET", f"/lines/{line}/load")).status == 404
    assert (await orlov.call("POST", f"/chats/{row['chat_id']}/ticket")).status == 404
    # nothing changed
    assert (await card(demo, line, row["id"]))["open_ticket"]["specialist_id"] == (
        await demo.get("/me")
    )["id"]


async def test_a_ticket_idle_past_the_line_s_time_is_finished_by_itself(
    deployment: Deployment, contract: Contract, admin: Admin
) -> None:
    """Finished by time: a held ticket whose last message is the specialist's (the closing
    question went unanswered). Never by time: one whose user's message has no answer yet,
    nor a queued one (seed 000, 4.14). All three quiet for an hour: one sweep passes over
    them together, so when the first is finished the other two were judged too."""
    server = deployment.start("--sweep-every", "0.2")
    async with Api(server.url, contract) as api:
        demo = await api.as_user("demo")
        line = await admin.line(ACCOUNTING, auto_finish=30)
        answered, unanswered, queued = [await quiet_user(demo, line, k) for k in range(3)]
        tickets = {}
        for row in (answered, unanswered, queued):
            started = await demo.call("POST", f"/chats/{row['chat_id']}/ticket")
            assert started.status == 200, started.body
            tickets[row["chat_id"]] = started.body["id"]
        await write(demo, answered["chat_id"], "Остались ли у вас вопросы?")
        await write(demo, queued["chat_id"], "Минуту, уточню.")
        client = await api.as_user(unanswered["login"])
        await write(client, unanswered["chat_id"], "А как провести возврат?")
        for login in TEAM:  # nobody Free: the queue's sweep would give the third to them
            await set_status(api, login, "away")
        async with demo.events() as ws:
            await ws.receive()  # hello
            long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
            chats = list(tickets)
            await admin.run(  # quiet for an hour; the third back in the queue
                update(Ticket).where(Ticket.id.in_(tickets.values())).values(opened_at=long_ago),
                update(Chat).where(Chat.id.in_(chats)).values(last_message_at=long_ago),
                update(Ticket)
                .where(Ticket.id == tickets[queued["chat_id"]])
                .values(specialist_id=None),
            )
            async with asyncio.timeout(60):  # a bound on a loaded machine, not a wait
                while True:
                    frame = json.loads((await ws.receive()).data)
                    if frame.get("kind") != "ticket.closed":
                        continue
                    assert frame["data"]["id"] not in (  # the demo's own quiet ones may go
                        tickets[unanswered["chat_id"]],
                        tickets[queued["chat_id"]],
                    ), frame
                    if frame["data"]["id"] == tickets[answered["chat_id"]]:
                        break
        last = (await steps(demo, answered["chat_id"]))[-1]
        assert last["kind"] == "finished" and last["specialist_id"] is None
        for row in (unanswered, queued):
            state = await admin.scalar(
                select(Ticket.state).where(Ticket.id == tickets[row["chat_id"]])
            )
            assert state == "open", row


async def test_the_sweep_finishes_each_idle_ticket_on_its_own(
    deployment: Deployment, contract: Contract, admin: Admin
) -> None:
    """Two idle tickets of two holders; the first one's holder is held by another
    transaction (the test holds their row, as a status change would). The other ticket is
    finished meanwhile: each in a transaction of its own, a held holder left for the next
    turn (before: one transaction for the whole sweep, waiting for every holder, so nothing
    was finished until each was free, and a deadlock undid all of it)."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: no holder is held by another transaction")
    server = deployment.start("--sweep-every", "0.2")
    async with Api(server.url, contract) as api:
        demo = await api.as_user("demo")
        smirnova = await api.as_user("o.smirnova")
        for login in ("demo", "o.smirnova"):
            await set_status(api, login, "free")
        line = await admin.line(ACCOUNTING, auto_finish=30)
        tickets = []
        for who, k in ((smirnova, 0), (demo, 1)):  # the held holder's first in the sweep
            row = await quiet_user(demo, line, k)
            started = await who.call("POST", f"/chats/{row['chat_id']}/ticket")
            assert started.status == 200, started.body
            tickets.append(started.body["id"])
            await write(who, row["chat_id"], "Остались ли у вас вопросы?")
        held, first = tickets
        smirnova_id = int((await smirnova.get("/me"))["id"])
        async with demo.events() as ws:
            await ws.receive()  # hello
            async with holding(deployment, specialist_lock(smirnova_id)):
                long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
                await admin.run(
                    update(Ticket).where(Ticket.id.in_(tickets)).values(opened_at=long_ago),
                    update(Chat)
                    .where(Chat.id.in_(select(Ticket.chat_id).where(Ticket.id.in_(tickets))))
                    .values(last_message_at=long_ago),
                )
                await _closed(ws, first)
                state = select(Ticket.state).where(Ticket.id == held)
                assert await admin.scalar(state) == "open"
            await _closed(ws, held)  # let go: the next sweep finishes it


async def _closed(ws: Any, ticket_id: int) -> None:
    async with asyncio.timeout(60):  # a bound on a loaded machine, not a wait
        while True:
            frame = json.loads((await ws.receive()).data)
            if frame.get("kind") == "ticket.closed" and frame["data"]["id"] == ticket_id:
                return


async def test_outside_working_hours_the_ticket_waits_and_the_user_is_told(
    api: Api, admin: Admin
) -> None:
    demo = await api.as_user("demo")
    line = await close_for_today(admin, ACCOUNTING)
    for login in TEAM:
        await set_status(api, login, "busy_new")
    await set_status(api, "o.smirnova", "free")
    row = await quiet_user(demo, line)
    user = await api.as_user(row["login"])
    chat = await chat_of(user, line)
    await write(user, chat, "Добрый вечер")
    opened = (await card(demo, line, row["id"]))["open_ticket"]
    assert opened["specialist_id"] is None and opened["id"] in await queue(admin, line)
    assert "out_of_hours" in [s["kind"] for s in await steps(user, chat)]  # the user's view
    # the line opens: a specialist becoming Free takes it
    await open_all_day(admin, ACCOUNTING)
    await set_status(api, "o.smirnova", "away")
    await set_status(api, "o.smirnova", "free")
    smirnova_id = (await (await api.as_user("o.smirnova")).get("/me"))["id"]
    assert (await card(demo, line, row["id"]))["open_ticket"]["specialist_id"] in (
        smirnova_id,
        None,  # she was at capacity with older queued tickets: then it still waits, in order
    )


async def test_the_demo_traffic_rates_finished_tickets(api: Api) -> None:
    from server.demo.traffic import run_traffic

    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row = await quiet_user(demo, line)
    user = await api.as_user(row["login"])
    for chat in (await user.get("/chats"))["items"]:  # every chat of theirs: one finished
        started = await demo.call("POST", f"/chats/{chat['id']}/ticket")
        if started.status == 200:
            assert (await demo.call("POST", f"/tickets/{started.body['id']}/finish")).status == 200
    stats = await run_traffic(api.base, rate=20, duration=0.5, logins=[row["login"]], seed=1)
    assert stats.sent > 0
    rated = [
        s
        for chat in (await user.get("/chats"))["items"]
        for s in await steps(user, chat["id"])
        if s["kind"] == "rated"
    ]  # the chats the traffic wrote in: each finished ticket rated once
    assert rated and all(1 <= s["score"] <= 5 for s in rated)
    assert len({s["ticket_id"] for s in rated}) == len(rated)


async def test_transfer_to_another_line_the_user_is_connected_to(api: Api) -> None:
    demo = await api.as_user("demo")
    accounting = await line_id(demo, ACCOUNTING)
    tech = await line_id(demo, "Техподдержка")
    vendor = await line_id(demo, "1С:Вендор — вторая линия")
    for login in (*TEAM, "s.orlov", "a.morozov", "i.sokolov"):
        await set_status(api, login, "busy_new")
    tech_ids = {r["id"] for r in await rows(demo, tech)}
    vendor_ids = {r["id"] for r in await rows(demo, vendor)}
    both = [
        r
        for r in await rows(demo, accounting)
        if r["id"] in tech_ids
        and r["id"] not in vendor_ids
        and r["open_ticket"] is None
        and not r["colleague"]
    ]
    row = both[0]
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    # a line the user is not connected to: refused, nothing changed
    off = await demo.call("POST", f"/tickets/{ticket}/transfer", {"line_id": vendor})
    assert off.status == 409 and off.body["title"] == "User not on that line"
    assert (await card(demo, accounting, row["id"]))["open_ticket"]["id"] == ticket
    # to the technical line: it waits in its queue (nobody takes new ones), both chats say so;
    # the user's stream tells them it moved, without the colleagues' note
    user = await api.as_user(row["login"])
    async with user.events() as ws:
        await ws.receive()  # hello
        moved = await demo.call(
            "POST", f"/tickets/{ticket}/transfer", {"line_id": tech, "note": "Вопрос по обмену"}
        )
        assert moved.status == 200, moved.body
        async with asyncio.timeout(20):
            while (frame := json.loads((await ws.receive()).data)).get("kind") != "ticket.step":
                pass
    assert frame["data"]["kind"] == "transferred" and frame["data"]["note"] == ""
    assert (moved.body["line_id"], moved.body["specialist_id"]) == (tech, None)
    assert (await card(demo, accounting, row["id"]))["open_ticket"] is None
    assert (await card(demo, tech, row["id"]))["open_ticket"]["id"] == ticket
    tech_chat = (await card(demo, tech, row["id"]))["chat_id"]
    for chat in (row["chat_id"], tech_chat):
        last = (await steps(demo, chat))[-1]
        assert (last["kind"], last["note"]) == ("transferred", "Вопрос по обмену")
        assert last["line_name"] == "Техническая поддержка ЛайнДеск"
    # taken there, then back to a Free colleague of the first line: theirs
    assert (await demo.call("POST", f"/tickets/{ticket}/take")).status == 200
    await set_status(api, "o.smirnova", "free")
    smirnova_id = (await (await api.as_user("o.smirnova")).get("/me"))["id"]
    back = await demo.call(
        "POST",
        f"/tickets/{ticket}/transfer",
        {"line_id": accounting, "specialist_id": smirnova_id},
    )
    assert back.status == 200 and back.body["specialist_id"] == smirnova_id
    await write(user, tech_chat, "и ещё по обмену")
    second = (await card(demo, tech, row["id"]))["open_ticket"]["id"]
    assert (await demo.call("POST", f"/tickets/{second}/take")).status == 200
    # not onto a line where the user has an open ticket already
    clash = await demo.call("POST", f"/tickets/{second}/transfer", {"line_id": accounting})
    assert clash.status == 409 and clash.body["title"] == "Open there already"


async def test_a_transfer_to_another_line_waits_for_a_message_opening_a_ticket_there(
    api: Api, admin: Admin, deployment: Deployment
) -> None:
    """The user writes on the technical line just as their accounting ticket is transferred
    there: the transfer waits for the chat there (as a send locks it first) and then finds
    the ticket the message opened — refused, "open there already" — instead of making a
    second open ticket in that chat. Both are held where they append their events."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: the two transactions cannot interleave")
    demo = await api.as_user("demo")
    accounting = await line_id(demo, ACCOUNTING)
    tech = await line_id(demo, "Техподдержка")
    tech_ids = {r["id"] for r in await rows(demo, tech)}
    row = next(
        r
        for r in await rows(demo, accounting)
        if r["id"] in tech_ids and r["open_ticket"] is None and not r["colleague"]
    )
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    user = await api.as_user(row["login"])
    tech_chat = await chat_of(user, tech)
    assert (await card(demo, tech, row["id"]))["open_ticket"] is None
    transfer = demo.call("POST", f"/tickets/{ticket}/transfer", {"line_id": tech})
    moved = (await at_once(admin, deployment, tech, write(user, tech_chat, "а тут?"), transfer))[1]
    assert moved.status == 409 and moved.body["title"] == "Open there already"
    open_there = await admin.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.chat_id == tech_chat, Ticket.state == "open")
    )
    assert open_there == 1


async def test_the_online_monitor_for_supervisors(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    refused = await demo.call("GET", f"/lines/{line}/monitor")
    assert refused.status == 403 and refused.body["type"].endswith("/supervisors-only")
    await admin.specialist("demo", capacity=50, supervisor=True)
    for login in TEAM:
        await set_status(api, login, "busy_new")
    row = await quiet_user(demo, line)
    user = await api.as_user(row["login"])
    await write(user, row["chat_id"], "очередь")  # queued
    before = await demo.get(f"/lines/{line}/monitor")
    assert before["queued"] == len(await queue(admin, line)) >= 1
    assert before["longest_wait_seconds"] >= 0
    me = (await demo.get("/me"))["id"]
    mine = next(s for s in before["specialists"] if s["id"] == me)
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    assert (await demo.call("POST", f"/tickets/{ticket}/finish")).status == 200
    assert (await user.call("POST", f"/tickets/{ticket}/rating", {"score": 4})).status == 200
    after = await demo.get(f"/lines/{line}/monitor")
    assert after["finished_today"] == before["finished_today"] + 1
    assert after["rated_today"] == before["rated_today"] + 1 and after["average_rating"]
    assert next(s for s in after["specialists"] if s["id"] == me)["tickets"] == mine["tickets"]
