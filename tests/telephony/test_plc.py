"""G.711 packet loss concealment (ITU-T G.711 Appendix I: telephony/media/plc.py), through the
codec's decoder (`conceal()`: the Appendix, from the past alone) and the jitter buffer as a
call plays it (`recover(next)`: the packet after the gap is there, and the gap is made from
both sides).

A lost frame of a voiced signal is made up from its last pitch period: it matches the frame
that was sent (normalised cross-correlation at the Appendix's 3.75 ms delay; silence, what
was played before, is 0 by that measure); a loss longer than 60 ms fades to silence; the
next good frame is overlap-added, with no step.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

from telephony.media import plc
from telephony.media.codecs import PCMA, PCMU, Codec
from telephony.media.jitter import JitterBuffer

pytestmark = pytest.mark.telephony
RATE, FRAME, DELAY = 8000, 160, plc.OVERLAP_MAX


def _tone(hz: float = 200.0, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (8000 * np.sin(2 * np.pi * hz * t)).astype("<i2")


def _voice(seconds: float = 1.0) -> np.ndarray:
    """Voice-like: a pitch gliding 150 → 300 Hz with four harmonics, four syllables a second
    (tests/telephony/test_fec.py's signal, at 8 kHz)."""
    t = np.arange(int(RATE * seconds)) / RATE
    phase = 2 * np.pi * np.cumsum(150 + 150 * t) / RATE
    wave = (
        sum(np.sin(k * phase) / k for k in range(1, 6)) * (0.5 + 0.5 * np.sin(8 * np.pi * t)) ** 2
    )
    return (wave / np.abs(wave).max() * 12000).astype("<i2")


def _played(codec: Codec, source: np.ndarray, lost: set[int]) -> tuple[np.ndarray, JitterBuffer]:
    """Each packet pushed as it comes (but the lost ones), a frame played meanwhile; what was
    played, from the first packet's first sample on (the Appendix's delay kept in)."""
    encoder, jitter, out = codec.encoder(), JitterBuffer(codec), []
    payloads = [
        encoder.encode(source[i : i + FRAME].tobytes())
        for i in range(0, len(source) - FRAME + 1, FRAME)
    ]
    for seq, payload in enumerate(payloads):
        if seq not in lost:
            jitter.push(seq, payload)
        out.append(jitter.pop())
    out += [jitter.pop() for _ in range(jitter.prebuffer)]
    start = (jitter.prebuffer - 1) * FRAME  # silence until the prebuffer is there
    return np.frombuffer(b"".join(out), "<i2").astype(np.float64)[start:], jitter


def _decoded(source: np.ndarray, lost: set[int], codec: Codec = PCMU) -> np.ndarray:
    """Each packet decoded in turn, the lost ones concealed from the past alone (the
    Appendix: `conceal()`)."""
    encoder, decoder = codec.encoder(), codec.decoder()
    payloads = [
        encoder.encode(source[i : i + FRAME].tobytes())
        for i in range(0, len(source) - FRAME + 1, FRAME)
    ]
    out = [decoder.conceal() if s in lost else decoder.decode(p) for s, p in enumerate(payloads)]
    return np.frombuffer(b"".join(out), "<i2").astype(np.float64)


def _match(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised cross-correlation at lag 0 (silence against anything: 0)."""
    energy = float(np.sqrt((a @ a) * (b @ b)))
    return float(a @ b) / energy if energy else 0.0


@pytest.mark.parametrize("codec", [PCMU, PCMA], ids=lambda c: c.name)
def test_a_lost_frame_of_a_tone_is_its_last_period_repeated(codec: Codec) -> None:
    whole = _decoded(_tone(), set(), codec)
    for seq in (10, 21, 33):
        span = slice(seq * FRAME + DELAY, (seq + 1) * FRAME + DELAY)
        assert _match(whole[span], _decoded(_tone(), {seq}, codec)[span]) > 0.98, seq
        made, jitter = _played(codec, _tone(), {seq})  # the next packet there: both sides
        assert (jitter.concealed, jitter.recovered) == (1, 1)
        assert _match(whole[span], made[span]) > 0.98, seq
        assert _match(whole[span], np.zeros(FRAME)) == 0.0  # what silence was


def _voiced_matches(made: Callable[[set[int]], np.ndarray]) -> list[float]:
    source = _voice()
    whole = _decoded(source, set())
    matches = []
    for seq in range(5, len(source) // FRAME - 1):
        span = slice(seq * FRAME + DELAY, (seq + 1) * FRAME + DELAY)
        if np.std(whole[span]) >= 1000:  # not between syllables
            matches.append(_match(whole[span], made({seq})[span]))
    assert len(matches) > 15
    return matches


def test_a_lost_frame_of_a_voiced_signal_correlates_with_the_frame_sent() -> None:
    """The pitch glides, so the repeated period drifts off it: by the Appendix alone 0.70–0.99
    per frame, median 0.84 (silence: 0); with the next packet there (as the jitter buffer
    mostly has it) 0.88–0.99, median 0.96 (23 voiced frames, measured)."""
    alone = _voiced_matches(lambda lost: _decoded(_voice(), lost))
    assert float(np.median(alone)) > 0.8 and min(alone) > 0.5, alone
    both = _voiced_matches(lambda lost: _played(PCMU, _voice(), lost)[0])
    assert float(np.median(both)) > 0.9 and min(both) > 0.8, both
    assert float(np.median(both)) > float(np.median(alone))


def test_a_loss_longer_than_60_ms_fades_to_silence_and_the_next_frame_plays_on() -> None:
    """Five packets lost (100 ms) in a row, as the decoder sees them: full level for 10 ms,
    then 20 % less every 10 ms, silence from 60 ms on; the first good frame after it
    overlap-added, then the tone as sent. (The jitter buffer, holding 3 frames, underruns
    in such a gap before it conceals.)"""
    source = _tone(seconds=0.8)
    encoder, decoder = PCMU.encoder(), PCMU.decoder()
    payloads = [encoder.encode(source[i : i + FRAME].tobytes()) for i in range(0, 6400, FRAME)]
    made = np.frombuffer(
        b"".join(
            decoder.conceal() if 10 <= s < 15 else decoder.decode(p) for s, p in enumerate(payloads)
        ),
        "<i2",
    ).astype(np.float64)
    start = 10 * FRAME + DELAY
    peaks = [float(np.abs(made[start + i : start + i + 80]).max()) for i in range(0, 800, 80)]
    assert peaks[0] > 7500  # the first 10 ms at full level
    assert all(a > b for a, b in itertools.pairwise(peaks[:7])), peaks  # falling
    assert 0.15 * 8000 < peaks[4] < 0.45 * 8000, peaks  # 40–50 ms: 0.4 → 0.2
    assert peaks[6:] == [0.0] * 4, peaks  # 60–100 ms: silence
    after = made[15 * FRAME + DELAY :]
    assert float(np.abs(after[80:400]).max()) > 7500  # the tone is back
    expected = np.frombuffer(PCMU.decoder().decode(b"".join(payloads)), "<i2")
    tail = slice(17 * FRAME + DELAY, 30 * FRAME + DELAY)
    assert _match(made[tail], expected[tail].astype(np.float64)) > 0.999


def test_the_concealed_frame_joins_its_neighbours_without_a_step() -> None:
    """The overlap-adds at either end: no sample-to-sample jump larger than the tone's own
    (a 200 Hz sine of 8000 moves at most ≈ 1260 a sample; a hole of silence after it would
    jump by up to 8000)."""
    made, _ = _played(PCMU, _tone(), {20})
    around = made[19 * FRAME : 23 * FRAME]
    assert float(np.abs(np.diff(around)).max()) < 1.2 * 2 * np.pi * 200 / RATE * 8000


def test_every_good_frame_comes_out_3_75_ms_later() -> None:
    """The Appendix's delay (room for the overlap-add at a loss's start): what is played is
    G.711's plain decoding, 30 samples later."""
    from aiortp import get_codec

    decoder, encoder = PCMU.decoder(), PCMU.encoder()
    source = _voice(0.2)
    payloads = [encoder.encode(source[i : i + FRAME].tobytes()) for i in range(0, 1600, FRAME)]
    played = np.frombuffer(b"".join(decoder.decode(p) for p in payloads), "<i2")
    plain = np.frombuffer(bytes(get_codec(0).decode(b"".join(payloads))), "<i2")
    assert not played[:DELAY].any()
    assert np.array_equal(played[DELAY:], plain[:-DELAY])


def test_concealment_never_raises_on_the_audio_thread() -> None:
    """A loss before any packet, a long one, a full-scale square wave (clipping), packets of
    other lengths; and should the concealment ever fail, the decoder plays on without it."""
    concealment = plc.Concealment()
    assert concealment.lost(160) == bytes(320)  # nothing heard yet: silence
    square = np.where(_tone(100, 0.2) >= 0, 32767, -32768).astype("<i2")
    for start in range(0, len(square), 80):
        concealment.good(square[start : start + 80].tobytes())
    for _ in range(50):
        assert len(concealment.lost(160)) == 320
    for size in (0, 1, 79, 240, 1000):
        assert len(concealment.good(bytes(2 * size))) == 2 * size
    assert len(concealment.lost(100)) == 2 * 160  # rounded up to 10 ms steps

    class Broken:
        def good(self, _pcm: bytes) -> bytes:
            raise ValueError("broken")

        lost = good

    decoder = PCMU.decoder()
    decoder._plc = Broken()  # type: ignore[attr-defined]
    assert len(decoder.decode(b"\xff" * 160)) == 320
    decoder._plc = Broken()  # type: ignore[attr-defined]
    assert decoder.conceal() == bytes(320)
    assert len(decoder.decode(b"\xff" * 160)) == 320  # and a fresh concealment afterwards
