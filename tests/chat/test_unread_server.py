"""GET /me/unread on the real server (SQLite and PostgreSQL): the unread chats of the lines
the specialist serves, gone once read; a client user is refused. Every answer is checked
against the OpenAPI document (tests/server/api.py)."""

from __future__ import annotations

import pytest

from tests.chat.test_search_server import client, searched, write
from tests.server.api import Api

pytestmark = [pytest.mark.chat, pytest.mark.server]
__all__ = ["client", "searched"]


async def test_unread_chats_until_read_and_only_for_specialists(
    client: tuple[Api, Api, int],
) -> None:
    user, specialist, chat_id = client
    refused = await user.call("GET", "/me/unread")
    assert refused.status == 403
    await write(user, chat_id, "Первое")
    newest = await write(user, chat_id, "Второе")
    items = {i["chat_id"]: i for i in (await specialist.get("/me/unread"))["items"]}
    assert items[chat_id]["count"] >= 2 and items[chat_id]["newest"] == newest
    read = await specialist.call("POST", f"/chats/{chat_id}/read", {"up_to": newest})
    assert read.status == 204
    items = {i["chat_id"]: i for i in (await specialist.get("/me/unread"))["items"]}
    assert chat_id not in items
