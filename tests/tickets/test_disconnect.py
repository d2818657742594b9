"""A client user disconnected from a support line (seed 004: "on a repeated breach such users
are disconnected from the support lines (ban, black list)"): their open ticket finished with
a step saying why, everything of theirs on the line refused in words and nothing written,
every specialist of the line told live, their other lines untouched; restored, all as before.
Only a specialist of the line may do it: another line's or a made-up user is 404 like any
object of another line, a client user 403."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import aiohttp
import pytest
from sqlalchemy import update

from server.core.models import LineUser
from tests.server.api import Api
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import chat_of, line_id, rows, write
from tests.tickets.test_comments import frames_until, steps

pytestmark = [pytest.mark.tickets, pytest.mark.clients]
REASON = "Повторное нарушение делового стиля общения после предупреждения"


async def user_of_two_lines(demo: Api, line: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A client user of ``line`` (no open ticket) also connected to another line: their row
    and their card."""
    for row in await rows(demo, line):
        if row["colleague"] or row["open_ticket"] is not None or row["chat_id"] is None:
            continue
        card = await demo.get(f"/lines/{line}/users/{row['id']}")
        if card["other_lines"]:
            return row, card
    raise AssertionError("no user of two lines in the demo data")


def user_updated(frame: dict[str, Any]) -> bool:
    return frame.get("kind") == "user.updated" and "disconnected" in frame["data"]


