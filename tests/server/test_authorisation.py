"""Another line's or another user's objects are 404, and never reach the event stream."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from tests.server.api import Api

pytestmark = pytest.mark.server


async def line_ids(specialist: Api) -> set[int]:
    return {line["id"] for line in (await specialist.get("/lines"))["items"]}


async def test_specialist_of_one_line_sees_nothing_of_another(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    hidden_line = next(iter((await line_ids(demo)) - (await line_ids(morozov))))
    user = (await demo.get(f"/lines/{hidden_line}/users", limit="1"))["items"][0]
    chat_id = user["chat_id"]
    sent = await demo.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "x"})
    ticket_id = sent.body["ticket_id"]
    checks = [
        ("GET", f"/lines/{hidden_line}/users", None),
        ("GET", f"/lines/{hidden_line}/users/{user['id']}", None),
        ("GET", f"/chats/{chat_id}/messages", None),
        ("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "leak"}),
        ("POST", f"/chats/{chat_id}/read", {"up_to": 1}),
        ("POST", f"/tickets/{ticket_id}/take", None),
        ("POST", f"/tickets/{ticket_id}/finish", None),
        ("GET", "/lines/999999/users", None),
        ("GET", "/chats/999999/messages", None),
    ]
    for method, path, body in checks:
        reply = await morozov.call(method, path, body)
        assert reply.status == 404, (method, path, reply.status)
    history = await demo.get(f"/chats/{chat_id}/messages")
    assert "leak" not in [m["text"] for m in history["items"]]


async def test_client_sees_only_own_chats(api: Api) -> None:
    alice = await api.as_user("a.troitskiy")
    bob = await api.as_user("m.fadeev")
    alice_chat = (await alice.get("/chats"))["items"][0]["id"]
    form_file = await alice.call(
        "PUT", f"/chats/{alice_chat}/messages/{uuid.uuid4()}", {"text": "a"}
    )
    assert form_file.status == 201
    for method, path, body in [
        ("GET", f"/chats/{alice_chat}/messages", None),
        ("PUT", f"/chats/{alice_chat}/messages/{uuid.uuid4()}", {"text": "b"}),
        ("POST", f"/tickets/{form_file.body['ticket_id']}/take", None),
    ]:
        reply = await bob.call(method, path, body)
        assert reply.status in (403, 404), (method, path, reply.status)
        assert reply.status == 404 or path.startswith("/tickets")
    for path in ("/lines", "/colleagues"):
        assert (await bob.call("GET", path)).status == 403


async def test_event_stream_hides_other_lines_and_users(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")
    alice = await api.as_user("a.troitskiy")
    bob = await api.as_user("m.fadeev")
    mine = await line_ids(morozov)
    hidden_line = next(iter((await line_ids(demo)) - mine))
    visible_line = next(iter(mine))
    hidden_chat = (await demo.get(f"/lines/{hidden_line}/users", limit="1"))["items"][0]["chat_id"]
    visible_chat = (await demo.get(f"/lines/{visible_line}/users", limit="1"))["items"][0][
        "chat_id"
    ]
    alice_chat = (await alice.get("/chats"))["items"][0]["id"]
    async with morozov.events() as ws_m, bob.events() as ws_b:
        for ws in (ws_m, ws_b):
            assert json.loads((await ws.receive()).data)["type"] == "hello"
        await demo.call("PUT", f"/chats/{hidden_chat}/messages/{uuid.uuid4()}", {"text": "secret"})
        await alice.call("PUT", f"/chats/{alice_chat}/messages/{uuid.uuid4()}", {"text": "alice"})
        await demo.call("PUT", f"/chats/{visible_chat}/messages/{uuid.uuid4()}", {"text": "public"})
        seen_m = await collect_until(ws_m, "public")
        assert all(e.get("line_id") in mine or e["kind"] == "specialist.status" for e in seen_m)
        assert "secret" not in json.dumps(seen_m, ensure_ascii=False)
        await ws_b.send_json({"type": "typing", "chat_id": alice_chat})
        reply = json.loads((await ws_b.receive(timeout=5)).data)
        assert reply == {"type": "error", "detail": "no such chat"}


async def collect_until(ws: object, text: str) -> list[dict[str, object]]:
    seen: list[dict[str, object]] = []
    async with asyncio.timeout(10):
        while True:
            frame = json.loads((await ws.receive()).data)  # type: ignore[attr-defined]
            seen.append(frame)
            if frame.get("kind") == "message.created" and frame["data"]["text"] == text:
                return seen
