"""Blind transfer (REFER) of a connected call, against real peers: alice (LineDesk) calls bob
(baresip) through kamailio and hands him to carol (a second baresip); bob's NOTIFYs say how
his call to carol goes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from telephony.problems import CallState, EndReason, TransferState
from telephony.sip.ua import UserAgent
from telephony.transfer import sipfrag_status
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.peers import Peer, start_baresip, start_kamailio

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


def test_the_status_of_a_sipfrag() -> None:
    assert sipfrag_status("SIP/2.0 200 OK\r\n") == 200
    assert sipfrag_status("SIP/2.0 180 Ringing") == 180
    assert sipfrag_status("") == 0
    assert sipfrag_status("INVITE sip:x SIP/2.0") == 0


async def _said(peer: Peer, text: str) -> None:
    """Wait until `peer` has logged `text` (an upper bound, not a guess)."""
    async with asyncio.timeout(LIMIT):  # (a timeout here: the log is in the test's tmp dir)
        while text not in peer.output():  # noqa: ASYNC110 - a log file: nothing to await
            await asyncio.sleep(0.05)


async def _connected_to_bob(
    tmp_path: Path, speech: dict[str, Path], routes: dict[str, str]
) -> tuple[UserAgent, Peer, Peer, int]:
    bob, bob_port = start_baresip(tmp_path / "bob", speech["bob-call"])
    kamailio, kport = start_kamailio(
        tmp_path / "k",
        {"alice": ALICE_PASSWORD},
        routes={"bob": f"sip:127.0.0.1:{bob_port}", **routes},
    )
    agent = UserAgent(alice(kport))
    await agent.start()
    return agent, bob, kamailio, kport


async def test_a_blind_transfer_hands_the_caller_to_the_target(
    tmp_path: Path, speech: dict[str, Path]
) -> None:
    carol, carol_port = start_baresip(
        tmp_path / "carol",
        speech["alice"],
        account="<sip:carol@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA",
    )
    agent, bob, kamailio, kport = await _connected_to_bob(
        tmp_path, speech, {"carol": f"sip:127.0.0.1:{carol_port}"}
    )
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{kport}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        async with asyncio.timeout(LIMIT * 2):
            await call.transfer_to(f"sip:carol@127.0.0.1:{kport}")
            await call.wait_state(CallState.ENDED)
        assert call.transfer is not None
        assert call.transfer.state is TransferState.DONE, (
            call.transfer.status,
            bob.output(),
            carol.output(),
        )
        assert call.transfer.status == 200  # bob's NOTIFY: carol answered him
        assert call.reason is EndReason.TRANSFERRED, (call.reason, bob.output())
        await _said(carol, "Call established: sip:bob@")  # carol talks with bob now
    finally:
        await agent.stop()
        for peer in (kamailio, bob, carol):
            peer.stop()


async def test_a_transfer_to_nobody_fails_and_the_call_goes_on(
    tmp_path: Path, speech: dict[str, Path]
) -> None:
    """Bob's call to the target is refused (kamailio: 404): his final NOTIFY says so, and
    alice still has bob."""
    agent, bob, kamailio, kport = await _connected_to_bob(tmp_path, speech, {})
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{kport}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        async with asyncio.timeout(LIMIT * 2):
            await call.transfer_to(f"sip:nobody@127.0.0.1:{kport}")
        assert call.transfer is not None
        assert call.transfer.state is TransferState.FAILED
        assert call.transfer.status == 404, call.transfer.status
        assert call.state is CallState.CONNECTED
        async with asyncio.timeout(LIMIT):
            await call.hang_up()
        assert call.reason is EndReason.HUNG_UP and call.status == 200
    finally:
        await agent.stop()
        kamailio.stop()
        bob.stop()