async def test_a_disconnected_user_is_refused_until_restored(api: Api) -> None:
    demo = await api.as_user("demo")
    colleague = await api.as_user("o.smirnova")  # serves the same line
    line = await line_id(demo, ACCOUNTING)
    row, card = await user_of_two_lines(demo, line)
    user = await api.as_user(row["login"])
    chat = row["chat_id"]
    await write(user, chat, "Почему опять ничего не работает?!")
    path = f"/lines/{line}/users/{row['id']}/disconnection"
    asked = {"line_id": line, "user_id": row["id"], "mode": "request"}
    pending = (await demo.call("POST", "/remote-sessions", asked)).body["id"]  # asked before
    talking = {"line_id": line, "user_id": row["id"], "direction": "in"}
    calls = []  # one talked, one still ringing: both end with the disconnection
    for answered in (True, False):
        made = await demo.call("POST", "/calls", {**talking, "sip_call_id": f"{uuid.uuid4()}@p"})
        calls.append(made.body["id"])
        if answered:
            report = {"state": "answered"}
            assert (await demo.call("POST", f"/calls/{calls[-1]}/report", report)).status == 200
    async with colleague.events() as colleague_ws:
        await colleague_ws.receive()  # hello
        put = await demo.call("PUT", path, {"reason": f"  {REASON} "})
        assert put.status == 200, put.body
        told = await frames_until(colleague_ws, user_updated)
    gone = put.body
    me = await demo.get("/me")
    assert (gone["reason"], gone["by_id"], gone["by_name"]) == (REASON, me["id"], me["full_name"])
    assert (gone["line_id"], gone["user_id"]) == (line, row["id"])
    assert told[-1]["data"] == {"id": row["id"], "disconnected": gone}
    assert told[-1]["line_id"] == line
    # the ticket: finished, a step saying why before the finish
    kinds = [(s["kind"], s["note"]) for s in await steps(colleague, chat)][-2:]
    assert kinds == [("disconnected", REASON), ("finished", "")]
    # the remote request they had not answered: ended, they can no longer accept it
    asked_before = await demo.get(f"/remote-sessions/{pending}")
    assert (asked_before["state"], asked_before["reason"]) == (
        "failed",
        "the user was disconnected from the line",
    )
    ended = [await demo.get(f"/calls/{c}") for c in calls]
    assert [(c["state"], c["result"], c["reason"]) for c in ended] == [
        ("ended", "answered", "the user was disconnected from the line"),
        ("ended", "failed", "the user was disconnected from the line"),
    ]
    assert {"call.updated", "remote.updated"} <= {f.get("kind") for f in told}
    assert {s["kind"] for s in await steps(user, chat)} >= {"disconnected"}  # the user sees why
    assert "ticket.closed" in {f.get("kind") for f in told}
    # the card and the row say it, to every specialist of the line
    assert (await colleague.get(f"/lines/{line}/users/{row['id']}"))["disconnected"] == gone
    again = [r for r in await rows(colleague, line) if r["id"] == row["id"]]
    assert again[0]["disconnected"] == gone and again[0]["open_ticket"] is None
    # a second time: as it was (not a second disconnection)
    twice = await colleague.call("PUT", path, {"reason": "ещё раз"})
    assert twice.status == 200 and twice.body == gone
    # everything of theirs on the line is refused in words, nothing written
    before = await history(demo, chat)
    refused = await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Ау?"})
    assert (refused.status, refused.body["type"].rsplit("/", 1)[-1]) == (403, "disconnected")
    assert "disconnected from this support line" in refused.body["detail"]
    assert REASON in refused.body["detail"]
    form = aiohttp.FormData()
    form.add_field("file", b"log", filename="log.txt", content_type="text/plain")
    assert (await user.call("POST", f"/chats/{chat}/files", data=form)).status == 403
    answer = await demo.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Ответ"})
    assert answer.status == 403 and "cannot receive answers" in answer.body["detail"]
    new = {"line_id": line, "user_id": row["id"]}
    call = {**new, "direction": "in", "sip_call_id": f"{uuid.uuid4()}@pbx"}
    assert (await demo.call("POST", "/calls", call)).status == 403
    remote = {**new, "mode": "request"}
    assert (await demo.call("POST", "/remote-sessions", remote)).status == 403
    assert (await demo.call("POST", f"/chats/{chat}/ticket")).status == 403
    reach = {"via": "direct", "host": "127.0.0.1", "port": 5900}
    accept = {"accept": True, "reach": reach}
    late = await user.call("POST", f"/remote-sessions/{pending}/answer", accept)
    assert late.status == 403 and late.body["type"].endswith("/disconnected")
    assert await history(demo, chat) == before
    assert next(r for r in await rows(demo, line) if r["id"] == row["id"])["open_ticket"] is None
    # their other lines are untouched
    other = card["other_lines"][0]["id"]
    assert (await write(user, await chat_of(user, other), "А здесь можно?"))["text"]
    # restored by a colleague of the line: all as before, told live
    async with demo.events() as demo_ws:
        await demo_ws.receive()
        back = await colleague.call("DELETE", path)
        assert back.status == 204
        told = await frames_until(demo_ws, user_updated)
    assert told[-1]["data"] == {"id": row["id"], "disconnected": None}
    assert (await colleague.call("DELETE", path)).status == 204  # again: nothing to lift
    assert (await demo.get(f"/lines/{line}/users/{row['id']}"))["disconnected"] is None
    await write(user, chat, "Извините, больше не повторится")
    reopened = next(r for r in await rows(demo, line) if r["id"] == row["id"])
    assert reopened["open_ticket"] is not None and reopened["disconnected"] is None


async def history(who: Api, chat: int) -> list[int]:
    page = await who.get(f"/chats/{chat}/messages", limit="200")
    return [m["id"] for m in page["items"]]


