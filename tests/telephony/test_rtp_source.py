"""Whose RTP a call plays (telephony/media/source_latch.py), at the real UA on loopback: a
third socket sending into an established call is not heard while the peer still is; a peer
that sends from elsewhere than its SDP (a media relay) is heard once latched, a stranger
then not; a re-INVITE moving the peer unlatches and its new address is heard, the old one
not. Each packet is counted by `call.rtp.received` (what reaches the jitter buffer or the
DTMF receiver). No sleeps: UDP on loopback is queued as it is sent, so once a packet sent
after the others has been counted, the others have been taken or dropped."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from aiortp import RtpPacket

from telephony.call import Call
from telephony.sip.ua import UserAgent
from tests.app.workplaces import until
from tests.telephony.test_hostile_sip import _answering, _Peer, _request, _sdp, _send

pytestmark = pytest.mark.telephony


class _Sender:
    """An RTP source on its own port: one SSRC, packets in sequence."""

    def __init__(self, transport: asyncio.DatagramTransport) -> None:
        self.transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        self.ssrc = secrets.randbits(32)
        self.seq = secrets.randbits(16)

    def send(self, call: Call, count: int = 1) -> None:
        for _ in range(count):
            self.seq = (self.seq + 1) & 0xFFFF
            packet = RtpPacket(0, 0, self.seq, self.seq * 160, self.ssrc, b"\xff" * 160)
            self.transport.sendto(packet.serialize(), ("127.0.0.1", call.rtp.local[1]))


@pytest.fixture
async def senders() -> AsyncIterator[list[_Sender]]:
    """Three RTP sources on loopback, each on its own port."""
    loop = asyncio.get_running_loop()
    made = []
    for _ in range(3):
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
        )
        made.append(_Sender(transport))
    yield made
    for sender in made:
        sender.transport.close()


@pytest.fixture
async def sip() -> AsyncIterator[_Peer]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(_Peer, local_addr=("127.0.0.1", 0))
    yield protocol
    transport.close()


async def _call(ua: UserAgent, sip: _Peer, rtp_port: int) -> tuple[Call, str, str]:
    """A call in from `sip` whose SDP names `rtp_port`, answered: (it, its Call-ID, our tag)."""
    answered = _answering(ua)
    call_id = f"latch-{secrets.token_hex(4)}"
    body = _sdp(f"m=audio {rtp_port} RTP/AVP 0\r\n")
    _send(ua, sip, _request("INVITE", ua, sip, call_id, body=body))
    ok = (await sip.answers(call_id))[-1]
    assert ok.status_code == 200
    tag = (ok.get_header("to") or "").rsplit("tag=", 1)[1]
    _send(ua, sip, _request("ACK", ua, sip, call_id, to_tag=tag))
    return answered[0], call_id, tag


async def _heard(call: Call, sender: _Sender, before: int, count: int = 1) -> None:
    """`sender` sends `count` packets; all of them are counted (and so is nothing else)."""
    sender.send(call, count)
    await until(lambda: call.rtp.received >= before + count, what="the packets counted")
    assert call.rtp.received == before + count


async def _not_heard(call: Call, stranger: _Sender, peer: _Sender, before: int) -> None:
    """`stranger` sends 10 packets in sequence, on one SSRC, in the call's payload type,
    then `peer` one: only the peer's is counted (before the latch: all 11)."""
    stranger.send(call, 10)
    await _heard(call, peer, before)


async def test_a_third_party_is_not_heard_while_the_peer_is(
    ua: UserAgent, sip: _Peer, senders: list[_Sender]
) -> None:
    peer, stranger, _ = senders
    call, _, _ = await _call(ua, sip, peer.port)
    await _heard(call, peer, 0, 5)
    await _not_heard(call, stranger, peer, 5)
    await _heard(call, peer, 6, 5)  # the peer's still are
    assert call.rtp.latch.dropped == 10


async def test_a_relay_sending_from_elsewhere_than_the_sdp_is_latched(
    ua: UserAgent, sip: _Peer, senders: list[_Sender]
) -> None:
    silent, relay, stranger = senders  # the SDP names `silent`; its media come from `relay`
    call, _, _ = await _call(ua, sip, silent.port)
    relay.send(call, 3)  # on probation: not played
    await _heard(call, relay, 0)  # the fourth in sequence latches it, and is played
    assert call.rtp.latch.source == ("127.0.0.1", relay.port)
    await _not_heard(call, stranger, relay, 1)
    assert call.rtp.latch.dropped == 3 + 10


async def test_a_strangers_packets_between_the_relays_do_not_keep_it_on_probation(
    ua: UserAgent, sip: _Peer, senders: list[_Sender]
) -> None:
    """Before the latch, a stranger sending one packet between each two of the relay's
    (a new SSRC each time, as a scanner does) started the relay's probation again every
    time: the relay was never latched, the call stayed silent."""
    silent, relay, stranger = senders
    call, _, _ = await _call(ua, sip, silent.port)
    for _ in range(3):
        relay.send(call)
        stranger.ssrc = secrets.randbits(32)
        stranger.send(call)
    await _heard(call, relay, 0)  # the relay's fourth in sequence latches it
    assert call.rtp.latch.source == ("127.0.0.1", relay.port)
    assert call.rtp.latch.dropped == 3 + 3


async def test_a_reinvite_moving_the_peer_learns_its_new_address(
    ua: UserAgent, sip: _Peer, senders: list[_Sender]
) -> None:
    old, new, _ = senders
    call, call_id, tag = await _call(ua, sip, old.port)
    await _heard(call, old, 0, 3)
    await _not_heard(call, new, old, 3)  # not the peer yet
    moved = _sdp(f"m=audio {new.port} RTP/AVP 0\r\n")
    _send(ua, sip, _request("INVITE", ua, sip, call_id, seq=2, to_tag=tag, body=moved))
    # taken (the 200 first seen may be the first INVITE's again)
    await until(lambda: call.rtp.remote == ("127.0.0.1", new.port))
    await _heard(call, new, 4)  # the new SDP address latches at once
    assert call.rtp.latch.source == ("127.0.0.1", new.port)
    await _not_heard(call, old, new, 5)  # the peer has moved
    assert call.rtp.latch.dropped == 10 + 10
