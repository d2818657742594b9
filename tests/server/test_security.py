"""Security review: cross-chat references, files served safely, sign-out ends the event
stream, a user card names only the line's own company's specialists."""

from __future__ import annotations

import json
import uuid

import aiohttp
import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api
from tests.server.rivals import rival_specialist

pytestmark = pytest.mark.server


async def test_quote_and_file_of_another_chat_are_refused(api: Api) -> None:
    alice = await api.as_user("a.troitskiy")
    bob = await api.as_user("m.fadeev")
    alice_chat = (await alice.get("/chats"))["items"][0]["id"]
    bob_chat = (await bob.get("/chats"))["items"][0]["id"]
    form = aiohttp.FormData()
    form.add_field("file", b"secret", filename="secret.txt", content_type="text/plain")
    uploaded = await alice.call("POST", f"/chats/{alice_chat}/files", data=form)
    said = await alice.call("PUT", f"/chats/{alice_chat}/messages/{uuid.uuid4()}", {"text": "s"})
    for body in ({"file_id": uploaded.body["id"]}, {"text": "x", "quote_id": said.body["id"]}):
        reply = await bob.call("PUT", f"/chats/{bob_chat}/messages/{uuid.uuid4()}", body)
        assert reply.status == 404, (body, reply.status)  # nothing bob may see
        assert "secret" not in json.dumps(reply.body)
    assert (await bob.call("GET", f"/files/{uploaded.body['id']}")).status == 404
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    demo = await api.as_user("demo")
    mine = {line["id"] for line in (await morozov.get("/lines"))["items"]}
    hidden = [line["id"] for line in (await demo.get("/lines"))["items"] if line["id"] not in mine]
    hidden_chat = (await demo.get(f"/lines/{hidden[0]}/users", limit="1"))["items"][0]["chat_id"]
    form = aiohttp.FormData()
    form.add_field("file", b"hidden", filename="h.bin")
    hidden_file = await demo.call("POST", f"/chats/{hidden_chat}/files", data=form)
    assert hidden_file.status == 201
    assert (await morozov.call("GET", f"/files/{hidden_file.body['id']}")).status == 404
    assert (await morozov.call("POST", f"/chats/{hidden_chat}/files", data=form)).status == 404


@pytest.mark.parametrize(
    ("filename", "content_type", "stored_name"),
    [
        ("..\\..\\evil.html", "text/html", "evil.html"),
        ("../../x.svg", "image/svg+xml", "x.svg"),
        ("..", "text/html; charset=utf-8", "file"),
        ("a.xhtml", "application/xhtml+xml; x=<b>", "a.xhtml"),
    ],
)
async def test_uploads_are_never_served_as_active_content(
    api: Api, filename: str, content_type: str, stored_name: str
) -> None:
    alice = await api.as_user("a.troitskiy")
    chat_id = (await alice.get("/chats"))["items"][0]["id"]
    quoted = filename.replace("\\", "\\\\")
    raw = (
        f'--b\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n<script>alert(1)</script>\r\n--b--\r\n"
    ).encode()
    reply = await alice.call(
        "POST", f"/chats/{chat_id}/files", raw=raw, content_type="multipart/form-data; boundary=b"
    )
    assert reply.status == 201, reply.body
    assert reply.body["name"] == stored_name
    assert "<" not in reply.body["content_type"]
    download = await alice.call("GET", f"/files/{reply.body['id']}")
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "/" not in download.headers["Content-Disposition"].split("''", 1)[1]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


async def test_sign_out_closes_the_event_stream(api: Api) -> None:
    demo = await api.as_user("demo")
    async with demo.events() as ws:
        assert json.loads((await ws.receive(timeout=5)).data)["type"] == "hello"
        assert (await demo.call("POST", "/auth/logout")).status == 204
        closing = await ws.receive(timeout=5)
        # the code the server sent, from its close frame: `ws.close_code` is overwritten
        # with 1006 when aiohttp's client cannot write its close reply because the server
        # has already closed the connection (a race of the two closes, seen under load)
        assert closing.type == aiohttp.WSMsgType.CLOSE
        assert closing.data == aiohttp.WSCloseCode.POLICY_VIOLATION


async def test_card_names_only_the_line_companys_responsibles(
    api: Api, live: ServerProcess
) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    users = (await demo.get(f"/lines/{line_id}/users", limit="50"))["items"]
    user = next(u for u in users if u["company"] and not u["colleague"])
    await rival_specialist(live, "rival.x", responsible_for=user["company"]["id"])
    card = await demo.get(f"/lines/{line_id}/users/{user['id']}")
    assert "Чужой" not in json.dumps(card, ensure_ascii=False)
