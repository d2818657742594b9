"""Groups on the real server, both databases: made from the creator's environment, their chat
works like a user's (messages, files, quotes, live) for every member and for nobody else —
not a specialist of the same line asking by id, not their event stream; members change by
the creator only, and so does the name (seen live by the members); 500 members work; the info
panel's shared groups."""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from server.core.db import Database, parse_url
from server.core.models import ClientUser, Company, LineUser
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.server.test_events import frame

pytestmark = [pytest.mark.server, pytest.mark.clients, pytest.mark.chat]
NAME = "<b>Отчёт</b> \u202eкварталь\u202c & Ко"  # markup and a bidi override: kept as text


class World:
    """The demo's «Техподдержка»: demo (creator), a colleague on it (s.orlov, a member), one
    not asked in (a.morozov), a client user of the line (a member), the ids of each."""

    def __init__(self) -> None:
        self.line_id = 0
        self.demo: Api
        self.orlov: Api
        self.morozov: Api
        self.client: Api
        self.client_id = 0
        self.orlov_id = 0
        self.stranger_id = 0  # a user of a line demo does not serve… none: a made-up id


async def _world(api: Api) -> World:
    w = World()
    w.demo = await api.as_user("demo")
    w.orlov = await api.as_user("s.orlov")
    w.morozov = await api.as_user("a.morozov")
    lines = (await w.demo.get("/lines"))["items"]
    w.line_id = next(ln["id"] for ln in lines if ln["name"].startswith("Техподдержка"))
    rows = (await w.demo.get(f"/lines/{w.line_id}/users", limit="200"))["items"]
    client_row = next(r for r in rows if not r["colleague"])
    w.client_id = client_row["id"]
    w.client = await api.as_user(client_row["login"])
    w.orlov_id = (await w.orlov.get("/me"))["id"]
    return w


async def _make(w: World, **extra: Any) -> dict[str, Any]:
    body = {
        "line_id": w.line_id,
        "name": NAME,
        "user_ids": [w.client_id],
        "specialist_ids": [w.orlov_id],
        **extra,
    }
    reply = await w.demo.call("POST", "/groups", body)
    assert reply.status == 201, reply.body
    return dict(reply.body)


async def _say(api: Api, chat_id: int, text: str, **extra: Any) -> Any:
    return await api.call(
        "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text, **extra}
    )


async def _next_event(ws: aiohttp.ClientWebSocketResponse, contract: Contract) -> dict[str, Any]:
    while True:
        got = await frame(ws, contract)
        if got["type"] == "event":
            return got


async def test_a_group_chat_works_for_its_members_and_nobody_else(
    api: Api, contract: Contract
) -> None:
    w = await _world(api)
    async with w.orlov.events() as orlov_ws, w.morozov.events() as morozov_ws:
        assert (await frame(orlov_ws, contract))["type"] == "hello"
        assert (await frame(morozov_ws, contract))["type"] == "hello"
        group = await _make(w)
        assert group["name"] == NAME  # as typed: never markup, never reordered
        assert {(m["kind"], m["id"]) for m in group["members"]} == {
            ("specialist", (await w.demo.get("/me"))["id"]),
            ("specialist", w.orlov_id),
            ("client", w.client_id),
        }
        made = await _next_event(orlov_ws, contract)  # the colleague learns of it live
        assert made["kind"] == "group.updated" and made["data"]["id"] == group["id"]
        chat_id = group["chat_id"]

        first = await _say(w.demo, chat_id, "Коллеги, по отчёту")
        assert first.status == 201 and first.body["ticket_id"] is None  # no tickets here
        live = await _next_event(orlov_ws, contract)
        assert live["kind"] == "message.created"
        assert live["data"]["text"] == "Коллеги, по отчёту"

        form = aiohttp.FormData()
        form.add_field("file", b"report", filename="отчёт.txt", content_type="text/plain")
        uploaded = await w.client.call("POST", f"/chats/{chat_id}/files", data=form)
        assert uploaded.status == 201
        reply = await _say(
            w.client, chat_id, "вот он", quote_id=first.body["id"], file_id=uploaded.body["id"]
        )
        assert reply.status == 201, reply.body
        assert reply.body["quote"]["text"] == "Коллеги, по отчёту"
        assert reply.body["file"]["name"] == "отчёт.txt"
        got = await _next_event(orlov_ws, contract)
        assert got["data"]["text"] == "вот он"
        assert (await w.orlov.call("GET", f"/files/{uploaded.body['id']}")).body == b"report"
        history = await w.orlov.get(f"/chats/{chat_id}/messages")
        assert [m["text"] for m in history["items"]] == ["Коллеги, по отчёту", "вот он"]
        assert [g["id"] for g in (await w.client.get("/groups"))["items"]] == [group["id"]]

        # a.morozov serves the same line but is no member: by id, nothing is there
        assert (await w.morozov.call("GET", f"/groups/{group['id']}")).status == 404
        assert (await w.morozov.call("GET", f"/chats/{chat_id}/messages")).status == 404
        assert (await _say(w.morozov, chat_id, "подслушал")).status == 404
        assert (await w.morozov.call("GET", f"/files/{uploaded.body['id']}")).status == 404
        assert (await w.morozov.call("GET", f"/chats/{chat_id}/search?q=отчёт")).status == 404
        assert (await w.morozov.get("/groups"))["items"] == []
        # …nor on his stream: the next thing he hears is his own status, not the group
        me = await w.morozov.get("/me")
        status = "free" if me["status"] != "free" else "away"
        assert (await w.morozov.call("PUT", "/me/status", {"status": status})).status == 200
        heard = await _next_event(morozov_ws, contract)
        assert heard["kind"] == "specialist.status", heard
    # nor on the replay of the log
    async with w.morozov.events(0) as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        heard = await _next_event(ws, contract)
        while heard["kind"] != "specialist.status" or heard["data"]["id"] != me["id"]:
            assert heard["chat_id"] != chat_id, heard
            assert heard["kind"] != "group.updated", heard
            heard = await _next_event(ws, contract)

    started = await w.demo.call("POST", f"/chats/{chat_id}/ticket")
    assert started.status == 409 and started.body["type"].endswith("/group-chat")


