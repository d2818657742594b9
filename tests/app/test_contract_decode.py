"""The client decodes through the contract: a reply or an event that does not fit its type
is a Problem in the specialist's words (or a skipped frame), and nothing around it is lost."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app.core.domain import AccountKind, TicketState
from app.core.problems import ProblemCode
from app.net.api import ApiClient, MalformedReply
from app.net.events import Event, EventStream
from contract.chats import Ticket
from tests.app.test_events_unit import wait_for

pytestmark = pytest.mark.core

ROW: dict[str, Any] = {
    "id": 7,
    "chat_id": None,
    "full_name": "Ирина Петрова",
    "login": "i.petrova",
    "email": None,
    "position": None,
    "company": None,
    "colleague": False,
    "status": None,
    "avatar_url": None,
    "birth_date": "1990-05-17",
    "mobile": False,
    "last_message": {
        "id": 3,
        "text": "Добрый день",
        "created_at": "2026-12-04T16:30:57.200Z",
        "author_kind": "client",
    },
    "unread": 1,
    "open_ticket": None,
}
TICKET = {
    "id": 5,
    "chat_id": 2,
    "line_id": 1,
    "user_id": 7,
    "specialist_id": None,
    "state": "open",
    "opened_at": "2026-12-04T16:30:57.200Z",
    "closed_at": None,
}


def frame(seq: int, kind: str, data: object) -> str:
    head = {"type": "event", "seq": seq, "kind": kind, "line_id": 1, "chat_id": 2, "user_id": 7}
    return json.dumps({**head, "at": "2026-12-04T16:30:57.200Z", "data": data})


async def events(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str(json.dumps({"type": "hello", "head": 0, "oldest": 1}))
    await ws.send_str(frame(1, "ticket.opened", TICKET))
    await ws.send_str(frame(2, "ticket.updated", {**TICKET, "state": "reopened"}))  # no state
    await ws.send_str(frame(3, "chat.read", {"chat_id": 2, "up_to": "x", "by": 1}))
    await ws.send_str(frame(4, "no.such.kind", {}))
    await ws.send_str(json.dumps({"type": "gossip"}))
    await ws.send_str(frame(5, "chat.read", {"chat_id": 2, "up_to": 3, "by": 1}))
    async for _ in ws:
        pass
    return ws


async def rows(request: web.Request) -> web.Response:
    if request.query["ids"] == "7":
        return web.json_response({"items": [ROW]})
    return web.json_response({"items": [ROW, {**ROW, "id": 8, "unread": "many"}]})


@pytest.fixture
async def scripted() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/api/v1/events", events)
    app.router.add_get("/api/v1/lines/1/rows", rows)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


async def test_a_malformed_reply_is_a_problem_and_the_next_reply_is_read(scripted: str) -> None:
    api = ApiClient(scripted, "token")
    try:
        with pytest.raises(MalformedReply) as bad:
            await api.user_rows(1, [7, 8])
        assert bad.value.code == ProblemCode.MALFORMED
        assert "items[1].unread" in bad.value.detail
        (row,) = await api.user_rows(1, [7])
    finally:
        await api.close()
    assert row.chat_id == 0  # no chat yet, as in the directory
    assert row.email == "" and row.position == ""
    assert row.last_message is not None
    assert row.last_message.author_kind is AccountKind.CLIENT


async def test_frames_that_do_not_fit_are_skipped_and_the_rest_arrive(scripted: str) -> None:
    api = ApiClient(scripted, "token")
    seen: list[Event] = []

    async def on_event(e: Event) -> None:
        seen.append(e)

    stream = EventStream(api, on_event, lambda s, d, r: None, backoff_base=0.01)
    stream.start()
    try:
        await wait_for(lambda: [e.seq for e in seen] == [1, 5])
    finally:
        await stream.stop()
        await api.close()
    assert stream.skipped == 4
    assert stream.cursor == 5
    opened = seen[0]
    assert isinstance(opened.payload, Ticket)
    assert opened.payload.state is TicketState.OPEN
    assert opened.data == TICKET  # the plain data the core's handlers read
