"""Call records on the real server process (SQLite): ringing, answered, ended, the comment,
one record for one call rung at several specialists, who an incoming call rings, and who
may see a call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api, Contract

pytestmark = [pytest.mark.telephony, pytest.mark.server]

USER = "a.troitskiy"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def api(server: ServerProcess, contract: Contract) -> AsyncIterator[Api]:
    async with Api(server.url, contract) as client:
        yield client


async def user_line(api: Api) -> tuple[Api, int, int]:
    client = await api.as_user(USER)
    me = await client.get("/me")
    chat = (await client.get("/chats"))["items"][0]
    return client, int(me["id"]), int(chat["line"]["id"])


async def next_call(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    while True:
        message = await ws.receive(timeout=10)
        data = json.loads(message.data)
        if data.get("kind") == "call.updated":
            return dict(data["data"])


async def test_an_incoming_call_rung_answered_ended_commented(api: Api) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    async with client.events() as ws_user, demo.events() as ws_demo:
        await ws_user.receive(timeout=10)  # hello
        await ws_demo.receive(timeout=10)
        new = {"line_id": line_id, "user_id": user_id, "direction": "in", "sip_call_id": "c1@pbx"}
        made = await demo.call("POST", "/calls", new)
        assert made.status == 201, made.body
        call = made.body
        assert call["state"] == "ringing" and call["specialist_id"] is None
        assert call["ticket_id"] >= 1  # a ticket is open for the call
        again = await demo.call("POST", "/calls", new)  # rung at another client: one record
        assert again.status == 200 and again.body["id"] == call["id"]
        assert (await next_call(ws_user))["state"] == "ringing"  # the user side is told
        assert (await next_call(ws_demo))["state"] == "ringing"
        path = f"/calls/{call['id']}"
        answered = await demo.call("POST", f"{path}/report", {"state": "answered"})
        assert answered.status == 200 and answered.body["specialist_id"] is not None
        assert (await next_call(ws_demo))["state"] == "answered"
        ended = await demo.call("POST", f"{path}/report", {"state": "ended", "result": "answered"})
        assert ended.status == 200, ended.body
        assert ended.body["result"] == "answered" and ended.body["duration"] is not None
        assert (await next_call(ws_demo))["state"] == "ended"
    late = await demo.call("POST", f"{path}/report", {"state": "answered"})
    assert late.status == 409
    commented = await demo.call("PUT", f"{path}/comment", {"comment": "  сбросили пароль  "})
    assert commented.status == 200 and commented.body["comment"] == "сбросили пароль"
    # the user sees their call; the ended-without-result report is a 400
    assert (await client.call("GET", path)).status == 200
    bad = await demo.call("POST", f"{path}/report", {"state": "ended"})
    assert bad.status == 400


async def test_a_missed_call_and_who_rings(api: Api) -> None:
    demo = await api.as_user("demo")
    _client, user_id, line_id = await user_line(api)
    assert (await demo.call("PUT", "/me/status", {"status": "free"})).status in (200, 204)
    ring = await demo.call("GET", f"/call-ring?line_id={line_id}")
    assert ring.status == 200 and ring.body["count"] == len(ring.body["specialist_ids"]) >= 1
    me = await demo.get("/me")
    assert me["id"] in ring.body["specialist_ids"]  # Free: rung
    new = {"line_id": line_id, "user_id": user_id, "direction": "in", "sip_call_id": "c2@pbx"}
    call = (await demo.call("POST", "/calls", new)).body
    missed = await demo.call(
        "POST", f"/calls/{call['id']}/report", {"state": "ended", "result": "missed"}
    )
    assert missed.body["result"] == "missed" and missed.body["answered_at"] is None
    assert (await demo.call("PUT", "/me/status", {"status": "dnd"})).status in (200, 204)
    ring = await demo.call("GET", f"/call-ring?line_id={line_id}")
    assert me["id"] not in ring.body["specialist_ids"]  # Do not disturb: not rung


async def test_another_user_does_not_see_a_call(api: Api) -> None:
    demo = await api.as_user("demo")
    _client, user_id, line_id = await user_line(api)
    new = {"line_id": line_id, "user_id": user_id, "direction": "out", "sip_call_id": "c3@me"}
    call = (await demo.call("POST", "/calls", new)).body
    assert call["specialist_id"] is not None  # our own outgoing call
    other = await api.as_user("k.nesterov")
    assert (await other.call("GET", f"/calls/{call['id']}")).status == 404
    assert (await other.call("POST", "/calls", new)).status == 403


async def test_who_is_calling_by_login_or_phone_written_any_way(api: Api) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    card = await demo.get(f"/lines/{line_id}/users/{user_id}")
    digits = "".join(c for c in card["phone"] if c.isdigit())
    assert len(digits) == 11, card["phone"]  # +7 (495) 123-45-67 in the demo
    by_login = await demo.get("/call-caller", address=f'"Клиент" <sip:{USER}@pbx>;tag=1')
    match = {"user_id": user_id, "line_id": line_id, "full_name": card["full_name"]}
    found = [{k: m[k] for k in match} for m in by_login["items"]]
    assert match in found and {m["user_id"] for m in found} == {user_id}  # on each of its lines
    company = card["company"]["name"] if card.get("company") else None
    assert {m["company"] for m in by_login["items"]} == {company}
    as_written = f"8 ({digits[1:4]}) {digits[4:7]}-{digits[7:]}"  # 8 instead of +7
    for address in (f"sip:+{digits}@pbx;user=phone", f"tel:{as_written}", as_written):
        found = await demo.get("/call-caller", address=address)
        assert user_id in [m["user_id"] for m in found["items"]], (address, found)
    for nobody in ("sip:nobody.here@pbx", "sip:12@pbx", "tel:+1-555-000-0000"):
        assert (await demo.get("/call-caller", address=nobody))["items"] == [], nobody
    refused = await client.call("GET", "/call-caller", params={"address": "sip:x@pbx"})
    assert refused.status == 403  # a user does not look up callers


async def test_a_chats_calls_for_its_specialists_and_its_user_only(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    mine = {line["id"] for line in (await morozov.get("/lines"))["items"]}
    hidden = next(
        line["id"] for line in (await demo.get("/lines"))["items"] if line["id"] not in mine
    )
    user = (await demo.get(f"/lines/{hidden}/users", limit="1"))["items"][0]
    new = {"line_id": hidden, "user_id": user["id"], "direction": "out", "sip_call_id": "c9@me"}
    call = (await demo.call("POST", "/calls", new)).body
    assert call["chat_id"] == user["chat_id"]
    listed = await demo.get(f"/chats/{user['chat_id']}/calls")
    assert [c["id"] for c in listed["items"]][-1] == call["id"]
    assert (await morozov.call("GET", f"/chats/{user['chat_id']}/calls")).status == 404
    other = await api.as_user("k.nesterov")
    assert (await other.call("GET", f"/chats/{user['chat_id']}/calls")).status == 404


async def test_call_statistics_of_a_line_for_its_reports(api: Api, server: ServerProcess) -> None:
    """Seed 001: call statistics in the reports — per specialist the calls, each result, the
    time talked and how quickly incoming calls were answered (seed 000, 4.1: 4–5 s); the
    incoming calls nobody answered under no specialist. Another line's: 404."""
    import sqlite3

    demo = await api.as_user("demo")
    _client, user_id, line_id = await user_line(api)
    before = await demo.get("/call-stats", line_id=str(line_id))
    me = (await demo.get("/me"))["id"]

    async def call(sip_call_id: str, direction: str, result: str, answer: bool) -> int:
        new = {"line_id": line_id, "user_id": user_id, "direction": direction}
        made = await demo.call("POST", "/calls", {**new, "sip_call_id": sip_call_id})
        path = f"/calls/{made.body['id']}"
        if answer:
            assert (await demo.call("POST", f"{path}/report", {"state": "answered"})).status == 200
        ended = {"state": "ended", "result": result}
        assert (await demo.call("POST", f"{path}/report", ended)).status == 200
        return int(made.body["id"])

    quick = await call("s1@pbx", "in", "answered", True)
    slow = await call("s2@pbx", "in", "answered", True)
    await call("s3@pbx", "in", "missed", False)
    await call("s4@pbx", "out", "busy", False)
    # what the clock did: the slow one rang 9 s and talked 2 minutes, the quick one 2 s and 60 s
    with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as db:
        for row_id, ring_s, talk_s in ((quick, 2, 60), (slow, 9, 120)):
            db.execute(
                "UPDATE call_records SET answered_at = '2026-12-01 10:00:00',"
                " ringing_at = datetime('2026-12-01 10:00:00', ?),"
                " ended_at = datetime('2026-12-01 10:00:00', ?) WHERE id = ?",
                (f"-{ring_s} seconds", f"+{talk_s} seconds", row_id),
            )
    stats = await demo.get("/call-stats", line_id=str(line_id))
    assert stats["line_id"] == line_id

    def of(page: dict[str, Any], who: int | None) -> dict[str, Any]:
        empty = dict.fromkeys(("calls", "incoming", "outgoing", "answered", "missed"), 0)
        return next((i for i in page["items"] if i["specialist_id"] == who), empty)

    mine, was = of(stats, me), of(before, me)
    assert mine["calls"] - was["calls"] == 3 and mine["outgoing"] - was["outgoing"] == 1
    assert mine["answered"] - was["answered"] == 2 and mine["busy"] - was.get("busy", 0) == 1
    assert mine["seconds"] - was.get("seconds", 0) == 180
    assert mine["answered_within_5s"] - was.get("answered_within_5s", 0) == 1
    if not was["calls"]:  # a first look at this line: the average exactly
        assert mine["answer_seconds_avg"] == 5.5
    nobody = of(stats, None)
    assert nobody["missed"] - of(before, None)["missed"] == 1
    assert stats["items"][-1]["specialist_id"] is None  # listed last
    # a line demo does not serve, and a made-up one: not found, as any other line's object
    assert (await demo.call("GET", "/call-stats?line_id=999999")).status == 404
    client = await api.as_user(USER)
    assert (await client.call("GET", f"/call-stats?line_id={line_id}")).status in (403, 404)


