"""What the info panel reads from the server: the card's responsible specialists (status,
their own user on the line), support parameters with their end and the user's line access;
a chat's tickets (opened, holder, finished, rating) and its files, newest first — each only
for a caller who serves the chat's line."""

from __future__ import annotations

import datetime as dt
import uuid

import aiohttp
import pytest

from tests.server.api import Api
from tests.server.test_lines import all_users, line_named

pytestmark = pytest.mark.server


async def test_the_card_has_what_the_panel_shows(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    cards = [await demo.get(f"/lines/{line['id']}/users/{r['id']}") for r in rows]
    today = dt.date.today()
    ends = [
        dt.date.fromisoformat(p["expires"])
        for c in cards
        if c["company"]
        for p in c["company"]["params"]
        if p["expires"]
    ]
    assert any(0 <= (end - today).days <= 30 for end in ends), "an ITS contract ends soon"
    assert any(
        c["access_until"] and 0 <= (dt.date.fromisoformat(c["access_until"]) - today).days <= 30
        for c in cards
    ), "a user's access to the line ends soon"
    people = [p for c in cards if c["company"] for p in c["company"]["responsible"]]
    assert people and all(p["status"] in ("free", "away", "busy_new", "dnd") for p in people)
    own = [p for p in people if p["user_id"] is not None]
    assert own, "a responsible specialist is a user of this line too"
    users = {r["id"]: r for r in rows}
    assert all(users[p["user_id"]]["colleague"] for p in own)


async def _a_chat(demo: Api) -> tuple[int, str]:
    line = await line_named(demo, "Техподдержка")
    rows = await all_users(demo, line["id"], 500)
    row = next(r for r in rows if r["chat_id"] and not r["colleague"] and not r["open_ticket"])
    return row["chat_id"], row["login"]


async def test_a_chats_tickets_newest_first_with_holder_and_rating(api: Api) -> None:
    demo = await api.as_user("demo")
    chat_id, login = await _a_chat(demo)
    before = (await demo.get(f"/chats/{chat_id}/tickets"))["items"]
    ticket = (await demo.call("POST", f"/chats/{chat_id}/ticket")).body
    items = (await demo.get(f"/chats/{chat_id}/tickets"))["items"]
    assert len(items) == len(before) + 1
    top = items[0]
    assert top["id"] == ticket["id"] and top["state"] == "open" and top["via"] == "start"
    assert top["specialist_name"] == "Демидова Анна Сергеевна" and top["closed_at"] is None
    await demo.call("POST", f"/tickets/{ticket['id']}/finish")
    client = await api.as_user(login)
    await client.call("POST", f"/tickets/{ticket['id']}/rating", {"score": 5, "comment": "ok"})
    top = (await demo.get(f"/chats/{chat_id}/tickets", limit="1"))["items"]
    assert len(top) == 1
    assert top[0]["state"] == "closed" and top[0]["closed_at"]
    assert (top[0]["score"], top[0]["comment"]) == (5, "ok")
    assert [t["id"] for t in items] == sorted((t["id"] for t in items), reverse=True)
    # the user: not theirs to read; a specialist of other lines: no such chat
    assert (await client.call("GET", f"/chats/{chat_id}/tickets")).status == 403
    other = await api.as_user("o.smirnova")
    assert (await other.call("GET", f"/chats/{chat_id}/tickets")).status == 404
    assert (
        await demo.call("GET", f"/chats/{chat_id}/tickets", params={"limit": "0"})
    ).status == 400


async def test_a_chats_files_newest_first_only_for_its_lines(api: Api) -> None:
    demo = await api.as_user("demo")
    chat_id, login = await _a_chat(demo)
    client = await api.as_user(login)
    sent = []
    for name in ("первый.pdf", "второй.png"):
        form = aiohttp.FormData()
        form.add_field("file", b"data", filename=name, content_type="application/octet-stream")
        stored = (await client.call("POST", f"/chats/{chat_id}/files", data=form)).body
        body = {"file_id": stored["id"]}
        sent.append(await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", body))
    # an uploaded file no message carries is not listed
    form = aiohttp.FormData()
    form.add_field("file", b"x", filename="unsent.txt", content_type="text/plain")
    await client.call("POST", f"/chats/{chat_id}/files", data=form)
    items = (await demo.get(f"/chats/{chat_id}/files"))["items"]
    assert [m["file"]["name"] for m in items[:2]] == ["второй.png", "первый.pdf"]
    assert all(m["file"]["name"] != "unsent.txt" for m in items)
    assert [m["id"] for m in items[:2]] == [sent[1].body["id"], sent[0].body["id"]]
    assert (await client.get(f"/chats/{chat_id}/files", limit="1"))["items"][0]["id"] == items[0][
        "id"
    ]
    other = await api.as_user("o.smirnova")
    assert (await other.call("GET", f"/chats/{chat_id}/files")).status == 404
    assert (await demo.call("GET", "/chats/999999/files")).status == 404
