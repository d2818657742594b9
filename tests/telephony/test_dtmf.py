"""RFC 4733 digits at the codec's clock, over real SIP and RTP on loopback.

What we send is read off the wire by a relay put between our RTP and the peer's (it only
passes datagrams on, keeping a copy): the events carry one timestamp on the stream's
clock, their durations count ticks of the agreed telephone-event's clock — 48 kHz with
Opus (960 a 20 ms step), 8 kHz with G.711 (160) — and the audio after them goes on from
where the event ended. The digit must reach the other side: our own user agent answering
(it agrees telephone-event/48000 with Opus), and baresip, in G.711 and in Opus (baresip
1.0.0 knows telephone-event only at 8000, and still gets the digit).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from aiortp import DtmfEvent, RtpPacket

from telephony.call import Call
from telephony.problems import CallState
from telephony.sip.ua import UserAgent
from tests.telephony.peers import start_baresip
from tests.telephony.relay import Relay
from tests.telephony.test_audio import OPUS_FIRST

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(LIMIT):
        while not condition():  # noqa: ASYNC110 - another process's state, no event to await
            await asyncio.sleep(0.05)


async def _tap(call: Call) -> tuple[Relay, list[RtpPacket]]:
    """A relay between the call's RTP and where it sends; the packets sent through it."""
    seen: list[RtpPacket] = []

    def keep(data: bytes) -> bool:
        with contextlib.suppress(ValueError):
            seen.append(RtpPacket.parse(data))
        return False  # lose nothing

    assert call.rtp.remote is not None
    relay = Relay(call.rtp.remote, keep)
    await relay.start()
    call.rtp.remote = ("127.0.0.1", relay.port)
    return relay, seen


async def _send_digit(call: Call, digit: str) -> None:
    """A second of (silent) audio frames with the digit in the middle, paced like a device."""
    frame = b"\x00\x00" * call.rtp.codec.frame
    for n in range(50):
        if n == 25:
            call.send_dtmf(digit)
        call.rtp.send_frame(frame)
        await asyncio.sleep(0.02)


def _check_events(
    seen: list[RtpPacket], event_pt: int, audio_pt: int, step: int, ticks: int
) -> None:
    """The events of one 160 ms digit: durations in `step`s of the telephone-event clock,
    one timestamp on the stream's clock, where the audio (`ticks` a frame) was."""
    events = [p for p in seen if p.payload_type == event_pt]
    audio = [p for p in seen if p.payload_type == audio_pt]
    assert events and audio
    durations = [DtmfEvent.parse(p.payload).duration for p in events]
    assert durations == [*range(step, 8 * step, step), 8 * step, 8 * step, 8 * step]
    assert [DtmfEvent.parse(p.payload).end for p in events][-3:] == [True] * 3
    assert len({p.timestamp for p in events}) == 1 and events[0].marker
    first, last = seen.index(events[0]), seen.index(events[-1])  # in order on loopback
    before = next(p for p in reversed(seen[:first]) if p.payload_type == audio_pt)
    after = next(p for p in seen[last:] if p.payload_type == audio_pt)
    assert events[0].timestamp == (before.timestamp + ticks) & 0xFFFFFFFF
    assert after.timestamp - events[0].timestamp == 8 * ticks  # 160 ms on the stream's clock


async def test_opus_call_between_two_user_agents_dtmf_at_48_khz(ua: UserAgent) -> None:
    bob = UserAgent()
    await bob.start()
    rang: asyncio.Queue[Call] = asyncio.Queue()
    bob.on_incoming = rang.put_nowait
    try:
        call = await ua.call(f"sip:bob@127.0.0.1:{bob.endpoint.local[1]}")
        async with asyncio.timeout(LIMIT):
            theirs = await rang.get()
            await theirs.answer()
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED
        for side in (call, theirs):  # both agreed on Opus and on telephone-event/48000
            assert (side.rtp.codec.name, side.rtp.codec.clock_rate) == ("opus", 48_000)
            assert (side.rtp.dtmf_payload_type, side.rtp.dtmf_clock) == (110, 48_000)
        digits: list[str] = []
        theirs.dtmf_listeners.append(digits.append)
        relay, seen = await _tap(call)
        try:
            await _send_digit(call, "7")
            await _until(lambda: digits == ["7"])
        finally:
            relay.close()
        _check_events(seen, 110, 111, 960, 960)
        await call.hang_up()
    finally:
        await bob.stop()


@pytest.mark.parametrize(
    ("codecs", "agreed", "ticks"),
    [("PCMU,PCMA", "PCMU", 160), (OPUS_FIRST, "opus", 960)],
    ids=["g711", "opus"],
)
async def test_dtmf_reaches_baresip(
    tmp_path: Path, ua: UserAgent, speech: dict[str, Path], codecs: str, agreed: str, ticks: int
) -> None:
    bob, port = start_baresip(tmp_path / "bob", speech["bob-long"], codecs=codecs)
    try:
        call = await ua.call(f"sip:bob@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        assert call.rtp.codec.name == agreed
        assert call.rtp.dtmf_clock == 8000  # baresip 1.0.0 has only telephone-event/8000
        dtmf_pt, audio_pt = call.rtp.dtmf_payload_type, call.rtp.payload_type
        assert dtmf_pt is not None
        relay, seen = await _tap(call)
        try:
            await _send_digit(call, "5")
            await _until(lambda: "received event: '5' (end=1)" in bob.output())
        finally:
            relay.close()
        _check_events(seen, dtmf_pt, audio_pt, 160, ticks)
        await call.hang_up()
    finally:
        bob.stop()
