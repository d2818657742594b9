"""The jitter buffer's delay follows the network (telephony/media/jitter.py): trimmed to its
floor when every play of a window found more waiting, kept when packets come unevenly,
raised after an underrun, and bounded when the sender's clock runs ahead of the device's."""

from __future__ import annotations

import random

import numpy as np
import pytest

from telephony.media.codecs import PCMU
from telephony.media.jitter import JitterBuffer

pytestmark = pytest.mark.telephony
PAYLOAD = PCMU.encoder().encode(np.full(PCMU.frame, 3000, "<i2").tobytes())


class _Stream:
    """Packets pushed in sequence, plays counted; `waiting` at each play."""

    def __init__(self, jitter: JitterBuffer) -> None:
        self.jitter, self.seq, self.waiting, self.silent = jitter, 0, [], 0

    def push(self, count: int = 1) -> None:
        for _ in range(count):
            self.jitter.push(self.seq & 0xFFFF, PAYLOAD)
            self.seq += 1

    def play(self) -> None:
        self.waiting.append(len(self.jitter._frames))
        frame = np.frombuffer(self.jitter.pop(), "<i2")
        self.silent += int(np.abs(frame).max() < 1000)


def test_a_quiet_network_is_trimmed_to_the_floor() -> None:
    """Packets exactly one a play: 3 wait (the prebuffer) until a window has shown that 2
    would do; then 2, and nothing more is trimmed."""
    jitter = JitterBuffer(PCMU)
    stream = _Stream(jitter)
    stream.push(2)
    for _ in range(400):
        stream.push()
        stream.play()
    assert stream.waiting[5:45] == [3] * 40
    assert stream.waiting[-300:] == [2] * 300
    assert (jitter.trimmed, jitter.underruns, stream.silent) == (1, 0, 0)


def test_packets_that_come_unevenly_keep_the_margin_they_need() -> None:
    """Two packets every other play (the sender's packets bunched in pairs): at some play
    of every window only 2 wait, so nothing is trimmed and nothing underruns."""
    jitter = JitterBuffer(PCMU)
    stream = _Stream(jitter)
    stream.push(2)
    for turn in range(400):
        stream.push(2 if turn % 2 == 0 else 0)
        stream.play()
    assert min(stream.waiting[5:]) == 2
    assert (jitter.trimmed, jitter.underruns) == (0, 0)


def test_after_an_underrun_the_floor_is_one_frame_higher_for_a_while() -> None:
    jitter = JitterBuffer(PCMU, window=10)
    stream = _Stream(jitter)
    stream.push(2)
    for _ in range(50):
        stream.push()
        stream.play()
    assert stream.waiting[-1] == 2  # trimmed to the floor
    for _ in range(3):  # packets late: the two waiting played, then nothing to play
        stream.play()
    assert jitter.underruns == 1
    stream.push(3)  # they come: the prebuffer again
    trimmed = jitter.trimmed
    for _ in range(60):  # < 10 windows: the floor stays raised, 3 wait
        stream.push()
        stream.play()
    assert jitter.trimmed == trimmed and stream.waiting[-1] == 3
    for _ in range(100):  # then calm long enough: back to the floor
        stream.push()
        stream.play()
    assert jitter.trimmed == trimmed + 1 and stream.waiting[-1] == 2


def test_a_sender_clock_ahead_of_the_device_does_not_grow_the_delay() -> None:
    """51 packets for every 50 plays (2 %, as measured between a device and a peer), and a
    packet a play late now and then (a window with one is not trimmed): the delay stays
    within 3–5 frames waiting, the excess trimmed as it comes (59 of the 60 packets)."""
    jitter = JitterBuffer(PCMU)
    stream = _Stream(jitter)
    rng = random.Random(3)
    stream.push(2)
    for turn in range(3000):
        stream.push(1 + (turn % 50 == 0))
        stream.play()
        if rng.random() < 0.02:  # now and then a packet a play late, the next on time
            stream.play()
            stream.push()
    assert max(stream.waiting[500:]) <= 5, max(stream.waiting[500:])
    assert jitter.underruns == 0 and jitter.trimmed >= 55, jitter.trimmed
