"""A specialist deletes their own message on the real server (SQLite and PostgreSQL): a
tombstone for everyone who sees the chat — the client user's history and event stream too —
with its words gone from the search and from the replies quoting it; nobody else's message
can be deleted. Every answer is checked against the OpenAPI document (tests/server/api.py)."""

from __future__ import annotations

import uuid

import aiohttp
import pytest

from tests.chat.test_search_server import client, found, searched, write
from tests.server.api import Api

pytestmark = [pytest.mark.chat, pytest.mark.server]
__all__ = ["client", "searched"]


async def test_my_message_deleted_is_a_tombstone_for_everyone(
    client: tuple[Api, Api, int],
) -> None:
    user, specialist, chat_id = client
    asked = await write(user, chat_id, "Где взять счёт-фактуру?")
    key = str(uuid.uuid4())
    sent = await specialist.call(
        "PUT", f"/chats/{chat_id}/messages/{key}", {"text": "Счёт-фактура в разделе «Документы»"}
    )
    assert sent.status == 201
    mine = sent.body["id"]
    reply = await user.call(
        "PUT",
        f"/chats/{chat_id}/messages/{uuid.uuid4()}",
        {"text": "Спасибо", "quote_id": mine, "quote_text": "разделе «Документы»"},
    )
    assert reply.status == 201 and reply.body["quote"]["fragment"]
    async with user.events() as stream:
        assert (await stream.receive_json())["type"] == "hello"  # live from here
        # nobody else's message: not the client's, and not through the client's own key
        theirs = await specialist.call("DELETE", f"/chats/{chat_id}/messages/{uuid.uuid4()}")
        assert theirs.status == 404
        refused = await user.call("DELETE", f"/chats/{chat_id}/messages/{key}")
        assert refused.status == 403
        gone = await specialist.call("DELETE", f"/chats/{chat_id}/messages/{key}")
        assert gone.status == 200
        assert gone.body["deleted"] and gone.body["text"] == "" and gone.body["id"] == mine
        event = await stream.receive_json(timeout=15)
        while event.get("kind") != "message.deleted":
            event = await stream.receive_json(timeout=15)
        assert event["data"]["id"] == mine and event["data"]["deleted"]
    again = await specialist.call("DELETE", f"/chats/{chat_id}/messages/{key}")
    assert again.status == 200 and again.body["deleted"]
    history = {m["id"]: m for m in (await user.get(f"/chats/{chat_id}/messages"))["items"]}
    assert history[mine]["deleted"] and history[mine]["text"] == ""
    quoted = history[reply.body["id"]]["quote"]
    assert quoted["deleted"] and quoted["text"] == "" and quoted["id"] == mine
    assert history[asked]["text"] == "Где взять счёт-фактуру?"
    hits = (await found(specialist, chat_id, "документы"))["items"]
    assert mine not in [h["message"]["id"] for h in hits]
    # a retry of the send gets the tombstone, never a second message
    retried = await specialist.call(
        "PUT", f"/chats/{chat_id}/messages/{key}", {"text": "Счёт-фактура в разделе «Документы»"}
    )
    assert retried.status == 200 and retried.body["deleted"]
    # a reply quoting a deleted message still goes, and says so
    late = await user.call(
        "PUT",
        f"/chats/{chat_id}/messages/{uuid.uuid4()}",
        {"text": "А где?", "quote_id": mine, "quote_text": "Документы"},
    )
    assert late.status == 201 and late.body["quote"]["deleted"]


async def test_a_deleted_messages_file_goes_with_it(client: tuple[Api, Api, int]) -> None:
    _user, specialist, chat_id = client
    form = aiohttp.FormData()
    form.add_field(
        "file", b"%PDF-1.4 contract", filename="договор.pdf", content_type="application/pdf"
    )
    stored = await specialist.call("POST", f"/chats/{chat_id}/files", data=form)
    assert stored.status == 201
    file_id = stored.body["id"]
    key = str(uuid.uuid4())
    sent = await specialist.call("PUT", f"/chats/{chat_id}/messages/{key}", {"file_id": file_id})
    assert sent.status == 201 and sent.body["file"]["id"] == file_id
    gone = await specialist.call("DELETE", f"/chats/{chat_id}/messages/{key}")
    assert gone.status == 200 and gone.body["file"] is None
    assert (await specialist.call("GET", f"/files/{file_id}")).status == 404
    listed = (await specialist.get(f"/chats/{chat_id}/files"))["items"]
    assert sent.body["id"] not in [m["id"] for m in listed]
