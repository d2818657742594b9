"""The server's side of favourites: kept per specialist and line, idempotent, and only of
lines the caller serves and users of that line (anything else is 404, never data)."""

from __future__ import annotations

import pytest

from tests.server.api import Api
from tests.server.test_authorisation import line_ids
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
