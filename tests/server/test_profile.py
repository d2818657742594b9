"""My profile (PUT /me/profile) on both databases: fields changed and cleared, bad ones named
and nothing changed, and who is told — my company's specialists (my other sessions too) by
``specialist.updated``, the lines where I am a user by ``user.updated``, client users never."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.server.api import Api, Contract
from tests.server.test_avatars import _until, lines_by_name, png, upload, user_of
from tests.server.test_events import frame

pytestmark = pytest.mark.server

LINE_ACCOUNTING = "Бухгалтерия 1С"


async def put(client: Api, **fields: Any) -> Any:
    return await client.call("PUT", "/me/profile", fields)


async def test_a_specialist_changes_their_profile_and_everyone_concerned_is_told(
    api: Api, contract: Contract
) -> None:
    demo = await api.as_user("demo")
    smirnova = await api.as_user("o.smirnova")  # also a user of the accounting line
    line_id = (await lines_by_name(demo))[LINE_ACCOUNTING]
    client = await api.as_user((await user_of(demo, line_id))["login"])
    mirror_id = next(
        r["id"]
        for r in (await demo.get(f"/lines/{line_id}/rows", ids=",".join(
            map(str, (await demo.get(f"/lines/{line_id}/directory"))["ids"][-200:])
        )))["items"]
        if r["login"] == "o.smirnova.user"
    )  # fmt: skip
    second = await api.as_user("o.smirnova")  # another session of hers
    async with demo.events() as ws_demo, second.events() as ws_hers, client.events() as ws_c:
        for ws in (ws_demo, ws_hers, ws_c):
            assert (await frame(ws, contract))["type"] == "hello"
        reply = await put(
            smirnova,
            position="Ведущий <b>консультант</b>",
            email="O.Smirnova@Пример.РФ",
            phone="+7 (495) 123-45-67 доб. 204",
        )
        assert reply.status == 200, reply.body
        me = reply.body
        assert me["position"] == "Ведущий <b>консультант</b>"  # text, kept as written
        assert me["email"] == "O.Smirnova@пример.рф"  # normalised: the domain lower-cased
        assert me["phone"] == "+7 (495) 123-45-67 доб. 204"
        for ws in (ws_demo, ws_hers):
            told = await _until(ws, contract, lambda f: f.get("kind") == "specialist.updated")
            assert told["data"]["id"] == me["id"]
            assert told["data"]["position"] == me["position"]
            assert told["data"]["phone"] == me["phone"]
        row = await _until(
            ws_demo, contract, lambda f: f.get("kind") == "user.updated" and f["line_id"] == line_id
        )
        assert row["data"] == {
            "id": mirror_id,
            "position": "Ведущий <b>консультант</b>",
            "email": "O.Smirnova@пример.рф",
        }
        # a client user is told nothing of it
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await _until(ws_c, contract, lambda f: f.get("kind") == "specialist.updated")
        # a photo is a profile change too: her other session sees it
        await upload(smirnova, png(64, 64))
        told = await _until(ws_hers, contract, lambda f: f.get("kind") == "specialist.updated")
        assert told["data"]["avatar_url"] and "/specialists/" in told["data"]["avatar_url"]
    # cleared with "", kept when left out
    reply = await put(smirnova, email="")
    assert reply.status == 200 and reply.body["email"] is None
    assert reply.body["position"] == "Ведущий <b>консультант</b>"


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"email": "a@@b"}, "email"),
        ({"email": "no-at-sign"}, "email"),
        ({"email": " a.b@example.ru "}, "email"),  # the schema's address has no spaces
        ({"phone": "call me maybe"}, "phone"),
        ({"phone": "1" * 51}, "phone"),
        ({"position": "\u202eтсилаицепС"}, "position"),  # a bidi override
        ({"position": "two\nlines"}, "position"),
        ({"position": "x" * 201}, "position"),
        ({"login": "someone.else"}, None),  # not a profile field
    ],
)
async def test_bad_fields_are_named_and_nothing_changes(
    api: Api, fields: dict[str, str], bad: str | None
) -> None:
    demo = await api.as_user("demo")
    before = await demo.get("/me")
    reply = await put(demo, **{"position": "Специалист", **fields})
    assert reply.status in (400, 422), reply.body
    if bad is not None:
        assert any(bad in e["field"] for e in reply.body.get("errors", [])), reply.body
    assert await demo.get("/me") == before


async def test_a_client_user_changes_theirs_and_their_lines_are_told(
    api: Api, contract: Contract
) -> None:
    demo = await api.as_user("demo")
    line_id = (await lines_by_name(demo))[LINE_ACCOUNTING]
    user = await user_of(demo, line_id)
    client = await api.as_user(user["login"])
    async with demo.events() as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        reply = await put(client, position="Главный бухгалтер")
        assert reply.status == 200, reply.body
        told = await _until(
            ws, contract, lambda f: f.get("kind") == "user.updated" and f["line_id"] == line_id
        )
        assert told["data"] == {"id": user["id"], "position": "Главный бухгалтер"}
