"""The event stream: hello, lossless resume, resync, typing, bad frames."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

import aiohttp
import pytest

from tests.conftest import ServerProcess
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment

pytestmark = pytest.mark.server


async def frame(ws: aiohttp.ClientWebSocketResponse, contract: Contract) -> dict[str, Any]:
    message = await ws.receive(timeout=10)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    data = json.loads(message.data)
    contract.validate({"$ref": "#/components/schemas/ServerFrame"}, data)
    return dict(data)


async def chat_of(api: Api, login: str) -> tuple[Api, int]:
    client = await api.as_user(login)
    return client, int((await client.get("/chats"))["items"][0]["id"])


async def send(client: Api, chat_id: int, text: str) -> None:
    reply = await client.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text})
    assert reply.status == 201


async def test_resume_after_a_disconnect_loses_and_repeats_nothing(
    api: Api, contract: Contract
) -> None:
    demo = await api.as_user("demo")
    client, chat_id = await chat_of(api, "a.troitskiy")
    async with demo.events() as ws:  # the cursor before the first message
        cursor: int = (await frame(ws, contract))["head"]
    writer = asyncio.create_task(_write(client, chat_id, 60))
    texts: list[str] = []
    seqs: list[int] = []
    try:
        for round_ in range(4):
            async with demo.events(cursor) as ws:
                hello = await frame(ws, contract)
                assert hello["type"] == "hello"
                for _ in range(8 if round_ < 3 else 10**6):
                    if round_ == 3 and len(texts) >= 60:
                        break
                    event = await frame(ws, contract)
                    seqs.append(event["seq"])
                    cursor = event["seq"]
                    if event["kind"] == "message.created":
                        texts.append(event["data"]["text"])
            await asyncio.sleep(0.05)  # the writer goes on while we are away
    finally:
        await writer
    assert texts == [f"m{n}" for n in range(60)]
    assert seqs == sorted(set(seqs))


async def _write(client: Api, chat_id: int, count: int) -> None:
    for n in range(count):
        await send(client, chat_id, f"m{n}")


async def test_replay_then_live_and_ticket_before_message(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    async with demo.events() as ws:
        head = (await frame(ws, contract))["head"]
    client, chat_id = await chat_of(api, "m.fadeev")
    await send(client, chat_id, "first")
    async with demo.events(head) as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        kinds = [(await frame(ws, contract))["kind"]]
        while kinds[-1] != "message.created":
            kinds.append((await frame(ws, contract))["kind"])
        assert kinds[0] == "ticket.opened"  # its steps (system lines) between
        assert set(kinds[1:-1]) == {"ticket.step"}
        await send(client, chat_id, "live")
        live = await frame(ws, contract)
        assert live["data"]["text"] == "live"


async def test_client_gets_own_events_and_typing(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    client, chat_id = await chat_of(api, "a.troitskiy")
    async with client.events() as ws_client, demo.events() as ws_demo:
        await frame(ws_client, contract)
        await frame(ws_demo, contract)
        await ws_client.send_json({"type": "typing", "chat_id": chat_id})
        typing = await frame(ws_demo, contract)
        assert typing["type"] == "typing"
        assert typing["chat_id"] == chat_id
        await send(demo, chat_id, "ответ")
        seen = [await frame(ws_client, contract)]
        while seen[-1].get("kind") != "message.created":
            seen.append(await frame(ws_client, contract))
        assert seen[-1]["data"]["text"] == "ответ"
        assert all(f["type"] == "event" for f in seen)  # not its own typing


async def test_typing_is_passed_on_once_per_interval_and_floods_are_closed(
    api: Api, contract: Contract
) -> None:
    demo = await api.as_user("demo")
    client, chat_id = await chat_of(api, "a.troitskiy")
    async with client.events() as ws_client, demo.events() as ws_demo:
        await frame(ws_client, contract)
        await frame(ws_demo, contract)
        for _ in range(5):  # a keystroke each: one notice reaches the specialist
            await ws_client.send_json({"type": "typing", "chat_id": chat_id})
        await ws_client.send_json({"type": "ping"})  # answered once the five are handled
        assert (await frame(ws_client, contract))["type"] == "error"
        seen: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + 1.0  # within the 2 s interval
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                seen.append(await asyncio.wait_for(frame(ws_demo, contract), left))
            except TimeoutError:
                break
        assert [f["type"] for f in seen].count("typing") == 1, seen
        for _ in range(40):  # a flood: the socket is closed, the stream can be resumed
            await ws_client.send_str("{}")
        while (message := await ws_client.receive(timeout=10)).type is aiohttp.WSMsgType.TEXT:
            pass
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws_client.close_code == 1008


async def test_concurrent_writers_give_a_gap_free_stream(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    writers = [await chat_of(api, login) for login in ("a.troitskiy", "m.fadeev", "v.bykova")]
    async with demo.events() as ws:
        head = (await frame(ws, contract))["head"]
        await asyncio.gather(*(_write(client, chat_id, 10) for client, chat_id in writers))
        messages = 0
        seqs: list[int] = []
        while messages < 30:
            event = await frame(ws, contract)
            seqs.append(event["seq"])
            messages += event["kind"] == "message.created"
        assert seqs == list(range(head + 1, head + 1 + len(seqs)))


async def test_bad_frames(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    async with demo.events() as ws:
        await frame(ws, contract)
        await ws.send_str("{not json")
        assert (await frame(ws, contract))["type"] == "error"
        await ws.send_json({"type": "subscribe"})
        assert (await frame(ws, contract))["type"] == "error"
        await ws.send_json({"type": "typing", "chat_id": 10**30})
        assert (await frame(ws, contract))["type"] == "error"
        await ws.send_str("x" * (70 * 1024))
        closing = await ws.receive(timeout=10)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == 1009


async def test_stream_needs_a_token_and_a_good_cursor(api: Api) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as unauthorised:
        async with api.events():
            pass
    assert unauthorised.value.status == 401
    demo = await api.as_user("demo")
    for bad in ("-1", "abc"):
        async with demo.session.get(
            demo.base + f"/api/v1/events?after={bad}", headers=demo.headers()
        ) as reply:
            assert reply.status == 400
            assert reply.content_type == "application/problem+json"


async def test_an_account_has_a_bounded_number_of_streams(api: Api) -> None:
    """32 event streams of one account at once; the 33rd is 429 with Retry-After (a review
    opened 1 000 with one token), another account is not held by it, and a stream closed
    frees its place."""
    user = await api.as_user("a.troitskiy")
    async with contextlib.AsyncExitStack() as open_streams:
        streams = [await open_streams.enter_async_context(user.events()) for _ in range(32)]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with user.events():
                pass
        assert refused.value.status == 429
        assert int((refused.value.headers or {})["Retry-After"]) >= 1
        async with (await api.as_user("demo")).events():
            pass  # another account opens its own
        await streams[0].close()
        # its place is free once the server has seen it closed (its handler returned)
        for _ in range(200):  # an upper bound of 10 s: it is free at once, or nearly
            if await _can_open(user):
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("a closed stream's place stayed taken")


async def _can_open(user: Api) -> bool:
    try:
        async with user.events():
            return True
    except aiohttp.WSServerHandshakeError:
        return False


async def test_too_old_cursor_gets_resync(deployment: Deployment, contract: Contract) -> None:
    live: ServerProcess = deployment.start("--event-retention", "3")
    async with Api(live.url, contract) as api:
        demo = await api.as_user("demo")
        client, chat_id = await chat_of(api, "a.troitskiy")
        for n in range(5):
            await send(client, chat_id, f"m{n}")
        live.stop()
        live.start()  # pruning runs at start
        demo = demo.at(live.url)
        async with demo.events(0) as ws:
            resync = await frame(ws, contract)
            assert resync["type"] == "resync"
            assert resync["oldest"] > 1
            closing = await ws.receive(timeout=10)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        async with demo.events(10**9) as ws:
            assert (await frame(ws, contract))["type"] == "resync"
        async with demo.events(resync["head"]) as ws:
            assert (await frame(ws, contract))["type"] == "hello"


async def test_status_change_updates_the_colleagues_row(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    smirnova = await api.as_user("o.smirnova")
    async with demo.events() as ws:
        await frame(ws, contract)
        me = (await smirnova.call("PUT", "/me/status", {"status": "dnd"})).body
        status = await frame(ws, contract)
        assert status["kind"] == "specialist.status"
        assert status["data"] == {"id": me["id"], "status": "dnd"}
        updated = await frame(ws, contract)
        assert updated["kind"] == "user.updated"
        assert updated["data"]["status"] == "dnd"
    card = await demo.get(f"/lines/{updated['line_id']}/users/{updated['user_id']}")
    assert card["colleague"] is True
    assert card["status"] == "dnd"


async def test_a_slow_reader_is_closed_and_resumes_losslessly(
    deployment: Deployment, contract: Contract
) -> None:
    """A socket that stops reading fills its transport, then its small inbox: 1013; the
    client resumes from its cursor and gets everything once, in order."""
    # (a socket that stops reading stops answering pings too: the heartbeat is made longer
    # than the posting takes on a loaded machine, so the backlog is what closes it)
    live: ServerProcess = deployment.start("--subscriber-backlog", "3", "--heartbeat", "300")
    count, filler = 300, "я" * 9_000  # ≈18 KB frames: a few MB fill the socket buffers
    async with Api(live.url, contract) as api:
        demo = await api.as_user("demo")
        client, chat_id = await chat_of(api, "a.troitskiy")
        async with demo.events() as ws:
            cursor: int = (await frame(ws, contract))["head"]
        texts: list[str] = []
        seqs: list[int] = []
        async with demo.events(cursor) as ws:
            assert (await frame(ws, contract))["type"] == "hello"
            for n in range(count):  # not reading meanwhile
                await send(client, chat_id, f"{n} {filler}")
            while (message := await ws.receive(timeout=20)).type is aiohttp.WSMsgType.TEXT:
                event = json.loads(message.data)
                seqs.append(event["seq"])
                if event["kind"] == "message.created":
                    texts.append(event["data"]["text"])
            assert ws.close_code == 1013
        assert len(texts) < count
        async with demo.events(seqs[-1]) as ws:
            assert (await frame(ws, contract))["type"] == "hello"
            while len(texts) < count:
                event = await frame(ws, contract)
                seqs.append(event["seq"])
                if event["kind"] == "message.created":
                    texts.append(event["data"]["text"])
    assert texts == [f"{n} {filler}" for n in range(count)]
    assert seqs == sorted(set(seqs))
