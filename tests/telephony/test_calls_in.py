"""Incoming calls (sipp with G.711 audio and RFC 4733 DTMF; baresip calling in Opus) and
hold (baresip)."""

from __future__ import annotations

import asyncio
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from telephony.call import Call
from telephony.problems import CallState, EndReason
from telephony.sip.ua import UserAgent
from tests.telephony.audio_check import strongest, tone
from tests.telephony.peers import (
    Peer,
    free_udp_port,
    heard_by_baresip,
    start_baresip,
    start_sipp,
)
from tests.telephony.test_audio import OPUS_FIRST

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


async def test_incoming_call_with_audio_and_dtmf(tmp_path: Path, ua: UserAgent) -> None:
    """sipp's uac_pcap: PCMA speech for 8 s, then the digit 1 as RFC 4733 events, then BYE."""
    rang: asyncio.Queue[Call] = asyncio.Queue()
    ua.on_incoming = rang.put_nowait
    sipp, _ = start_sipp(
        tmp_path / "sipp",
        [
            "-sn",
            "uac_pcap",
            f"127.0.0.1:{ua.endpoint.local[1]}",
            "-s",
            "service",
            "-mi",
            "127.0.0.1",
            "-mp",
            str(free_udp_port()),
        ],
    )
    try:
        async with asyncio.timeout(LIMIT):
            call = await rang.get()
        assert call.state is CallState.RINGING and call.direction == "in"
        digits: asyncio.Queue[str] = asyncio.Queue()
        call.dtmf_listeners.append(digits.put_nowait)
        await call.answer()
        async with asyncio.timeout(LIMIT):
            assert await digits.get() == "1"
            await call.ended.wait()
        assert call.reason is EndReason.REMOTE_HUNG_UP
        assert call.rtp.payload_type == 8  # PCMA, chosen by name from sipp's offer
        assert call.rtp.received > 200  # the pcap's ≈ 5 s of 20 ms frames reached our RTP socket
        assert await asyncio.to_thread(sipp.wait, LIMIT) == 0, sipp.output()
    finally:
        sipp.stop()


async def test_an_incoming_opus_call_from_baresip_carries_tones_both_ways(
    tmp_path: Path, ua: UserAgent
) -> None:
    """baresip calls offering Opus first; we answer in Opus and play the headset's part by
    hand, a frame every 20 ms: 600 Hz from our microphone, and the jitter buffer's playout
    as our speaker. baresip hears 600 Hz, we hear its 1 kHz."""
    rang: asyncio.Queue[Call] = asyncio.Queue()
    ua.on_incoming = rang.put_nowait
    directory = tmp_path / "bob"
    bob, _ = start_baresip(
        directory,
        tone(tmp_path / "bob.wav", 1000, 30),
        codecs=OPUS_FIRST,
        commands=(f"/dial sip:alice@127.0.0.1:{ua.endpoint.local[1]}",),
    )
    try:
        async with asyncio.timeout(LIMIT):
            call = await rang.get()
        await call.answer()
        codec = call.rtp.codec
        assert (codec.name, codec.rate) == ("opus", 48_000)
        t = np.arange(codec.rate * 3) / codec.rate
        mine = (0.3 * 32767 * np.sin(2 * np.pi * 600 * t)).astype("<i2")
        played = []
        for start in range(0, len(mine), codec.frame):
            call.rtp.send_frame(mine[start : start + codec.frame].tobytes())
            played.append(call.rtp.jitter.pop())
            await asyncio.sleep(0.02)
        await call.hang_up()
        async with asyncio.timeout(LIMIT):
            while (dump := heard_by_baresip(directory)) is None:  # noqa: ASYNC110 - its file
                await asyncio.sleep(0.05)
    finally:
        bob.stop()
    heard = np.frombuffer(b"".join(played), dtype="<i2").astype(np.float64)[codec.rate :]
    hz, share = strongest(heard, codec.rate)
    assert abs(hz - 1000) < 15 and share > 0.8, (hz, share)
    with wave.open(str(dump)) as w:
        rate = w.getframerate()
        theirs = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    loud = theirs[np.abs(theirs) > 1000]
    assert len(loud) > rate, "baresip heard more than a second of it"
    hz, share = strongest(theirs[rate:], rate)
    assert abs(hz - 600) < 15 and share > 0.8, (hz, share)


