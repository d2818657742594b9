"""The server's side of favourites: kept per specialist and line, idempotent, and only of
lines the caller serves and users of that line (anything else is 404, never data); a change
told live to the specialist's other sessions (``favourite.changed``) and to nobody else."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tests.server.api import Api, Contract
from tests.server.test_authorisation import line_ids
from tests.server.test_events import frame
from tests.server.test_lines import line_named

pytestmark = [pytest.mark.clients, pytest.mark.server]


async def test_favourites_are_kept_per_specialist_and_line(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    line = await line_named(demo, "Техподдержка")
    users = (await demo.get(f"/lines/{line['id']}/users", limit="3"))["items"]
    path = f"/lines/{line['id']}/favourites"
    assert (await demo.get("/me/favourites"))["items"] == []
    first = (await demo.call("PUT", f"{path}/{users[0]['id']}")).body
    assert first["items"] == [
        {
            "line_id": line["id"],
            "user_id": users[0]["id"],
            "chat_id": users[0]["chat_id"],
            "full_name": users[0]["full_name"],
        }
    ]
    again = (await demo.call("PUT", f"{path}/{users[0]['id']}")).body  # idempotent
    assert again == first
    await demo.call("PUT", f"{path}/{users[1]['id']}")
    mine = (await demo.get("/me/favourites"))["items"]
    assert {f["user_id"] for f in mine} == {users[0]["id"], users[1]["id"]}
    assert (await morozov.get("/me/favourites"))["items"] == []  # each specialist their own
    removed = (await demo.call("DELETE", f"{path}/{users[0]['id']}")).body
    assert [f["user_id"] for f in removed["items"]] == [users[1]["id"]]
    assert (await demo.call("DELETE", f"{path}/{users[0]['id']}")).status == 200  # idempotent


async def test_another_lines_user_or_line_is_404(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")
    line = await line_named(demo, "Техподдержка")
    hidden_line = next(iter((await line_ids(demo)) - (await line_ids(morozov))))
    on_line = {
        u["id"] for u in (await demo.get(f"/lines/{line['id']}/users", limit="500"))["items"]
    }
    elsewhere = next(
        u["id"]
        for u in (await demo.get(f"/lines/{hidden_line}/users", limit="500"))["items"]
        if u["id"] not in on_line
    )
    # a user of another line, on this line: 404 (and nothing kept)
    reply = await demo.call("PUT", f"/lines/{line['id']}/favourites/{elsewhere}")
    assert reply.status == 404
    assert (await demo.get("/me/favourites"))["items"] == []
    # a line the caller does not serve: 404, whatever the user
    for method in ("PUT", "DELETE"):
        reply = await morozov.call(method, f"/lines/{hidden_line}/favourites/{elsewhere}")
        assert reply.status == 404, method
    assert (await demo.call("PUT", "/lines/999999/favourites/1")).status == 404
    assert (await demo.call("PUT", f"/lines/{line['id']}/favourites/999999")).status == 404
    client = await api.as_user("a.troitskiy")
    assert (await client.call("GET", "/me/favourites")).status == 403
    assert (await client.call("PUT", f"/lines/{line['id']}/favourites/{elsewhere}")).status == 403


async def _next_event(ws: aiohttp.ClientWebSocketResponse, contract: Contract) -> dict[str, Any]:
    while True:
        got = await frame(ws, contract)
        if got["type"] == "event":
            return got


async def test_a_change_reaches_my_other_sessions_and_nobody_else(
    api: Api, contract: Contract
) -> None:
    here = await api.as_user("demo")
    there = await api.as_user("demo")  # the same specialist on another machine
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» too
    line = await line_named(here, "Техподдержка")
    user = next(
        u
        for u in (await here.get(f"/lines/{line['id']}/users", limit="50"))["items"]
        if not u["colleague"]
    )
    path = f"/lines/{line['id']}/favourites/{user['id']}"
    async with there.events() as mine, morozov.events() as his:
        assert (await frame(mine, contract))["type"] == "hello"
        assert (await frame(his, contract))["type"] == "hello"
        assert (await here.call("PUT", path)).status == 200
        told = await _next_event(mine, contract)
        assert told["kind"] == "favourite.changed"
        assert told["data"] == {
            "line_id": line["id"],
            "user_id": user["id"],
            "chat_id": user["chat_id"],
            "full_name": user["full_name"],
            "favourite": True,
        }
        assert (await here.call("PUT", path)).status == 200  # nothing changed: nothing told
        assert (await here.call("DELETE", path)).status == 200
        told = await _next_event(mine, contract)
        assert told["kind"] == "favourite.changed" and told["data"]["favourite"] is False
        assert (await here.call("DELETE", path)).status == 200  # nor here
        # the colleague heard none of it: the next thing on his stream is his own status
        me = await morozov.get("/me")
        status = "free" if me["status"] != "free" else "away"
        assert (await morozov.call("PUT", "/me/status", {"status": status})).status == 200
        heard = await _next_event(his, contract)
        assert heard["kind"] == "specialist.status", heard
        # and mine: the next after the removal is that status too (the repeats told nothing)
        heard = await _next_event(mine, contract)
        assert heard["kind"] == "specialist.status", heard
