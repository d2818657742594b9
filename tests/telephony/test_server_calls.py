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
