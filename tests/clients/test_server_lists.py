"""The server's side of the users list: my list per specialist and line, client users'
presence (user.updated), and search with е for ё and with characters SQL treats specially."""

from __future__ import annotations

import pytest

from app.clients.userfilter import flags_of
from app.core import parse
from contract.clients import DirectoryFlag
from tests.server.api import Api, Contract
from tests.server.test_events import frame
from tests.server.test_lines import line_named

pytestmark = [pytest.mark.clients, pytest.mark.server]


async def test_my_list_is_kept_per_specialist_and_line(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» too
    line = await line_named(demo, "Техподдержка")
    users = (await demo.get(f"/lines/{line['id']}/users", limit="3"))["items"]
    path = f"/lines/{line['id']}/my-list"
    assert (await demo.get(path))["ids"] == []
    first = (await demo.call("PUT", f"{path}/{users[0]['id']}")).body
    assert first["ids"] == [users[0]["id"]]
    again = (await demo.call("PUT", f"{path}/{users[0]['id']}")).body  # idempotent
    assert again["ids"] == [users[0]["id"]]
    await demo.call("PUT", f"{path}/{users[1]['id']}")
    assert set((await demo.get(path))["ids"]) == {users[0]["id"], users[1]["id"]}
    assert (await morozov.get(path))["ids"] == []  # each specialist has their own
    removed = (await demo.call("DELETE", f"{path}/{users[0]['id']}")).body
    assert removed["ids"] == [users[1]["id"]]
    # nobody else's line, nobody else's user
    assert (await demo.call("PUT", f"{path}/999999")).status == 404
    assert (await demo.call("GET", "/lines/999999/my-list")).status == 404
    client = await api.as_user("a.troitskiy")
    assert (await client.call("GET", path)).status == 403


async def test_presence_of_a_client_user_reaches_the_row_and_the_stream(
    api: Api, contract: Contract
) -> None:
    demo = await api.as_user("demo")
    client = await api.as_user("a.troitskiy")
    me = await client.get("/me")
    line_id = None
    for ln in (await demo.get("/lines"))["items"]:
        got = await demo.get(f"/lines/{ln['id']}/rows", ids=str(me["id"]))
        if got["items"]:
            line_id = ln["id"]
            assert got["items"][0]["presence"] == "offline"
            break
    assert line_id is not None
    async with demo.events() as ws:
        await frame(ws, contract)
        assert (await client.call("PUT", "/me/presence", {"presence": "online"})).status == 204
        updated = await frame(ws, contract)
        assert updated["kind"] == "user.updated"
        assert updated["data"] == {"id": me["id"], "presence": "online"}
    row = (await demo.get(f"/lines/{line_id}/rows", ids=str(me["id"])))["items"][0]
    assert row["presence"] == "online"
    assert (await demo.call("PUT", "/me/presence", {"presence": "online"})).status == 403
    bad = await client.call("PUT", "/me/presence", {"presence": "invisible"})
    assert bad.status == 400


@pytest.mark.parametrize(
    ("query", "expect_some"),
    [("березка", True), ("БЕРЁЗКА", True), ('"', False), ("%", False), ("\\", False), ("_", False)],
)
async def test_search_folds_yo_and_takes_special_characters_literally(
    api: Api, query: str, expect_some: bool
) -> None:
    demo = await api.as_user("demo")
    found_any = False
    for ln in (await demo.get("/lines"))["items"]:
        reply = await demo.call("GET", f"/lines/{ln['id']}/users", params={"q": query})
        assert reply.status == 200
        for row in reply.body["items"]:
            company = (row["company"] or {}).get("name", "")
            text = "\n".join([row["full_name"], row["login"], row["email"] or "", company])
            folded = text.lower().replace("ё", "е")
            assert query.lower().replace("ё", "е") in folded or row["company"] is not None
            found_any = True
    assert found_any is expect_some


async def test_the_directory_marks_each_user_as_the_rows_do(api: Api) -> None:
    demo = await api.as_user("demo")
    me = (await demo.get("/me"))["id"]
    line = await line_named(demo, "Техподдержка")
    rows = [
        parse.user_row(r)
        for r in (await demo.get(f"/lines/{line['id']}/users", limit="500"))["items"]
    ]
    d = await demo.get(f"/lines/{line['id']}/directory")
    assert d["ids"] == [r.id for r in rows]
    assert d["flags"] == [flags_of(r, me) for r in rows]
    assert d["company_ids"] == [r.company.id if r.company else None for r in rows]
    assert d["birthdays"] == [
        r.birth_date.month * 100 + r.birth_date.day if r.birth_date else 0 for r in rows
    ]
    assert any(f & DirectoryFlag.WAITING for f in d["flags"]), "the demo line has users waiting"


async def test_a_lines_companies_are_its_users_companies(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")
    line = await line_named(demo, "Техподдержка")
    rows = (await demo.get(f"/lines/{line['id']}/users", limit="500"))["items"]
    expected: dict[int, tuple[str, list[str], int]] = {}
    for r in rows:
        c = r["company"]
        if c is not None:
            name, inns, n = expected.get(c["id"], (c["name"], c["inns"], 0))
            expected[c["id"]] = (name, inns, n + 1)
    got = (await demo.get(f"/lines/{line['id']}/companies"))["items"]
    assert {c["id"]: (c["name"], c["inns"], c["users"]) for c in got} == expected
    assert len(got) > 1
    # a line the caller does not serve: 404; a client user: 403
    his = {x["id"] for x in (await morozov.get("/lines"))["items"]}
    hidden = next(ln["id"] for ln in (await demo.get("/lines"))["items"] if ln["id"] not in his)
    assert (await morozov.call("GET", f"/lines/{hidden}/companies")).status == 404
    assert (await demo.call("GET", "/lines/999999/companies")).status == 404
    client = await api.as_user("a.troitskiy")
    assert (await client.call("GET", f"/lines/{line['id']}/companies")).status == 403