async def test_members_change_by_the_creator_from_their_environment(
    api: Api, contract: Contract
) -> None:
    w = await _world(api)
    group = await _make(w, specialist_ids=[])
    path = f"/groups/{group['id']}"
    # someone not in demo's environment: refused with a clear word, nothing added
    refused = await w.demo.call("POST", f"{path}/members", {"user_ids": [w.client_id, 999999]})
    assert refused.status == 404  # an id of nobody the caller may see
    assert refused.body["errors"][0]["field"] == "user_ids"
    assert refused.body["type"].endswith("/not-in-environment")
    assert "999999" in refused.body["detail"]
    assert len((await w.demo.get(path))["members"]) == 2
    # a member who is not the creator may not change members
    assert (await w.client.call("DELETE", f"{path}/users/{w.client_id}")).status == 403
    added = await w.demo.call("POST", f"{path}/members", {"specialist_ids": [w.orlov_id]})
    assert added.status == 200 and len(added.body["members"]) == 3
    assert (await w.orlov.call("POST", f"{path}/members", {"user_ids": []})).status == 403
    me = (await w.demo.get("/me"))["id"]
    assert (await w.demo.call("DELETE", f"{path}/specialists/{me}")).status == 409
    # removed: told so live, then the group and its chat are gone for them
    async with w.client.events() as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        removed = await w.demo.call("DELETE", f"{path}/users/{w.client_id}")
        assert removed.status == 200
        told = await _next_event(ws, contract)
        assert told["kind"] == "group.updated"
        assert w.client_id not in [
            m["id"] for m in told["data"]["members"] if m["kind"] == "client"
        ]
    assert (await w.client.call("GET", path)).status == 404
    assert (await w.client.call("GET", f"/chats/{group['chat_id']}/messages")).status == 404
    again = await w.demo.call("DELETE", f"{path}/users/{w.client_id}")  # idempotent
    assert again.status == 200
    # a name of spaces says so; a specialist of another line's user: refused
    blank = await w.demo.call("POST", "/groups", {"line_id": w.line_id, "name": "   "})
    assert blank.status == 400 and blank.body["errors"][0]["field"] == "name"
    assert (
        await w.client.call("POST", "/groups", {"line_id": w.line_id, "name": "x"})
    ).status == 403
    elsewhere = await w.morozov.call("POST", "/groups", {"line_id": 999999, "name": "x"})
    assert elsewhere.status == 404


