"""The audio codecs of a call: Opus (RFC 7587), G.711 PCMU and PCMA, behind one interface.

A `Codec` says what SDP and RTP need (name, payload type, clock rate, channels, fmtp) and
what the headset needs (`rate`, `frame`: 20 ms of mono 16-bit PCM at the device's rate);
`encoder()` and `decoder()` make the per-stream state. An encoder turns one frame of PCM
into one RTP payload; a decoder turns a payload back into PCM, and `conceal()` makes the
frame of a packet that never came (packet loss concealment).

- G.711 is aiortp's (table lookups); its concealment is silence.
- Opus is libopus through PyAV (FFmpeg's `libopus` encoder and decoder; PyAV's wheels
  bundle both): the codec is not written here. The device runs at 48 kHz, the RTP clock
  of Opus always is (RFC 7587 §4.1), one channel; SDP still says `opus/48000/2` as the
  RFC requires, and `stereo=0; sprop-stereo=0` says mono. Concealment hands libopus an
  empty frame (a TOC byte alone, RFC 6716 §3.2.1), which it decodes by its own PLC.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from aiortp import get_codec

log = logging.getLogger(__name__)
PTIME = 20  # ms of audio in each packet, and in each block of the device


class Encoder(Protocol):
    def encode(self, pcm: bytes) -> bytes: ...


class Decoder(Protocol):
    def decode(self, payload: bytes) -> bytes: ...

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
    """Both ways are stateless table lookups (aiortp)."""

    def __init__(self, codec: Codec, _mode: Literal["r", "w"]) -> None:
        self._g711 = get_codec(8 if codec.name == "PCMA" else 0)  # by name, not number
        self._silence = b"\x00\x00" * codec.frame

    def encode(self, pcm: bytes) -> bytes:
        return bytes(self._g711.encode(pcm))

    def decode(self, payload: bytes) -> bytes:
        return bytes(self._g711.decode(payload)) or self._silence  # an empty one: a frame

    def conceal(self) -> bytes:
        return self._silence


class _Opus:
    """libopus through PyAV, one context per direction of a stream."""

    BITRATE = 32_000  # wideband speech, mono

    def __init__(self, codec: Codec, mode: Literal["r", "w"]) -> None:
        import av  # PyAV: loaded with the first Opus call, not with the program

        self._av = av
        self._rate = codec.rate
        self._silence = b"\x00\x00" * codec.frame
        self._toc: int | None = None  # of the last packet decoded: its configuration
        context = av.CodecContext.create("libopus", mode)
        context.sample_rate = codec.rate
        context.layout = "mono"
        context.format = "s16"
        if mode == "w":
            context.bit_rate = self.BITRATE
            context.options = {"application": "voip", "frame_duration": str(PTIME)}
        context.open()
        self._context = context

    def encode(self, pcm: bytes) -> bytes:
        import numpy as np

        samples = np.frombuffer(pcm, dtype="<i2").reshape(1, -1)
        frame = self._av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = self._rate
        return b"".join(bytes(packet) for packet in self._context.encode(frame))

    def decode(self, payload: bytes) -> bytes:
        if payload:
            self._toc = payload[0]
        return self._decoded(payload)

    def conceal(self) -> bytes:
        if self._toc is None:
            return self._silence
        # one frame of the last configuration (code 0) with no data: libopus's PLC
        return self._decoded(bytes([self._toc & 0xFC]))

    def _decoded(self, payload: bytes) -> bytes:
        """On the audio thread: never raises (a damaged or empty packet is 20 ms of silence,
        whatever the peer sent)."""
        try:
            frames = self._context.decode(self._av.Packet(payload))
            pcm = b"".join(frame.to_ndarray().tobytes() for frame in frames)
        except Exception:  # PyAV's FFmpegError and kin: the peer's bytes, not our bug
            return self._silence
        return pcm or self._silence


OPUS = Codec(
    "opus", 111, 48_000, channels=2, rate=48_000, fmtp="stereo=0; sprop-stereo=0", _make=_Opus
)
PCMU = Codec("PCMU", 0, 8000, _make=_G711)
PCMA = Codec("PCMA", 8, 8000, _make=_G711)
CODECS = (OPUS, PCMU, PCMA)  # in our order of preference


@functools.cache
def supported() -> tuple[Codec, ...]:
    """CODECS that this machine can run: Opus only when PyAV and its libopus load (a
    build or platform without them still calls, in G.711; said once in the log)."""
    try:
        import av

        av.codec.Codec("libopus", "w")
        av.codec.Codec("libopus", "r")
    except Exception as exc:  # ImportError, OSError, PyAV's UnknownCodecError
        log.warning("Opus is not offered (%s: %s): calls are G.711", type(exc).__name__, exc)
        return tuple(codec for codec in CODECS if codec is not OPUS)
    return CODECS


def by_name(name: str, clock_rate: int) -> Codec | None:
    """The codec an rtpmap names (its clock must be ours: `opus/48000/2`, `PCMU/8000`)."""
    for codec in supported():
        if codec.name.lower() == name.lower() and codec.clock_rate == clock_rate:
            return codec
    return None
