"""Who rings, proven with kamailio (issue 10): a client user calls the line's number; the
PBX forks the call to the line's two specialists at once (kamailio's parallel fork); each
specialist's client asks the server who the ticket routing names and the one not named
answers 480, so the call reaches the one named — here the holder of the caller's open
ticket — and is talked there. Two real Workplaces (the core, no window), two user agents
registered at kamailio, sipp as the calling user."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.calls.audio import attach
from app.core.domain import ConnectionState
from app.workplace import Workplace
from telephony.call import Call
from telephony.problems import CallState, EndReason
from telephony.sip.registration import Account, RegistrationState
from telephony.sip.ua import UserAgent
from tests.app.workplaces import client_api, make_workplace, until
from tests.conftest import ServerProcess
from tests.telephony.peers import SCENARIOS, free_udp_port, start_kamailio, start_sipp

pytestmark = pytest.mark.telephony
LINE = "Техподдержка"
PASSWORDS = {"alice": "alice-secret", "carol": "carol-secret"}
LIMIT = 30  # a bound for each awaited event on a loaded machine


async def signed_in(live: ServerProcess, data: Path, login: str) -> Workplace:
    wp = make_workplace(data)
    assert await wp.sign_in(live.url, login, "demo", remember=False)
    await until(lambda: wp.connection == ConnectionState.CONNECTED, what=f"{login} connected")
    return wp


async def registered(
    user: str, port: int, core: Workplace
) -> tuple[UserAgent, asyncio.Queue[Call]]:
    """The specialist's user agent at kamailio, its incoming calls going through the core's
    word on who rings (app/calls/audio.py), as the window's does."""
    agent = UserAgent(Account(server="127.0.0.1", port=port, user=user, password=PASSWORDS[user]))
    rang: asyncio.Queue[Call] = asyncio.Queue()
    agent.on_incoming = rang.put_nowait
    attach(agent, core)
    await agent.start()
    assert agent.registration is not None
    async with asyncio.timeout(LIMIT):
        await agent.registration.wait_for(RegistrationState.REGISTERED)
    return agent, rang


@pytest.fixture
async def desks(live: ServerProcess, tmp_path: Path) -> AsyncIterator[tuple[Workplace, Workplace]]:
    demo = await signed_in(live, tmp_path / "demo", "demo")
    orlov = await signed_in(live, tmp_path / "orlov", "s.orlov")
    try:
        yield demo, orlov
    finally:
        await demo.close()
        await orlov.close()


async def test_a_line_call_reaches_the_specialist_the_routing_names(
    live: ServerProcess, tmp_path: Path, desks: tuple[Workplace, Workplace]
) -> None:
    demo, orlov = desks
    api = await client_api(live.url, "s.orlov")
    try:
        await api.call("PUT", "/me/status", json={"status": "free"})
        lines = {line.name: line.id for line in demo.lines}
        line_id = lines[LINE]
        users = (await api.call("GET", f"/lines/{line_id}/users", params={"limit": "500"}))["items"]
        caller = next(u for u in users if not u["colleague"] and u["open_ticket"] is None)
        taken = await api.call("POST", f"/chats/{caller['chat_id']}/ticket")  # Орлов's now
        assert taken["specialist_id"] == orlov.me.id
    finally:
        await api.close()
    kamailio, port = start_kamailio(tmp_path / "k", PASSWORDS, forks={"line": ["alice", "carol"]})
    alice, alice_rang = await registered("alice", port, demo)
    carol, carol_rang = await registered("carol", port, orlov)
    sipp = None
    try:
        sipp, _ = start_sipp(
            tmp_path / "sipp",
            [
                "-sf",
                str(SCENARIOS / "line_uac_as.xml"),
                "-s",
                "line",
                "-key",
                "caller",
                caller["login"],
                "-key",
                "caller_name",
                "Клиент",
                f"127.0.0.1:{port}",
                "-mi",
                "127.0.0.1",
                "-mp",
                str(free_udp_port()),
            ],
        )
        async with asyncio.timeout(LIMIT):
            call = await carol_rang.get()  # Орлов's client rings: the ticket is his
        assert call.state is CallState.RINGING
        await call.answer()
        async with asyncio.timeout(LIMIT):
            await call.ended.wait()  # sipp talked, then hung up along the route set
        assert call.reason is EndReason.REMOTE_HUNG_UP
        assert alice_rang.empty()  # demo's client was never offered it: it answered 480
        assert alice.incoming_count == 1  # (the fork did reach it)
        assert await asyncio.to_thread(sipp.wait, LIMIT) == 0, sipp.output()
    finally:
        if sipp is not None:
            sipp.stop()
        await alice.stop()
        await carol.stop()
        kamailio.stop()
