"""A remote-desktop request nobody answers is timed out by the server's sweep, and everyone
concerned is told at once — not when someone next touches it. Both databases; on PostgreSQL
two server processes sweep at once, and the request is timed out once. A session accepted
whose request's reply never reached the specialist (no viewer follows it) is timed out too,
not left "accepted" for good."""

from __future__ import annotations

import datetime as dt
import json

import aiohttp
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import create_async_engine

from server.core.db import parse_url
from server.remote.models import RemoteSession
from tests.conftest import ServerProcess
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment, each_database

pytestmark = pytest.mark.remote

USER = "a.troitskiy"


deployment = each_database()


async def _remote_events(ws: aiohttp.ClientWebSocketResponse, until: float) -> list[dict]:
    """The remote.updated events that arrive within `until` seconds."""
    seen: list[dict] = []
    try:
        while True:
            message = await ws.receive(timeout=until)
            data = json.loads(message.data)
            if data.get("kind") == "remote.updated":
                seen.append(dict(data["data"]))
    except TimeoutError:
        return seen


async def _back_date(db_url: str, *session_ids: int) -> None:
    """The request was made long ago (the server's clock decides; this moves the row)."""
    engine = create_async_engine(parse_url(db_url))
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(RemoteSession)
                .where(RemoteSession.id.in_(session_ids))
                .values(requested_at=dt.datetime(2000, 1, 1))
            )
    finally:
        await engine.dispose()


async def test_an_unanswered_request_times_out_by_itself_and_everyone_is_told_once(
    deployment: Deployment,
) -> None:
    count = 2 if deployment.backend == "postgres" else 1
    servers: list[ServerProcess] = [deployment.start("--sweep-every", "0.1") for _ in range(count)]
    async with Api(servers[0].url, Contract.load()) as api:
        demo = await api.as_user("demo")
        client = await api.as_user(USER)
        me = await client.get("/me")
        line_id = int((await client.get("/chats"))["items"][0]["line"]["id"])
        reply = await demo.call(
            "POST",
            "/remote-sessions",
            {"line_id": line_id, "user_id": int(me["id"]), "mode": "request"},
        )
        assert reply.status == 201, reply.body
        sid = int(reply.body["id"])
        async with demo.events() as ws_demo, client.events() as ws_user:
            await ws_demo.receive(timeout=10)  # hello
            await ws_user.receive(timeout=10)
            await _back_date(deployment.db_url, sid)
            # nobody touches it: the sweep times it out, the specialist and the user are told
            specialist_told = await _remote_events(ws_demo, 3.0)
            user_told = await _remote_events(ws_user, 0.5)
        for told in (specialist_told, user_told):
            assert [(e["id"], e["state"], e["reason"]) for e in told] == [
                (sid, "timed_out", "no answer")
            ]
        session = await demo.get(f"/remote-sessions/{sid}")
        assert session["state"] == "timed_out" and session["ended_at"] is not None
        assert (await demo.get("/remote-sessions"))["items"] == []


async def test_an_accepted_session_nobody_connects_times_out_and_everyone_is_told(
    deployment: Deployment,
) -> None:
    server = deployment.start("--sweep-every", "0.1")
    async with Api(server.url, Contract.load()) as api:
        demo = await api.as_user("demo")
        client = await api.as_user(USER)
        me = await client.get("/me")
        line_id = int((await client.get("/chats"))["items"][0]["line"]["id"])

        async def asked(mode: str) -> int:
            """The server took it; its reply is dropped, as a cut connection loses it."""
            body = {"line_id": line_id, "user_id": int(me["id"]), "mode": mode}
            reply = await demo.call("POST", "/remote-sessions", body)
            assert reply.status == 201, reply.body
            return int(reply.body["id"])

        by_password, by_request, followed = [
            await asked(mode) for mode in ("password", "request", "password")
        ]
        reach = {"via": "direct", "host": "127.0.0.1", "port": 5900}
        path = f"/remote-sessions/{by_request}/answer"
        answered = await client.call("POST", path, {"accept": True, "reach": reach})
        assert answered.body["state"] == "accepted", answered.body
        path = f"/remote-sessions/{followed}/report"
        connected = await demo.call("POST", path, {"state": "connected"})
        assert connected.body["state"] == "connected", connected.body
        async with demo.events() as ws_demo, client.events() as ws_user:
            await ws_demo.receive(timeout=10)  # hello
            await ws_user.receive(timeout=10)
            await _back_date(deployment.db_url, by_password, by_request, followed)
            specialist_told = await _remote_events(ws_demo, 3.0)
            user_told = await _remote_events(ws_user, 0.5)
        for told in (specialist_told, user_told):
            assert sorted((e["id"], e["state"], e["reason"]) for e in told) == [
                (by_password, "timed_out", "not connected"),
                (by_request, "timed_out", "not connected"),
            ]
        assert (await demo.get(f"/remote-sessions/{followed}"))["state"] == "connected"
        live = (await demo.get("/remote-sessions"))["items"]
        assert [s["id"] for s in live] == [followed]
