"""The codecs (telephony/media/codecs.py) and their negotiation (telephony/sdp.py).

A tone goes through each real encoder and decoder (aiortp's G.711, libopus through ctypes)
and keeps its frequency and its energy; a lost Opus packet is made up by libopus, in the
jitter buffer, at playout (from the next packet's FEC: tests/telephony/test_fec.py). SDP:
Opus is offered first, the peer's payload numbers are honoured, G.711 is the fallback,
telephone-event runs at the chosen codec's clock.
"""

from __future__ import annotations

import ctypes.util

import numpy as np
import pytest
from aiosipua import parse_sdp

from telephony import sdp
from telephony.media import codecs, libopus
from telephony.media.codecs import CODECS, OPUS, PCMA, PCMU, Codec
from telephony.media.jitter import JitterBuffer
from tests.telephony.audio_check import strongest

pytestmark = pytest.mark.telephony


def tone(codec: Codec, hz: float, seconds: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(codec.rate * seconds)) / codec.rate
    return (amplitude * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2")


def frames(codec: Codec, samples: np.ndarray) -> list[bytes]:
    n = codec.frame
    return [samples[i : i + n].tobytes() for i in range(0, len(samples) - n + 1, n)]


def pcm(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float64)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2)))


@pytest.mark.parametrize("codec", CODECS, ids=lambda c: c.name)
@pytest.mark.parametrize("hz", [440.0, 1000.0, 2500.0])
def test_a_tone_keeps_its_frequency_and_energy_through_the_codec(codec: Codec, hz: float) -> None:
    source = tone(codec, hz, 1.0)
    encoder, decoder = codec.encoder(), codec.decoder()
    payloads = [encoder.encode(frame) for frame in frames(codec, source)]
    assert all(payloads), "one payload for each 20 ms frame"
    if codec is OPUS:
        assert max(map(len, payloads)) < 200  # ≈ 32 kbit/s, not PCM in disguise
    else:
        assert {len(p) for p in payloads} == {codec.frame}  # G.711: a byte a sample
    decoded = [decoder.decode(p) for p in payloads]
    assert {len(d) for d in decoded} == {2 * codec.frame}
    out = pcm(b"".join(decoded))[codec.rate // 5 :]  # past the codec's start-up
    assert abs(strongest(out, codec.rate)[0] - hz) < 5
    assert 0.8 < rms(out) / rms(source.astype(np.float64)) < 1.2


def test_opus_is_48_khz_mono_on_the_device_and_opus_48000_2_in_sdp() -> None:
    assert (OPUS.rate, OPUS.clock_rate, OPUS.frame, OPUS.frame_ticks) == (48_000, 48_000, 960, 960)
    assert OPUS.rtpmap == "opus/48000/2"  # RFC 7587 §7: always two, whatever is sent
    assert "stereo=0" in OPUS.fmtp and "sprop-stereo=0" in OPUS.fmtp
    assert (PCMU.rtpmap, PCMA.rtpmap, PCMU.frame) == ("PCMU/8000", "PCMA/8000", 160)


def test_a_lost_opus_packet_is_concealed_at_playout_from_the_jitter_buffer() -> None:
    """Payloads go into the buffer; the one never pushed (sequence 10) is made up by libopus
    (from the next packet's FEC), which carries the tone on instead of a hole of silence."""
    jitter = JitterBuffer(OPUS)
    encoder = OPUS.encoder()
    payloads = [encoder.encode(f) for f in frames(OPUS, tone(OPUS, 600, 0.6))]
    played = []
    for seq, payload in enumerate(payloads):  # each as it comes, a frame played meanwhile
        if seq != 10:
            jitter.push(seq, payload)
        played.append(pcm(jitter.pop()))
    played = played[jitter.prebuffer - 1 :]  # from the first frame played
    assert jitter.concealed == 1
    assert all(len(frame) == OPUS.frame for frame in played)
    neighbours = rms(played[9])
    assert rms(played[10]) > 0.3 * neighbours  # the gap is filled ...
    assert abs(strongest(np.concatenate(played[9:12]), OPUS.rate)[0] - 600) < 20  # ... with it


@pytest.mark.parametrize("codec", CODECS, ids=lambda c: c.name)
def test_a_damaged_or_empty_payload_is_a_frame_of_silence_not_an_error(codec: Codec) -> None:
    """Decoding runs in the audio callback: whatever the peer sends, it returns a frame."""
    decoder = codec.decoder()
    for payload in (b"", b"\xff", b"\x03\xff", bytes(range(256)) * 3):
        out = decoder.decode(payload)
        assert len(out) % 2 == 0 and len(out) > 0


@pytest.mark.parametrize("ms", [10, 40, 60])
def test_opus_packets_of_another_length_than_20_ms_play_on_seamlessly(ms: int) -> None:
    """Our offer says ptime 20, a hint: a peer may send 10, 40 or 60 ms of Opus a packet
    (its encoder here is libopus given frames of that length)."""
    encoder = libopus.Encoder(OPUS.rate, 32_000)
    source = tone(OPUS, 700, 1.2)
    size = OPUS.rate * ms // 1000
    packets = []
    for start in range(0, len(source) - size + 1, size):
        packets.append((start, encoder.encode(source[start : start + size].tobytes())))
    jitter, played = JitterBuffer(OPUS), []
    for turn in range(50):  # as they would arrive: each when its audio has been said
        while packets and packets[0][0] < (turn + 1) * OPUS.frame:
            start, payload = packets.pop(0)
            jitter.push(start // size, payload)
        played.append(jitter.pop())
    assert {len(p) for p in played} == {2 * OPUS.frame}
    assert jitter.concealed == 0 and jitter.underruns == 0
    out = pcm(b"".join(played))[OPUS.rate // 5 :]
    assert abs(strongest(out, OPUS.rate)[0] - 700) < 5
    assert 0.8 < rms(out) / rms(source.astype(np.float64)) < 1.2


def test_the_jitter_buffer_decodes_in_sequence_order() -> None:
    jitter = JitterBuffer(PCMA)
    encoder = PCMA.encoder()
    levels = [encoder.encode(np.full(160, v, "<i2").tobytes()) for v in (1000, 2000, 3000)]
    for seq in (0, 2, 1):  # the second and third swapped on the way
        jitter.push(seq, levels[seq])
    # (the median: each frame starts with the last 3.75 ms of the one before, G.711 PLC's delay)
    means = [round(float(np.median(pcm(jitter.pop()))), -2) for _ in range(3)]
    assert means == [1000, 2000, 3000]


def _offer_of_peer(formats: str, *attributes: str) -> str:
    lines = [
        "v=0",
        "o=peer 1 1 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        f"m=audio 40000 RTP/AVP {formats}",
        *attributes,
        "a=sendrecv",
    ]
    return "\r\n".join(lines) + "\r\n"


def test_our_offer_lists_opus_first_then_g711_and_telephone_event_at_both_clocks() -> None:
    body = sdp.offer("127.0.0.1", 30000)
    audio = parse_sdp(body).audio
    assert audio is not None
    listed = [(c.payload_type, c.encoding_name, c.clock_rate, c.channels) for c in audio.codecs]
    assert listed == [
        (111, "opus", 48_000, 2),
        (0, "PCMU", 8000, None),
        (8, "PCMA", 8000, None),
        (110, "telephone-event", 48_000, None),
        (101, "telephone-event", 8000, None),
    ]
    assert "a=fmtp:111 stereo=0; sprop-stereo=0; useinbandfec=1" in body
    # a peer like us answering it takes Opus, with telephone-event at 48 kHz
    media = sdp.choose(body)
    assert (media.codec.name, media.payload_type) == ("opus", 111)
    assert (media.dtmf_payload_type, media.dtmf_clock) == (110, 48_000)


def test_the_peers_dynamic_payload_type_is_honoured_in_the_answer() -> None:
    offer = _offer_of_peer(
        "96 0 97 98",
        "a=rtpmap:96 OPUS/48000/2",
        "a=fmtp:96 useinbandfec=1",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:97 telephone-event/8000",
        "a=rtpmap:98 telephone-event/48000",
    )
    media = sdp.choose(offer)
    assert (media.codec.name, media.payload_type, media.codec.rate) == ("opus", 96, 48_000)
    assert (media.dtmf_payload_type, media.dtmf_clock) == (98, 48_000)  # the codec's clock
    answer = sdp.answer("127.0.0.1", 30002, media)
    audio = parse_sdp(answer).audio
    assert audio is not None and audio.formats == ["96", "98"]
    assert "a=rtpmap:96 opus/48000/2" in answer
    assert "a=rtpmap:98 telephone-event/48000" in answer


def test_g711_is_the_fallback_when_the_peer_offers_no_opus() -> None:
    offer = _offer_of_peer(
        "8 0 101 102",
        "a=rtpmap:101 telephone-event/8000",
        "a=rtpmap:102 telephone-event/48000",
    )  # static payload types need no rtpmap; the offerer's order decides
    media = sdp.choose(offer)
    assert (media.codec.name, media.payload_type, media.codec.rate) == ("PCMA", 8, 8000)
    assert (media.dtmf_payload_type, media.dtmf_clock) == (101, 8000)
    answer = sdp.answer("127.0.0.1", 30004, media)
    assert "a=rtpmap:8 PCMA/8000" in answer and "telephone-event/8000" in answer
    assert "opus" not in answer and "48000" not in answer


def test_opus_at_a_clock_other_than_48000_is_not_opus_and_no_codec_is_488() -> None:
    with pytest.raises(sdp.NoCommonCodec, match="G722, OPUS"):
        sdp.choose(_offer_of_peer("9 96", "a=rtpmap:96 opus/16000"))


def test_a_peer_with_telephone_event_only_at_8000_beside_opus_still_gets_digits() -> None:
    """baresip 1.0.0 answers Opus with telephone-event/8000 only."""
    answer = _offer_of_peer(
        "111 0 8 101",
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:101 telephone-event/8000",
    )
    media = sdp.choose(answer)
    assert (media.codec.name, media.dtmf_payload_type, media.dtmf_clock) == ("opus", 101, 8000)


def test_a_reinvite_keeps_the_calls_codec_while_the_peer_still_offers_it() -> None:
    offer = _offer_of_peer("0 111", "a=rtpmap:111 opus/48000/2")
    assert sdp.choose(offer).codec.name == "PCMU"
    assert sdp.choose(offer, keep=OPUS).codec.name == "opus"
    assert sdp.choose(_offer_of_peer("0"), keep=OPUS).codec.name == "PCMU"


def test_without_libopus_opus_is_not_offered_and_calls_are_g711(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build without PyAV's libopus and a system without its own: G.711 only, said in
    the log."""
    assert codecs.supported() == (OPUS, PCMU, PCMA)  # this machine: PyAV with libopus
    monkeypatch.setattr(libopus, "_candidates", list)  # no PyAV copy
    monkeypatch.setattr(ctypes.util, "find_library", lambda _name: None)  # nor the system's
    codecs.supported.cache_clear()
    libopus.library.cache_clear()
    try:
        body = sdp.offer("127.0.0.1", 30000)
        assert "opus" not in body and "telephone-event/48000" not in body
        assert "m=audio 30000 RTP/AVP 0 8 101\r\n" in body
        with pytest.raises(sdp.NoCommonCodec):
            sdp.choose(_offer_of_peer("111", "a=rtpmap:111 opus/48000/2"))
    finally:
        codecs.supported.cache_clear()
        libopus.library.cache_clear()