async def test_who_a_known_caller_rings_is_the_routing_s_choice(api: Api) -> None:
    """The ticket routing decides who an incoming call rings (server/calls/ringing.py): a
    known caller's open ticket rings its holder (not in Do not disturb); with none, the
    routing's one choice for a new ticket; an unknown caller, every Free specialist."""
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    login = (await client.get("/me"))["login"]
    me = (await demo.get("/me"))["id"]
    assert (await demo.call("PUT", "/me/status", {"status": "free"})).status in (200, 204)

    async def rung(address: str) -> list[int]:
        got = await demo.get("/call-ring", line_id=str(line_id), address=address)
        return list(got["specialist_ids"])

    everyone = (await demo.get("/call-ring", line_id=str(line_id)))["specialist_ids"]
    assert me in everyone and await rung("sip:nobody-we-know@pbx") == everyone  # unknown
    new = {"line_id": line_id, "user_id": user_id, "direction": "in", "sip_call_id": "w1@pbx"}
    call = (await demo.call("POST", "/calls", new)).body
    answered = await demo.call("POST", f"/calls/{call['id']}/report", {"state": "answered"})
    assert answered.status == 200, answered.body
    card = await demo.get(f"/lines/{line_id}/users/{user_id}")
    holder = card["open_ticket"]["specialist_id"]
    assert holder == me  # the call opened it, the one who answered took it
    assert await rung(f'"Троицкий" <sip:{login}@pbx>;tag=1') == [me]  # their ticket's
    assert (await demo.call("PUT", "/me/status", {"status": "dnd"})).status in (200, 204)
    assert me not in await rung(f"sip:{login}@pbx")  # Do not disturb: not even theirs
    assert (await demo.call("PUT", "/me/status", {"status": "free"})).status in (200, 204)
    finished = await demo.call("POST", f"/tickets/{card['open_ticket']['id']}/finish")
    assert finished.status == 200, finished.body
    chosen = await rung(f"sip:{login}@pbx")
    assert len(chosen) == 1 and chosen[0] in everyone  # no ticket: the routing's one choice