async def test_shared_groups_for_the_info_panel(api: Api) -> None:
    w = await _world(api)
    group = await _make(w)
    other = await _make(w, name="Вторая", user_ids=[])
    shared = await w.demo.get(f"/users/{w.client_id}/shared-groups")
    assert shared["items"] == [
        {"id": group["id"], "name": NAME, "chat_id": group["chat_id"], "member_count": 3}
    ]
    # a colleague's user row stands for the colleague (and adds them as the colleague)
    rows = (await w.demo.get(f"/lines/{w.line_id}/users", limit="200"))["items"]
    sokolov_row = next(r for r in rows if r["login"] == "i.sokolov.user")
    assert (await w.demo.get(f"/users/{sokolov_row['id']}/shared-groups"))["items"] == []
    path = f"/groups/{other['id']}/members"
    added = await w.demo.call("POST", path, {"user_ids": [sokolov_row["id"]]})
    sokolov = await (await api.as_user("i.sokolov")).get("/me")
    assert ("specialist", sokolov["id"]) in {(m["kind"], m["id"]) for m in added.body["members"]}
    both = await w.demo.get(f"/users/{sokolov_row['id']}/shared-groups")
    assert [g["id"] for g in both["items"]] == [other["id"]]
    # a.morozov serves the line but shares nothing; a user off my lines: not found
    assert (await w.morozov.get(f"/users/{w.client_id}/shared-groups"))["items"] == []
    assert (await w.demo.call("GET", "/users/999999/shared-groups")).status == 404
    assert (await w.client.call("GET", f"/users/{w.client_id}/shared-groups")).status == 403


async def test_the_creator_renames_a_group_and_the_members_see_it_live(
    api: Api, contract: Contract
) -> None:
    w = await _world(api)
    group = await _make(w)
    path = f"/groups/{group['id']}"
    async with w.orlov.events() as orlov_ws, w.client.events() as client_ws:
        assert (await frame(orlov_ws, contract))["type"] == "hello"
        assert (await frame(client_ws, contract))["type"] == "hello"
        renamed = await w.demo.call("PATCH", path, {"name": "  Квартальный <i>отчёт</i>  "})
        assert renamed.status == 200, renamed.body
        assert renamed.body["name"] == "Квартальный <i>отчёт</i>"  # stripped, text as typed
        for ws in (orlov_ws, client_ws):  # every member, either kind
            told = await _next_event(ws, contract)
            assert told["kind"] == "group.updated"
            assert told["data"]["name"] == "Квартальный <i>отчёт</i>"
        # only the creator renames; a non-member learns nothing of the group
        by_member = await w.orlov.call("PATCH", path, {"name": "Моя"})
        assert by_member.status == 403 and by_member.body["type"].endswith("/not-group-creator")
        assert (await w.client.call("PATCH", path, {"name": "Моя"})).status == 403
        assert (await w.morozov.call("PATCH", path, {"name": "Моя"})).status == 404
        # a name of spaces, none, a too long one: refused, naming the field; nothing changed
        for bad in ({"name": "   "}, {}, {"name": "x" * 201}, {"name": "a", "members": []}):
            refused = await w.demo.call("PATCH", path, bad)
            assert refused.status == 400, (bad, refused.body)
        assert (await w.demo.get(path))["name"] == "Квартальный <i>отчёт</i>"
        # the same name again: nothing told (the next event is a message)
        same = await w.demo.call("PATCH", path, {"name": "Квартальный <i>отчёт</i>"})
        assert same.status == 200
        assert (await _say(w.demo, group["chat_id"], "переименовала")).status == 201
        assert (await _next_event(orlov_ws, contract))["kind"] == "message.created"


async def _many_users(db_url: str, line_id: int, n: int) -> list[int]:
    """``n`` more client users of the line (as a big client company has)."""
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            company_id = await session.scalar(
                select(Company.id).where(Company.serving.is_(False)).order_by(Company.id).limit(1)
            )
            users = [
                ClientUser(
                    login=f"group.many.{k}",
                    last_name="Участников",
                    first_name=f"Участник{k}",
                    company_id=company_id,
                )
                for k in range(n)
            ]
            session.add_all(users)
            await session.flush()
            session.add_all(LineUser(line_id=line_id, user_id=u.id) for u in users)
            return [u.id for u in users]
    finally:
        await db.close()


async def test_a_group_of_500_and_the_limit(
    api: Api, deployment: Deployment, contract: Contract
) -> None:
    w = await _world(api)
    ids = await _many_users(deployment.db_url, w.line_id, 510)
    async with w.orlov.events() as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        group = await _make(w, user_ids=ids[:500])
        assert len(group["members"]) == 502
        told = await _next_event(ws, contract)
        assert told["kind"] == "group.updated" and len(told["data"]["members"]) == 502
        assert (await _say(w.demo, group["chat_id"], "всем привет")).status == 201
        assert (await _next_event(ws, contract))["data"]["text"] == "всем привет"
    too_many = await w.demo.call(
        "POST", "/groups", {"line_id": w.line_id, "name": "x", "user_ids": list(range(1, 1002))}
    )
    assert too_many.status == 400  # the body's own cap (MAX_MEMBERS ids)
