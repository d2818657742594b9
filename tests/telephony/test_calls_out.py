"""Outgoing calls through kamailio to baresip (and the defects of the library they prove)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from telephony.problems import CallState, EndReason
from telephony.sip.ua import UserAgent
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.peers import Peer, start_kamailio

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_call_through_kamailio_reaches_callee_with_ack_and_bye(
    tmp_path: Path, baresip: tuple[Peer, int, Path], transport: str
) -> None:
    """Defect 4: the UAC dialog must take the 2xx's Contact and Record-Route. Through a
    record-routing kamailio, our ACK and BYE reach baresip only along that route set: the
    BYE is answered 200 by baresip itself (aiosipua's dialog sends it to the proxy without
    a Route, which answers 404). Over TCP too: our INVITE, ACK and BYE go to kamailio on
    our connection, kamailio relays them to baresip over UDP."""
    kamailio, kport = start_kamailio(
        tmp_path / "k",
        {"alice": ALICE_PASSWORD},
        routes={"bob": f"sip:127.0.0.1:{baresip[1]}"},
        tcp=transport == "tcp",
    )
    agent = UserAgent(alice(kport, transport=transport))
    await agent.start()
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{kport}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        async with asyncio.timeout(LIMIT):
            await call.hang_up()
        assert call.reason is EndReason.HUNG_UP
        assert call.status == 200, "the BYE did not reach the callee"
        assert call.dialog is not None and call.dialog.route_set  # kamailio record-routed
        assert str(baresip[1]) in call.dialog.remote_target  # the callee's Contact
    finally:
        await agent.stop()
        kamailio.stop()
