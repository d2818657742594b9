"""One rule decides who sees an event: the replay of the log and live delivery agree, for
specialists of different lines, client users and a specialist of another company; an event
concerning two lines reaches the specialists of both; the live index only narrows."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from server.core.db import Database, parse_url
from server.core.models import Company, Line, Specialist
from server.events import log as eventlog
from server.events.audience import SPECIALIST_WIDE_KINDS, Viewer, ViewerIndex, lines_of, may_see
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.server.test_events import frame

pytestmark = pytest.mark.server
OUTSIDER = "outsider.spec"  # a specialist of a client company, made for these tests
CLIENTS = ("a.troitskiy", "m.fadeev")


@dataclass(frozen=True)
class Item:
    kind: str
    lines: frozenset[int]
    user_id: int | None
    hidden_from: str | None = None
    audience: frozenset[str] | None = None  # a group's members


@dataclass(frozen=True, eq=False)
class Watcher:
    viewer: Viewer


def test_the_index_only_narrows() -> None:
    """For any mix of streams and items, the index's audience is exactly the streams the
    rule admits (so the index never decides on its own)."""
    rng = random.Random(7)
    lines = range(1, 6)
    watchers = [
        Watcher(Viewer(f"specialist:{n}", lines=frozenset(rng.sample(lines, rng.randint(0, 3)))))
        for n in range(12)
    ] + [Watcher(Viewer(f"client:{n}", client_id=n)) for n in range(1, 6)]
    index: ViewerIndex[Watcher] = ViewerIndex()
    for watcher in watchers:
        index.add(watcher)
    index.discard(watchers[0])
    watchers = watchers[1:]
    kinds = ["message.created", "ticket.updated", "typing", *SPECIALIST_WIDE_KINDS]
    authors = [None, "specialist:3", "client:2"]
    everyone = [w.viewer.author for w in watchers] + ["specialist:99", "client:99"]
    for _ in range(2000):
        item = Item(
            rng.choice(kinds),
            frozenset(rng.sample(lines, rng.choice([0, 1, 1, 2, 3]))),
            rng.choice([None, 1, 2, 3, 4, 5, 6]),
            rng.choice(authors),
            rng.choice([None, None, frozenset(rng.sample(everyone, rng.randint(0, 4)))]),
        )
        audience = index.audience(item)
        assert len(audience) == len(set(audience)), item
        assert set(audience) == {w for w in watchers if may_see(w.viewer, item)}, item


def test_the_rule() -> None:
    accounting = Viewer("specialist:1", lines=frozenset({1}))
    both = Viewer("specialist:2", lines=frozenset({1, 2}))
    client = Viewer("client:7", client_id=7)
    moved = Item("ticket.updated", lines_of(1, [2]), 7)
    assert all(may_see(v, moved) for v in (accounting, both, client))
    assert not may_see(Viewer("specialist:3", lines=frozenset({3})), moved)
    assert not may_see(Viewer("client:8", client_id=8), moved)
    status = Item("specialist.status", frozenset(), None)
    assert may_see(accounting, status) and not may_see(client, status)
    assert not may_see(accounting, Item("something.else", frozenset(), None))
    typing = Item("typing", frozenset({1}), 7, hidden_from="client:7")
    assert may_see(accounting, typing) and not may_see(client, typing)
    # a group's: its members, whatever their lines, and nobody else on the line
    group = Item("message.created", frozenset({1}), None, audience=frozenset({"client:7"}))
    assert may_see(client, group) and not may_see(accounting, group)
    assert may_see(
        Viewer("specialist:3", lines=frozenset({3})),
        Item("group.updated", frozenset({1}), None, audience=frozenset({"specialist:3"})),
    )


# --- against the real server -------------------------------------------------------------


async def _outsider(db_url: str) -> None:
    """A specialist of a client company (the demo has one serving company), password demo."""
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            demo = (
                await session.scalars(select(Specialist).where(Specialist.login == "demo"))
            ).one()
            company_id = await session.scalar(
                select(Company.id).where(Company.serving.is_(False)).order_by(Company.id).limit(1)
            )
            assert company_id is not None
            session.add(
                Specialist(
                    login=OUTSIDER,
                    password_hash=demo.password_hash,
                    last_name="Чужой",
                    first_name="Специалист",
                    company_id=company_id,
                )
            )
    finally:
        await db.close()


async def _flip_status(api: Api) -> int:
    """Change the caller's status (a specialist.status event); their id."""
    me = await api.get("/me")
    status = "dnd" if me["status"] != "dnd" else "free"
    assert (await api.call("PUT", "/me/status", {"status": status})).status == 200
    return int(me["id"])


async def _until(
    ws: aiohttp.ClientWebSocketResponse, contract: Contract, last: Any
) -> list[dict[str, Any]]:
    """Event frames up to and including the first for which ``last(frame)`` holds."""
    seen: list[dict[str, Any]] = []
    while True:
        event = await frame(ws, contract)
        assert event["type"] == "event", event
        seen.append(event)
        if last(event):
            return seen


PAUSED_READERS = ("--heartbeat", "300")
"""These streams are read only at the end: a stream that reads nothing answers no ping, and
on a loaded machine the writing can outlast the default 15 s heartbeat (1006, not data)."""


class Stream:
    """One account's live stream, then its replay from the same cursor."""

    def __init__(self, name: str, api: Api) -> None:
        self.name = name
        self.api = api
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.cursor = 0
        self.last: Any = None  # its sentinel: the frame it reads up to

    async def open(self, contract: Contract) -> None:
        self.ws = await self.api.events()
        hello = await frame(self.ws, contract)
        assert hello["type"] == "hello"
        self.cursor = hello["head"]

    async def live(self, contract: Contract) -> list[dict[str, Any]]:
        assert self.ws is not None
        try:
            return await _until(self.ws, contract, self.last)
        finally:
            await self.ws.close()

    async def replay(self, contract: Contract) -> list[dict[str, Any]]:
        async with self.api.events(self.cursor) as ws:
            assert (await frame(ws, contract))["type"] == "hello"
            return await _until(ws, contract, self.last)


