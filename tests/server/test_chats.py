"""Messages (idempotent send, history both ways), read marks, tickets, files."""

from __future__ import annotations

import asyncio
import io
import uuid

import aiohttp
import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api

pytestmark = pytest.mark.server


async def first_chat(client: Api) -> int:
    return int((await client.get("/chats"))["items"][0]["id"])


async def test_send_is_idempotent_and_opens_a_ticket(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    msg_id = str(uuid.uuid4())
    first = await client.call(
        "PUT", f"/chats/{chat_id}/messages/{msg_id}", {"text": "  Помогите  "}
    )
    assert first.status == 201
    assert first.body["text"] == "Помогите"
    assert first.body["ticket_id"] is not None
    retry = await client.call("PUT", f"/chats/{chat_id}/messages/{msg_id}", {"text": "other"})
    assert retry.status == 200
    assert retry.body == first.body
    page = await client.get(f"/chats/{chat_id}/messages")
    assert [m["client_msg_id"] for m in page["items"]].count(msg_id) == 1


async def test_concurrent_retries_create_one_message(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    msg_id = str(uuid.uuid4())
    path = f"/chats/{chat_id}/messages/{msg_id}"
    replies = await asyncio.gather(*(client.call("PUT", path, {"text": "раз"}) for _ in range(6)))
    assert sorted(r.status for r in replies) == [200] * 5 + [201]
    assert len({r.body["id"] for r in replies}) == 1


async def test_history_pages_both_ways(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    for n in range(7):
        reply = await client.call(
            "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": f"m{n}"}
        )
        assert reply.status == 201
    every: list[int] = []
    page = await client.get(f"/chats/{chat_id}/messages", limit="3")
    every = [m["id"] for m in page["items"]]
    while page["has_more"]:
        page = await client.get(f"/chats/{chat_id}/messages", limit="3", before=str(every[0]))
        every = [m["id"] for m in page["items"]] + every
    assert every == sorted(set(every))
    forward: list[int] = []
    after = 0
    while True:
        page = await client.get(f"/chats/{chat_id}/messages", limit="4", after=str(after))
        forward += [m["id"] for m in page["items"]]
        if not page["has_more"]:
            break
        after = forward[-1]
    assert forward == every


async def test_specialist_takes_reads_and_finishes(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    sent = await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "вопрос"})
    ticket_id = sent.body["ticket_id"]
    demo = await api.as_user("demo")
    me = await demo.get("/me")
    taken = await demo.call("POST", f"/tickets/{ticket_id}/take")
    assert taken.status == 200
    assert taken.body["specialist_id"] == me["id"]
    assert (
        await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": sent.body["id"]})
    ).status == 204
    finished = await demo.call("POST", f"/tickets/{ticket_id}/finish")
    assert finished.body["state"] == "closed"
    assert (await demo.call("POST", f"/tickets/{ticket_id}/finish")).status == 409
    again = await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "ещё"})
    assert again.body["ticket_id"] != ticket_id


async def test_quote_and_file(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    form = aiohttp.FormData()
    form.add_field("file", b"\x00report\xff", filename="отчёт.bin", content_type="application/pdf")
    uploaded = await client.call("POST", f"/chats/{chat_id}/files", data=form)
    assert uploaded.status == 201
    assert uploaded.body["size"] == 8
    first = await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "вот"})
    second = await client.call(
        "PUT",
        f"/chats/{chat_id}/messages/{uuid.uuid4()}",
        {"quote_id": first.body["id"], "file_id": uploaded.body["id"]},
    )
    assert second.status == 201
    assert second.body["quote"]["text"] == "вот"
    assert second.body["file"]["name"] == "отчёт.bin"
    demo = await api.as_user("demo")
    download = await demo.call("GET", f"/files/{uploaded.body['id']}")
    assert download.status == 200
    assert download.body == b"\x00report\xff"
    assert download.headers["Content-Disposition"].startswith("attachment;")


async def test_oversized_file_is_413_and_nothing_is_kept(api: Api, live: ServerProcess) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    form = aiohttp.FormData()
    form.add_field("file", io.BytesIO(b"x" * (20 * 1024 * 1024 + 1)), filename="big.bin")
    reply = await client.call("POST", f"/chats/{chat_id}/files", data=form)
    assert reply.status == 413
    assert not [p for p in live.files_dir.iterdir() if p.is_file()]


async def test_a_retry_key_is_its_authors(api: Api) -> None:
    """A client user reusing the id a specialist used in the same chat sends their own
    message; each author's repeat gets their own original back."""
    client = await api.as_user("a.troitskiy")
    chat_id = await first_chat(client)
    demo = await api.as_user("demo")
    path = f"/chats/{chat_id}/messages/{uuid.uuid4()}"
    theirs = await demo.call("PUT", path, {"text": "от специалиста"})
    assert theirs.status == 201
    mine = await client.call("PUT", path, {"text": "от пользователя"})
    assert mine.status == 201
    assert mine.body["text"] == "от пользователя"
    assert mine.body["author"]["kind"] == "client"
    assert mine.body["id"] != theirs.body["id"]
    again_mine = await client.call("PUT", path, {"text": "повтор"})
    assert (again_mine.status, again_mine.body) == (200, mine.body)
    again_theirs = await demo.call("PUT", path, {"text": "повтор"})
    assert (again_theirs.status, again_theirs.body) == (200, theirs.body)
    texts = [m["text"] for m in (await client.get(f"/chats/{chat_id}/messages"))["items"]]
    assert texts[-2:] == ["от специалиста", "от пользователя"]


async def test_read_up_to_must_be_a_message_of_the_chat(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat = (await client.get("/chats"))["items"][0]
    chat_id, line_id = chat["id"], chat["line"]["id"]
    sent = await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "?"})
    demo = await api.as_user("demo")
    rows = (await demo.get(f"/lines/{line_id}/users", limit="50"))["items"]
    other = next(r for r in rows if r["chat_id"] != chat_id and r["last_message"] is not None)
    before = next(r for r in rows if r["chat_id"] == chat_id)["unread"]
    for up_to in (other["last_message"]["id"], sent.body["id"] + 1000, 0):
        reply = await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": up_to})
        # 0 is no id (400, as the schema says); a real id of nothing here names nothing
        # the caller may see in this chat (404 naming the field)
        assert reply.status == (400 if up_to == 0 else 404), (up_to, reply.status)
        message = "must be at least 1" if up_to == 0 else "no such message in this chat"
        assert reply.body["errors"] == [{"field": "up_to", "message": message}]
    rows = (await demo.get(f"/lines/{line_id}/users", limit="50"))["items"]
    assert next(r for r in rows if r["chat_id"] == chat_id)["unread"] == before > 0
    done = await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": sent.body["id"]})
    assert done.status == 204
