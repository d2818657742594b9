"""The five measured defects of aiosipua 0.7.1's transaction/dialog layer, each against a
real peer; each test fails with the library's behaviour (checked by reverting the fix):

1. a lost INVITE is retransmitted (Timer A) — baresip behind a relay that drops the first;
2. a non-2xx final response is ACKed — sipp answers 486 and waits for the ACK;
3. a retransmitted INVITE is one call — sipp sends one INVITE twice;
4. the UAC dialog follows Contact/Record-Route — test_calls_out.py (kamailio, baresip);
5. the UAS 2xx copies Record-Route — sipp calls us through kamailio and hangs up along it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from telephony.call import Call
from telephony.problems import CallState, EndReason, RegistrationState
from telephony.sip.ua import UserAgent
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.peers import (
    SCENARIOS,
    Peer,
    free_udp_port,
    sipp_calls,
    start_kamailio,
    start_sipp,
)
from tests.telephony.relay import Relay

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


def answering(agent: UserAgent) -> list[Call]:
    """Answer every incoming call at once; the calls, in the order they rang."""
    rang: list[Call] = []

    def on_incoming(call: Call) -> None:
        rang.append(call)
        call._spawn(call.answer(), "answer")

    agent.on_incoming = on_incoming
    return rang


async def sipp_result(peer: Peer) -> int:
    code = await asyncio.to_thread(peer.wait, LIMIT)
    return code


async def test_first_invite_lost_on_the_wire_still_connects(
    baresip: tuple[Peer, int, Path],
) -> None:
    first = {"dropped": False}

    def drop_first_invite(data: bytes) -> bool:
        if data.startswith(b"INVITE ") and not first["dropped"]:
            first["dropped"] = True
            return True
        return False

    relay = Relay(("127.0.0.1", baresip[1]), drop_first_invite)
    port = await relay.start()
    agent = UserAgent()
    await agent.start()
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert len(relay.dropped) == 1
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        async with asyncio.timeout(LIMIT):
            await call.hang_up()
        assert call.status == 200
    finally:
        await agent.stop()
        relay.close()


async def test_busy_is_acked(tmp_path: Path) -> None:
    sipp, port = start_sipp(tmp_path / "sipp", ["-sf", str(SCENARIOS / "busy_uas.xml")])
    sipp.wait_bound(port)
    agent = UserAgent()
    await agent.start()
    try:
        call = await agent.call(f"sip:callee@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.ended.wait()
        assert call.reason is EndReason.BUSY and call.status == 486
        assert await sipp_result(sipp) == 0, sipp.output()  # sipp got its ACK
    finally:
        await agent.stop()
        sipp.stop()


async def test_cancel_while_ringing(tmp_path: Path) -> None:
    sipp, port = start_sipp(tmp_path / "sipp", ["-sf", str(SCENARIOS / "cancel_uas.xml")])
    sipp.wait_bound(port)
    agent = UserAgent()
    await agent.start()
    try:
        call = await agent.call(f"sip:callee@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.RINGING)
            await call.hang_up()
        assert call.reason is EndReason.CANCELLED and call.status == 487
        assert await sipp_result(sipp) == 0, sipp.output()  # 200 to CANCEL, 487 ACKed
    finally:
        await agent.stop()
        sipp.stop()


async def test_retransmitted_invite_rings_once(tmp_path: Path, ua: UserAgent) -> None:
    rang: list[Call] = []
    ua.on_incoming = rang.append
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    sipp, _ = start_sipp(
        tmp_path / "sipp",
        [
            "-sf",
            str(SCENARIOS / "retransmitted_invite_uac.xml"),
            target,
            "-mi",
            "127.0.0.1",
            "-mp",
            str(free_udp_port()),
        ],
    )
    try:
        async with asyncio.timeout(LIMIT):
            await ua.endpoint.absorbed.wait()  # the same INVITE again, answered with our 180
        assert len(rang) == 1 and ua.incoming_count == 1
        await rang[0].answer()
        assert await sipp_result(sipp) == 0, sipp.output()
        assert len(rang) == 1 and ua.incoming_count == 1
        async with asyncio.timeout(LIMIT):
            await rang[0].ended.wait()
        assert rang[0].reason is EndReason.REMOTE_HUNG_UP, rang[0].status
    finally:
        sipp.stop()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_answer_through_kamailio_copies_record_route(tmp_path: Path, transport: str) -> None:
    """Over TCP too: kamailio relays sipp's call to our TCP contact on a connection of its
    own, and our answers go back on it (telephony/sip/stream.py)."""
    tcp = transport == "tcp"
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD}, tcp=tcp)
    agent = UserAgent(alice(kport, transport=transport))
    await agent.start()
    rang = answering(agent)
    try:
        assert agent.registration is not None
        async with asyncio.timeout(LIMIT):
            await agent.registration.wait_for(RegistrationState.REGISTERED)
        sipp = sipp_calls(tmp_path / "sipp", "proxied_uac.xml", kport)
        try:
            assert await sipp_result(sipp) == 0, sipp.output()  # its BYE got 200 from us
            assert len(rang) == 1 and rang[0].reason is EndReason.REMOTE_HUNG_UP
        finally:
            sipp.stop()
    finally:
        await agent.stop()
        kamailio.stop()