async def test_only_a_specialist_of_the_line_disconnects(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row, _card = await user_of_two_lines(demo, line)
    path = f"/lines/{line}/users/{row['id']}/disconnection"
    body = {"reason": REASON}
    user = await api.as_user(row["login"])
    by_user = await user.call("PUT", path, body)
    assert by_user.status == 403
    assert (await user.call("DELETE", path)).status == 403
    stranger = await api.as_user("i.sokolov")  # not on this line
    assert (await stranger.call("PUT", path, body)).status == 404
    assert (await stranger.call("DELETE", path)).status == 404
    forged = f"/lines/{line}/users/999999999/disconnection"
    assert (await demo.call("PUT", forged, body)).status == 404
    elsewhere = await other_lines_user(api, demo, line)  # a user of another line only
    other = await demo.call("PUT", f"/lines/{line}/users/{elsewhere}/disconnection", body)
    assert other.status == 404 and other.body["detail"] == "no such user"
    for bad in ({"reason": "  \u200b\u2060 "}, {"reason": ""}, {}, {"reason": "x" * 501}):
        assert (await demo.call("PUT", path, bad)).status == 400, bad
    assert (await demo.get(f"/lines/{line}/users/{row['id']}"))["disconnected"] is None
    mate = next(r for r in await rows(demo, line) if r["colleague"])
    colleague = await demo.call("PUT", f"/lines/{line}/users/{mate['id']}/disconnection", body)
    assert colleague.status == 409


async def other_lines_user(api: Api, demo: Api, line: int) -> int:
    """A client user with no chat and no connection on ``line``."""
    mine = {r["id"] for r in await rows(demo, line)}
    stranger = await api.as_user("i.sokolov")
    for other in (await stranger.get("/lines"))["items"]:
        for r in await rows(stranger, other["id"]):
            if r["id"] not in mine:
                return int(r["id"])
    raise AssertionError("no user of another line only")


async def test_sends_racing_a_disconnection_are_written_before_or_refused(api: Api) -> None:
    """The user writes twenty messages at once while a specialist disconnects them (two
    server processes on PostgreSQL): each is written (then finished with the ticket) or
    refused 403, none is half-written, and no ticket is left open on the line."""
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row, _card = await user_of_two_lines(demo, line)
    user = await api.as_user(row["login"])
    chat = row["chat_id"]
    before = await history(demo, chat)
    path = f"/lines/{line}/users/{row['id']}/disconnection"

    async def send(n: int) -> int:
        body = {"text": f"Сообщение {n}"}
        return (await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", body)).status

    sends = [send(n) for n in range(20)]
    *statuses, put = await asyncio.gather(*sends, demo.call("PUT", path, {"reason": REASON}))
    assert put.status == 200 and set(statuses) <= {201, 403}
    written = [m for m in await history(demo, chat) if m not in before]
    assert len(written) == statuses.count(201)
    assert next(r for r in await rows(demo, line) if r["id"] == row["id"])["open_ticket"] is None
    after = await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "ещё"})
    assert after.status == 403


async def test_a_user_whose_connection_ended_is_told_and_nothing_is_written(
    api: Api, admin: Admin
) -> None:
    """The administrator's ``until`` of a user's connection to a line is past: the line's
    lists no longer show them, so their message there would open a ticket no specialist
    finds. Refused in words (403 ``connection-ended``), nothing written; a specialist may
    still write to them and ask for a remote session, which they may accept; connected
    again, they write as before."""
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    row = next(r for r in await rows(demo, line) if not r["colleague"] and r["chat_id"])
    user = await api.as_user(row["login"])
    chat = row["chat_id"]
    before = await user.get(f"/chats/{chat}/messages")
    connection = LineUser.__table__
    of_user = (connection.c.line_id == line) & (connection.c.user_id == row["id"])
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    await admin.run(update(connection).where(of_user).values(until=yesterday))
    reply = await user.call("PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Вопрос"})
    assert reply.status == 403 and reply.body["type"].endswith("/connection-ended"), reply.body
    assert yesterday.strftime("%d.%m.%Y") in reply.body["detail"]
    form = aiohttp.FormData()
    form.add_field("file", b"report", filename="report.txt", content_type="text/plain")
    upload = await user.call("POST", f"/chats/{chat}/files", data=form)
    assert upload.status == 403 and upload.body["type"].endswith("/connection-ended")
    assert await user.get(f"/chats/{chat}/messages") == before  # nothing written
    told = await demo.call(
        "PUT", f"/chats/{chat}/messages/{uuid.uuid4()}", {"text": "Подключение закончилось"}
    )
    assert told.status == 201, told.body
    asked = {"line_id": line, "user_id": row["id"], "mode": "request"}
    made = await demo.call("POST", "/remote-sessions", asked)  # a specialist's: still theirs
    assert made.status == 201, made.body
    reach = {"via": "direct", "host": "127.0.0.1", "port": 5900}
    accepted = await user.call(
        "POST", f"/remote-sessions/{made.body['id']}/answer", {"accept": True, "reach": reach}
    )
    assert accepted.status == 200, accepted.body
    await admin.run(update(connection).where(of_user).values(until=None))
    await write(user, chat, "Подключили снова")