async def test_hold_and_resume(baresip: tuple[Peer, int, Path], ua: UserAgent) -> None:
    call = await ua.call(f"sip:bob@127.0.0.1:{baresip[1]}")
    async with asyncio.timeout(LIMIT):
        await call.wait_state(CallState.CONNECTED, CallState.ENDED)
    assert call.state is CallState.CONNECTED, (call.reason, call.status)
    async with asyncio.timeout(LIMIT):
        assert await call.hold() is True
    assert call.held and not call.rtp.sending
    async with asyncio.timeout(LIMIT):
        assert await call.hold(False) is True
    assert not call.held and call.rtp.sending
    async with asyncio.timeout(LIMIT):
        await call.hang_up()
    assert call.status == 200


async def test_no_common_codec_is_488(tmp_path: Path, ua: UserAgent) -> None:
    """A caller offering only GSM: answered 488, the UA rings nobody and goes on."""
    rang: list[Call] = []
    ua.on_incoming = rang.append
    scenario = tmp_path / "gsm.xml"
    scenario.write_text(
        (Path(__file__).parent / "scenarios" / "proxied_uac.xml")
        .read_text()
        .replace("RTP/AVP 0 101", "RTP/AVP 3")
        .replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:3 GSM/8000")
        .replace("a=rtpmap:101 telephone-event/8000\n", "")
        .split('  <recv response="100"')[0]
        + '  <recv response="100" optional="true" />\n'
        '  <recv response="488" />\n'
        "</scenario>\n"
    )
    sipp, _ = start_sipp(
        tmp_path / "sipp",
        [
            "-sf",
            str(scenario),
            f"127.0.0.1:{ua.endpoint.local[1]}",
            "-mi",
            "127.0.0.1",
            "-mp",
            str(free_udp_port()),
        ],
    )
    try:
        assert await asyncio.to_thread(sipp.wait, LIMIT) == 0, sipp.output()
        assert rang == []
    finally:
        sipp.stop()


async def test_no_portaudio_the_call_goes_on_without_audio(
    baresip: tuple[Peer, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PortAudio missing (its import fails, as on a machine without libportaudio2): the call
    connects, says it has no audio, and hangs up cleanly. (A chosen device that is absent
    opens the default instead: tests/telephony/test_ringer.py.)"""
    from telephony.media.audio import Headset
    from telephony.problems import AudioProblem

    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import → ImportError
    agent = UserAgent(headset_factory=Headset)
    await agent.start()
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{baresip[1]}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        assert call.audio_problem is AudioProblem.NO_AUDIO
        async with asyncio.timeout(LIMIT):
            await call.hang_up()
        assert call.status == 200
    finally:
        await agent.stop()


async def test_a_peer_that_vanishes_mid_call_ends_it_as_lost(
    baresip: tuple[Peer, int, Path], ua: UserAgent
) -> None:
    """baresip killed mid-call (no BYE, no more audio): the call ends as lost after
    `rtp_timeout` seconds of silence on the wire, and the UA goes on."""
    ua.rtp_timeout = 2.0
    call = await ua.call(f"sip:bob@127.0.0.1:{baresip[1]}")
    async with asyncio.timeout(LIMIT):
        await call.wait_state(CallState.CONNECTED, CallState.ENDED)
    assert call.state is CallState.CONNECTED, (call.reason, call.status)
    async with asyncio.timeout(LIMIT):
        while call.rtp.received < 10:  # bob's audio is coming
            call.changed.clear()
            await asyncio.sleep(0.05)
    baresip[0].kill_program()  # the test's own peer, by its PID
    async with asyncio.timeout(LIMIT):
        await call.ended.wait()
    assert call.reason is EndReason.LOST
    # the call's record says failed, and why, in the words the chat's timeline shows
    from contract.calls import CallResult
    from ui.calls.records import result_of
    from ui.calls.timeline import _failure

    assert result_of(call) == (CallResult.FAILED, "lost")
    assert _failure("lost") == "The connection to the other side was lost"
