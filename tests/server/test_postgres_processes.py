"""Several server processes on one PostgreSQL database: events reach every process,
gap-free and in order, also after the LISTEN connection is cut."""

from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp
import pytest

from tests.conftest import Postgres
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment

pytestmark = [pytest.mark.server, pytest.mark.postgres]


@pytest.fixture
def backend() -> str:
    return "postgres"


async def seqs_of_texts(
    ws: aiohttp.ClientWebSocketResponse, texts: set[str]
) -> tuple[list[int], list[str]]:
    seqs: list[int] = []
    seen: list[str] = []
    async with asyncio.timeout(30):
        while not texts <= set(seen):
            frame = json.loads((await ws.receive()).data)
            if frame["type"] != "event":
                continue
            seqs.append(frame["seq"])
            if frame["kind"] == "message.created":
                seen.append(frame["data"]["text"])
    return seqs, seen


async def test_two_processes_see_each_others_events(
    deployment: Deployment, contract: Contract, postgres: Postgres
) -> None:
    first = deployment.start()
    second = deployment.start()
    async with Api(first.url, contract) as api:
        demo_a = await api.as_user("demo")
        demo_b = demo_a.at(second.url)
        client = await api.as_user("a.troitskiy")
        chat_id = (await client.get("/chats"))["items"][0]["id"]
        async with demo_a.events() as ws_a, demo_b.events() as ws_b:
            head = json.loads((await ws_a.receive()).data)["head"]
            await ws_b.receive()

            async def write(via: Api, prefix: str) -> None:
                for n in range(15):
                    reply = await via.call(
                        "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": f"{prefix}{n}"}
                    )
                    assert reply.status == 201

            await asyncio.gather(write(client, "a"), write(client.at(second.url), "b"))
            texts = {f"{p}{n}" for p in "ab" for n in range(15)}
            for ws in (ws_a, ws_b):
                seqs, seen = await seqs_of_texts(ws, texts)
                assert seqs == list(range(head + 1, head + 1 + len(seqs)))  # gap-free, once each
                assert sorted(seen) == sorted(texts)
            cut = postgres.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
            )
            assert cut.split() == ["t", "t"]  # both processes' doorbells
            await write(client.at(second.url), "c")
            for ws in (ws_a, ws_b):
                _seqs, seen = await seqs_of_texts(ws, {f"c{n}" for n in range(15)})
                assert seen == [f"c{n}" for n in range(15)]
            async with client.at(second.url).events() as ws_client:
                await ws_client.receive()
                await ws_client.send_json({"type": "typing", "chat_id": chat_id})
                async with asyncio.timeout(10):
                    while (typing := json.loads((await ws_a.receive()).data))["type"] != "typing":
                        pass
                assert typing["chat_id"] == chat_id


async def test_pooled_connections_cut_by_the_database_are_replaced_unnoticed(
    deployment: Deployment, contract: Contract, postgres: Postgres
) -> None:
    """An administrator (or a PostgreSQL restart, or an idle timeout) ends the server's
    pooled connections while they sit idle: the next reads and sends get fresh ones, and
    nobody sees an error. (Without a check at checkout the first request on each dead
    connection fails with 500.)"""
    server = deployment.start()
    database = deployment.db_url.rsplit("/", 1)[1]
    async with Api(server.url, contract) as api:
        client = await api.as_user("a.troitskiy")
        chat_id = (await client.get("/chats"))["items"][0]["id"]
        for n in range(3):  # every pool has connections to lose
            reply = await client.call(
                "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": f"before {n}"}
            )
            assert reply.status == 201
        cut = postgres.sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND state = 'idle' "
            "AND query NOT LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
        assert int(cut.split()[0]) >= 2
        await asyncio.sleep(0.2)  # the goodbyes reach the server's loops
        for n in range(5):
            reply = await client.call(
                "PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": f"after {n}"}
            )
            assert reply.status == 201, reply
            assert (await client.get("/chats"))["items"]


async def test_a_database_that_stops_answering_is_said_and_the_server_comes_back_with_it(
    deployment: Deployment, contract: Contract, postgres: Postgres
) -> None:
    """PostgreSQL refuses the server's connections (a restart, a failover, an administrator):
    a request is answered 503 "the database is not available" with Retry-After — try again,
    nothing was done — not 500; once the database is back the same server serves again."""
    server = deployment.start()
    database = deployment.db_url.rsplit("/", 1)[1]
    async with Api(server.url, contract) as api:
        client = await api.as_user("a.troitskiy")
        chat_id = (await client.get("/chats"))["items"][0]["id"]
        postgres.sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
        try:
            postgres.sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            )
            await asyncio.sleep(0.2)  # the goodbyes reach the server's loops
            key = str(uuid.uuid4())
            reply = await client.call(
                "PUT", f"/chats/{chat_id}/messages/{key}", {"text": "пока базы нет"}
            )
            assert reply.status == 503, reply
            assert reply.headers["Retry-After"].isdigit()
            assert reply.body["type"].endswith("/database-unavailable")
            listed = await client.call("GET", "/chats")
            assert listed.status == 503, listed
        finally:
            postgres.sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        reply = await client.call(
            "PUT", f"/chats/{chat_id}/messages/{key}", {"text": "пока базы нет"}
        )
        assert reply.status == 201, reply  # the refused send was not written: written now
        assert (await client.get("/chats"))["items"]