async def _sentinel(stream: Stream) -> None:
    """An event this stream surely gets, written after everything else it should get."""
    if stream.name in CLIENTS:
        text = f"sentinel {uuid.uuid4()}"
        chat_id = (await stream.api.get("/chats"))["items"][0]["id"]
        path = f"/chats/{chat_id}/messages/{uuid.uuid4()}"
        assert (await stream.api.call("PUT", path, {"text": text})).status == 201
        stream.last = lambda e: e["kind"] == "message.created" and e["data"]["text"] == text
    else:
        me = await _flip_status(stream.api)
        stream.last = lambda e: e["kind"] == "specialist.status" and e["data"]["id"] == me


async def _streams(api: Api, contract: Contract, *logins: str) -> dict[str, Stream]:
    streams = {}
    for login in logins:
        stream = Stream(login, await api.as_user(login))
        await stream.open(contract)
        streams[login] = stream
    return streams


async def _line_ids(api: Api) -> dict[str, int]:
    return {line["name"]: line["id"] for line in (await api.get("/lines"))["items"]}


async def _chat_of_line(demo: Api, line_id: int) -> int:
    return int((await demo.get(f"/lines/{line_id}/users", limit="1"))["items"][0]["chat_id"])


async def _say(api: Api, chat_id: int, text: str) -> dict[str, Any]:
    reply = await api.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text})
    assert reply.status == 201, reply.body
    return dict(reply.body)


async def test_replay_and_live_agree(deployment: Deployment, contract: Contract) -> None:
    await _outsider(deployment.db_url)
    live = deployment.start(*PAUSED_READERS)
    async with Api(live.url, contract) as api:
        streams = await _streams(
            api, contract, "demo", "o.smirnova", "a.morozov", "a.troitskiy", OUTSIDER
        )
        demo = streams["demo"].api
        client = streams["a.troitskiy"].api
        lines = await _line_ids(demo)
        for name, line_id in sorted(lines.items()):  # every line: a message and a read mark
            chat_id = await _chat_of_line(demo, line_id)
            sent = await _say(demo, chat_id, f"в линию {name}")
            await demo.call("POST", f"/tickets/{sent['ticket_id']}/take")
            await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": sent["id"]})
        own = await _say(client, (await client.get("/chats"))["items"][0]["id"], "вопрос")
        await demo.call("POST", f"/tickets/{own['ticket_id']}/finish")
        await _flip_status(streams["o.smirnova"].api)  # status + her colleague rows
        for stream in streams.values():
            await _sentinel(stream)
        seen = {login: await stream.live(contract) for login, stream in streams.items()}
        for login, stream in streams.items():
            assert [e["seq"] for e in await stream.replay(contract)] == [
                e["seq"] for e in seen[login]
            ], login
        client_id = (await client.get("/me"))["id"]
    assert all(e["user_id"] == client_id for e in seen["a.troitskiy"])
    assert [e["kind"] for e in seen[OUTSIDER]] == ["specialist.status"]
    by_line = {login: {e["line_id"] for e in seen[login]} - {None} for login in seen}
    assert by_line["demo"] == set(lines.values())
    assert by_line["a.morozov"] == {lines["Техподдержка"]}
    assert lines["Техподдержка"] not in by_line["o.smirnova"]


async def test_an_event_concerning_two_lines_reaches_both(
    deployment: Deployment, contract: Contract
) -> None:
    """A ticket of one line handed to another (written into the log as the server would):
    the specialists of either line get it, live and in the replay; a client user of another
    chat does not."""
    live = deployment.start(*PAUSED_READERS)
    async with Api(live.url, contract) as api:
        demo = await api.as_user("demo")
        lines = await _line_ids(demo)
        accounting, tech = lines["Бухгалтерия 1С"], lines["Техподдержка"]
        sent = await _say(demo, await _chat_of_line(demo, accounting), "передаю")
        ticket = (await demo.call("POST", f"/tickets/{sent['ticket_id']}/take")).body
        ids = {login: (await (await api.as_user(login)).get("/me"))["id"] for login in CLIENTS}
        other_client = next(login for login in CLIENTS if ids[login] != ticket["user_id"])
        # o.smirnova serves accounting only, a.morozov tech only
        streams = await _streams(api, contract, "o.smirnova", "a.morozov", "demo", other_client)
        db = Database(parse_url(deployment.db_url))
        try:
            async with db.write() as session:
                company_id = await session.scalar(select(Line.company_id).where(Line.id == tech))
                assert company_id is not None
                await eventlog.append(
                    session,
                    company_id,
                    "ticket.updated",
                    ticket,
                    line_id=accounting,
                    chat_id=ticket["chat_id"],
                    user_id=ticket["user_id"],
                    also_line_ids=[tech],
                )
            async with db.read() as session:  # its seq is given at the commit
                seq = await eventlog.head(session, company_id)
        finally:
            await db.close()
        for stream in streams.values():
            await _sentinel(stream)  # on SQLite this also rings the server's tail
        for login, stream in streams.items():
            for seen in (await stream.live(contract), await stream.replay(contract)):
                assert (seq in [e["seq"] for e in seen]) is (login != other_client), login


def test_lines_of() -> None:
    assert lines_of(None) == frozenset()
    assert lines_of(3) == {3}
    assert lines_of(3, [4, 3]) == {3, 4}
    assert lines_of(None, [5]) == {5}
