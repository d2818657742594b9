"""A specialist's comment on a ticket (seed 001: "the specialist can comment on the ticket
too"): set and edited, a step of the ticket told to the colleagues of its line, never to its
user — neither by the event stream nor in the chat's steps."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.server.api import Api
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import line_id, rows, write

pytestmark = pytest.mark.tickets


async def frames_until(ws: Any, done: Any) -> list[dict[str, Any]]:
    """The stream's frames up to the first ``done`` says is the last."""
    seen: list[dict[str, Any]] = []
    async with asyncio.timeout(20):
        while True:
            frame = json.loads((await ws.receive()).data)
            seen.append(frame)
            if done(frame):
                return seen


def step_kind(frame: dict[str, Any]) -> str | None:
    return frame["data"]["kind"] if frame.get("kind") == "ticket.step" else None


async def test_a_comment_for_the_colleagues_only(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    await admin.specialist("demo", capacity=50)
    line = await line_id(demo, ACCOUNTING)
    row = next(r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"])
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    user = await api.as_user(row["login"])
    colleague = await api.as_user("o.smirnova")  # serves the same line
    async with user.events() as user_ws, colleague.events() as colleague_ws:
        await user_ws.receive()  # hello
        await colleague_ws.receive()
        put = await demo.call(
            "PUT", f"/tickets/{ticket}/comment", {"text": " Просил перезвонить после 15:00 "}
        )
        assert put.status == 200, put.body
        step = put.body
        assert (step["kind"], step["note"]) == ("commented", "Просил перезвонить после 15:00")
        told = await frames_until(colleague_ws, lambda f: step_kind(f) == "commented")
        assert told[-1]["data"]["id"] == step["id"]
        # the user: the comment never reaches them; a message written after it does
        await write(demo, row["chat_id"], "Сейчас посмотрю")
        seen = await frames_until(user_ws, lambda f: f.get("kind") == "message.created")
        assert "commented" not in {step_kind(f) for f in seen}
    assert "commented" not in {s["kind"] for s in await steps(user, row["chat_id"])}
    mine = [s for s in await steps(colleague, row["chat_id"]) if s["kind"] == "commented"]
    assert [s["note"] for s in mine] == ["Просил перезвонить после 15:00"]
    # the same text again: the same step; an edit: the new one; after finishing too
    same = await demo.call(
        "PUT", f"/tickets/{ticket}/comment", {"text": "Просил перезвонить после 15:00"}
    )
    assert same.status == 200 and same.body["id"] == step["id"]
    assert (await demo.call("POST", f"/tickets/{ticket}/finish")).status == 200
    edited = await colleague.call("PUT", f"/tickets/{ticket}/comment", {"text": "Перезвонили"})
    assert edited.status == 200 and edited.body["id"] > step["id"]
    notes = [s["note"] for s in await steps(demo, row["chat_id"]) if s["kind"] == "commented"]
    assert notes == ["Просил перезвонить после 15:00", "Перезвонили"]


async def test_bad_comments_are_refused_in_words(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row = next(r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"])
    ticket = (await demo.call("POST", f"/chats/{row['chat_id']}/ticket")).body["id"]
    empty = await demo.call("PUT", f"/tickets/{ticket}/comment", {"text": "   "})
    assert empty.status == 400 and empty.body["errors"] == [
        {"field": "text", "message": "must have something besides spaces, and no NUL characters"}
    ]
    user = await api.as_user(row["login"])
    by_user = await user.call("PUT", f"/tickets/{ticket}/comment", {"text": "я сам"})
    assert by_user.status == 403
    stranger = await api.as_user("i.sokolov")  # not on this line
    other_line = await stranger.call("PUT", f"/tickets/{ticket}/comment", {"text": "чужой"})
    assert other_line.status == 404
    forged = await demo.call("PUT", "/tickets/999999999/comment", {"text": "нет такого"})
    assert forged.status == 404
    assert not [s for s in await steps(demo, row["chat_id"]) if s["kind"] == "commented"]


async def steps(who: Api, chat_id: int) -> list[dict[str, Any]]:
    return list((await who.get(f"/chats/{chat_id}/steps"))["items"])
