"""The audio codecs of a call: Opus (RFC 7587), G.711 PCMU and PCMA, behind one interface.

A `Codec` says what SDP and RTP need (name, payload type, clock rate, channels, fmtp) and
what the headset needs (`rate`, `frame`: 20 ms of mono 16-bit PCM at the device's rate);
`encoder()` and `decoder()` make the per-stream state. An encoder turns one frame of PCM
into one RTP payload; a decoder turns a payload back into PCM, `recover(following)` makes
the frame of a packet that never came from the packet after it (Opus's in-band FEC), and
`conceal()` makes it from nothing (packet loss concealment).

- G.711 is aiortp's (table lookups); a lost packet is concealed by ITU-T G.711 Appendix I
  (telephony/media/plc.py: the last pitch period repeated, fading out from 10 ms to silence
  at 60 ms), which every decoded packet passes through too (3.75 ms later: the Appendix's
  delay). G.711 carries no FEC: `recover(following)` conceals towards the next packet as
  well (its first pitch period repeated backwards, cross-faded with the Appendix's).
- Opus is libopus (telephony/media/libopus.py: the copy PyAV's wheels bundle, through
  ctypes): the codec is not written here. The device runs at 48 kHz, the RTP clock of Opus
  always is (RFC 7587 §4.1), one channel; SDP still says `opus/48000/2` as the RFC
  requires, `stereo=0; sprop-stereo=0` says mono, `useinbandfec=1` that we decode FEC.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from aiortp import get_codec

from telephony.media.plc import Concealment

log = logging.getLogger(__name__)
PTIME = 20  # ms of audio in each packet, and in each block of the device


class Encoder(Protocol):
    def encode(self, pcm: bytes) -> bytes: ...


class Decoder(Protocol):
    def decode(self, payload: bytes) -> bytes: ...

    def recover(self, following: bytes) -> bytes:
        """The packet lost just before `following` (Opus: from its in-band FEC)."""
        ...

    def conceal(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Codec:
    name: str  # the encoding name of a=rtpmap, matched case-insensitively
    payload_type: int  # static, or the number our offer gives it (an answer uses the peer's)
    clock_rate: int  # of RTP timestamps, and of telephone-event beside it
    channels: int = 1  # as written in SDP (Opus: always 2, RFC 7587 §7)
    rate: int = 8000  # the device's sample rate (mono, 16-bit)
    fmtp: str = ""
    # the implementation: made with (this codec, "r" to decode or "w" to encode)
    _make: Callable[[Codec, Literal["r", "w"]], _G711 | _Opus] = field(
        kw_only=True, compare=False, repr=False
    )

    @property
    def frame(self) -> int:
        """Samples of one packet (PTIME) at the device's rate."""
        return self.rate * PTIME // 1000

    @property
    def frame_ticks(self) -> int:
        """RTP timestamp ticks of one packet."""
        return self.clock_rate * PTIME // 1000

    @property
    def rtpmap(self) -> str:
        tail = f"/{self.channels}" if self.channels != 1 else ""
        return f"{self.name}/{self.clock_rate}{tail}"

    def encoder(self) -> Encoder:
        return self._make(self, "w")

    def decoder(self) -> Decoder:
        return self._make(self, "r")


class _G711:
    """Both ways are stateless table lookups (aiortp); a decoder keeps the stream's last
    48.75 ms for its packet loss concealment (ITU-T G.711 Appendix I: telephony/media/plc.py)."""

    def __init__(self, codec: Codec, _mode: Literal["r", "w"]) -> None:
        self._g711 = get_codec(8 if codec.name == "PCMA" else 0)  # by name, not number
        self._frame = codec.frame
        self._silence = b"\x00\x00" * codec.frame
        self._plc = Concealment()

    def encode(self, pcm: bytes) -> bytes:
        return bytes(self._g711.encode(pcm))

    # on the audio thread: none of these raises (the concealment is numpy on a few hundred
    # samples; should it ever fail, the stream plays on without it, from a fresh state)
    def decode(self, payload: bytes) -> bytes:
        pcm = bytes(self._g711.decode(payload)) or self._silence  # an empty one: a frame
        try:
            return self._plc.good(pcm)
        except Exception:
            self._plc = Concealment()
            return pcm

    def recover(self, following: bytes) -> bytes:
        """G.711 carries no FEC, but the next packet is here: the gap is concealed from both
        sides (telephony/media/plc.py) — it is decoded again when its turn comes (G.711's
        decoding is a stateless table lookup)."""
        return self.conceal(bytes(self._g711.decode(following)))

    def conceal(self, following: bytes = b"") -> bytes:
        try:
            return self._plc.lost(self._frame, following)
        except Exception:
            self._plc = Concealment()
            return self._silence


class _Opus:
    """libopus (telephony/media/libopus.py: PyAV's bundled copy through ctypes), one state per
    direction of a stream. We send in-band FEC (each packet carries the frame before it again,
    at a lower rate) and say so in SDP (`useinbandfec=1`: a peer may send it to us, which
    libopus's encoder does once it expects some loss)."""

    BITRATE = 32_000  # wideband speech, mono
    FEC_LOSS_PCT = 10  # the loss our encoder's FEC is made for (libopus: none at 0)

    def __init__(self, codec: Codec, mode: Literal["r", "w"]) -> None:
        from telephony.media import libopus

        self._silence = b"\x00\x00" * codec.frame
        if mode == "w":
            self._encoder = libopus.Encoder(codec.rate, self.BITRATE, self.FEC_LOSS_PCT)
        else:
            self._decoder = libopus.Decoder(codec.rate)

    def encode(self, pcm: bytes) -> bytes:
        return self._encoder.encode(pcm)

    # on the audio thread: none of these raises (a damaged or empty packet is 20 ms of
    # silence, whatever the peer sent)
    def decode(self, payload: bytes) -> bytes:
        return self._decoder.decode(payload) or self._silence

    def recover(self, following: bytes) -> bytes:
        return self._decoder.fec(following) or self._silence

    def conceal(self) -> bytes:
        return self._decoder.conceal() or self._silence


OPUS = Codec(
    "opus",
    111,
    48_000,
    channels=2,
    rate=48_000,
    fmtp="stereo=0; sprop-stereo=0; useinbandfec=1",
    _make=_Opus,
)
PCMU = Codec("PCMU", 0, 8000, _make=_G711)
PCMA = Codec("PCMA", 8, 8000, _make=_G711)
CODECS = (OPUS, PCMU, PCMA)  # in our order of preference


@functools.cache
def supported() -> tuple[Codec, ...]:
    """CODECS that this machine can run: Opus only when libopus loads (PyAV's bundled copy
    or the system's; a build or platform without it still calls, in G.711; said once in
    the log)."""
    try:
        from telephony.media import libopus

        libopus.library()
    except Exception as exc:  # OSError, AttributeError (a libopus without a function)
        log.warning("Opus is not offered (%s: %s): calls are G.711", type(exc).__name__, exc)
        return tuple(codec for codec in CODECS if codec is not OPUS)
    return CODECS


def by_name(name: str, clock_rate: int) -> Codec | None:
    """The codec an rtpmap names (its clock must be ours: `opus/48000/2`, `PCMU/8000`)."""
    for codec in supported():
        if codec.name.lower() == name.lower() and codec.clock_rate == clock_rate:
            return codec
    return None
