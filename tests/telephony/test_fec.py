"""A lost Opus packet made up from the next one's in-band FEC, and the jitter buffer's own
losses (telephony/media/jitter.py, telephony/media/libopus.py).

The signal is voice-like (a gliding pitch with harmonics, four syllables a second): libopus's
concealment alone extrapolates the last pitch and drifts off it (0.87–0.94 correlation with
the frame it replaces, once −0.12, measured), the FEC copy of the frame does not (≥ 0.995).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from telephony.media import libopus
from telephony.media.codecs import OPUS, PCMU
from telephony.media.jitter import JitterBuffer

pytestmark = pytest.mark.telephony


def _voice(seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(OPUS.rate * seconds)) / OPUS.rate
    phase = 2 * np.pi * np.cumsum(150 + 150 * t) / OPUS.rate
    wave = (
        sum(np.sin(k * phase) / k for k in range(1, 6)) * (0.5 + 0.5 * np.sin(8 * np.pi * t)) ** 2
    )
    return (wave / np.abs(wave).max() * 12000).astype("<i2")


def _played(payloads: list[bytes], lost: set[int]) -> tuple[np.ndarray, JitterBuffer]:
    """Each packet pushed as it comes (but the lost ones), a frame played meanwhile: what
    was played from the first packet on, and the buffer."""
    jitter, out = JitterBuffer(OPUS), []
    for seq, payload in enumerate(payloads):
        if seq not in lost:
            jitter.push(seq, payload)
        out.append(jitter.pop())
    out += [jitter.pop() for _ in range(jitter.prebuffer)]
    start = (jitter.prebuffer - 1) * OPUS.frame  # silence until the prebuffer is there
    return np.frombuffer(b"".join(out), "<i2").astype(np.float64)[start:], jitter


def test_a_lost_opus_packet_is_decoded_from_the_next_packets_fec() -> None:
    """Our encoder sends FEC; the buffer, missing frame N with N+1 already there, decodes N
    from N+1's FEC: the frame is the one that was sent, not a guess."""
    encoder = OPUS.encoder()
    source = _voice()
    payloads = [
        encoder.encode(source[i : i + OPUS.frame].tobytes())
        for i in range(0, len(source), OPUS.frame)
    ]
    lib = libopus.library()
    if hasattr(lib, "opus_packet_has_lbrr"):  # libopus ≥ 1.5 (PyAV's is 1.6.1)
        carrying = sum(lib.opus_packet_has_lbrr(p, len(p)) == 1 for p in payloads)
        assert carrying > len(payloads) * 0.6, carrying  # all but the quietest
    whole, _ = _played(payloads, set())
    for seq in (20, 30, 37, 44):
        made, jitter = _played(payloads, {seq})
        assert (jitter.concealed, jitter.recovered) == (1, 1)
        span = slice(seq * OPUS.frame, (seq + 1) * OPUS.frame)
        assert np.corrcoef(whole[span], made[span])[0, 1] > 0.98, seq


def test_two_lost_in_a_row_the_first_concealed_the_second_from_fec() -> None:
    encoder = OPUS.encoder()
    source = _voice(0.6)
    payloads = [
        encoder.encode(source[i : i + OPUS.frame].tobytes())
        for i in range(0, len(source), OPUS.frame)
    ]
    _, jitter = _played(payloads, {12, 13})
    assert (jitter.concealed, jitter.recovered) == (2, 1)


def test_g711_has_no_fec_a_lost_packet_is_concealed() -> None:
    jitter = JitterBuffer(PCMU)
    loud = PCMU.encoder().encode(np.full(PCMU.frame, 3000, "<i2").tobytes())
    for seq in (0, 1, 3):
        jitter.push(seq, loud)
    frames = [np.frombuffer(jitter.pop(), "<i2")]
    jitter.push(4, loud)
    frames += [np.frombuffer(jitter.pop(), "<i2") for _ in range(3)]
    # the lost one (seq 2) is made up from the frames before it (ITU-T G.711 Appendix I:
    # tests/telephony/test_plc.py), not a hole of silence
    assert [int(abs(f).max()) > 1000 for f in frames] == [True, True, True, True]
    assert (jitter.concealed, jitter.recovered) == (1, 1)  # "recovered": concealed, no FEC


def test_a_backlog_when_playout_starts_is_skipped_not_kept_as_delay() -> None:
    """The device opens after the peer began to send: 8 packets wait at the first play. Kept,
    they were 160 ms of delay for the whole call (the round trip's jitter buffer held 5–9
    frames, measured in bench_calls); playout starts at the prebuffer's depth instead."""
    jitter = JitterBuffer(PCMU)
    encoder = PCMU.encoder()
    for seq in range(8):
        jitter.push(seq, encoder.encode(np.full(PCMU.frame, 100 * seq, "<i2").tobytes()))
    first = np.frombuffer(jitter.pop(), "<i2")
    assert round(float(np.median(first)), -2) == 100 * (8 - jitter.prebuffer)  # (G.711 PLC's delay)
    assert len(jitter._frames) == jitter.prebuffer - 1


def test_a_packet_after_its_turn_is_counted_late() -> None:
    jitter = JitterBuffer(PCMU)
    payload = PCMU.encoder().encode(bytes(2 * PCMU.frame))
    for seq in (0, 1, 2, 4):
        jitter.push(seq, payload)
    for _ in range(4):
        jitter.pop()  # 0, 1, 2, and 3 concealed (4 was there: not an underrun)
    jitter.push(3, payload)  # too late
    assert (jitter.late, jitter.concealed) == (1, 1)


def test_libopus_is_pyavs_bundled_copy_when_there_is_one() -> None:
    """The Windows wheel of the same PyAV has `av.libs/libopus-0-<hash>.dll` (checked by
    listing it: docs/telephony.md); here the Linux one's `av.libs/libopus-<hash>.so.0…`."""
    found = libopus._candidates()
    assert found and all(p.parent.name in ("av.libs", ".dylibs") for p in found)
    assert Path(found[0]).name.startswith("libopus")
    assert libopus.version().startswith("libopus 1.")
