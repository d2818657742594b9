"""One RTP audio stream: encoded frames out, payloads into the jitter buffer, RFC 4733 DTMF.

aiortp builds and parses the packets and telephone-events; the codec is the agreed one
(telephony/media/codecs.py), its encoder here, its decoder in the jitter buffer (decoding
happens at playout). The stream is driven by whoever calls `send_frame` (the audio
callback, through the loop): there is no timer here, the device is the media clock. RTP
timestamps, DTMF's included, run at the codec's clock (48 kHz for Opus, 8 kHz for G.711).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable

from aiortp import DtmfEvent, DtmfReceiver, RtpPacket
from aiortp.dtmf import DTMF_EVENTS

from telephony.media.codecs import PCMU, Codec, Encoder
from telephony.media.jitter import JitterBuffer
from telephony.media.source_latch import SourceLatch

log = logging.getLogger(__name__)


class RtpStream(asyncio.DatagramProtocol):
    def __init__(self, on_dtmf: Callable[[str], None] | None = None) -> None:
        self.jitter = JitterBuffer()
        self.latch = SourceLatch()  # whose RTP is the call's (telephony/media/source_latch.py)
        self.transport: asyncio.DatagramTransport | None = None
        self.local: tuple[str, int] = ("127.0.0.1", 0)
        self.remote: tuple[str, int] | None = None
        self.codec = PCMU
        self.payload_type = PCMU.payload_type
        self.dtmf_payload_type: int | None = None
        self.dtmf_clock = PCMU.clock_rate
        self._encoder: Encoder = PCMU.encoder()
        self._ssrc = secrets.randbits(32)
        self._seq = secrets.randbits(16)
        self._ts = secrets.randbits(32)
        self._dtmf = DtmfReceiver(lambda digit, _duration: self._digit(digit))
        self.on_dtmf = on_dtmf
        self.sending = True
        self.muted = False
        self.sent = 0
        self.received = 0

    async def open(self, host: str) -> tuple[str, int]:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, 0))
        self.transport = transport
        sock = transport.get_extra_info("sockname")
        self.local = (sock[0], sock[1])
        return self.local

    def configure(
        self, remote: tuple[str, int], codec: Codec, dtmf: int | None, dtmf_clock: int = 0
    ) -> None:
        """Send to `remote` in `codec` (with its agreed payload type); DTMF as payload type
        `dtmf` at `dtmf_clock` (0: the codec's clock, as it should be)."""
        self.remote = remote
        self.latch.expect(remote)
        if codec != self.codec:
            self._encoder = codec.encoder()
            self.jitter.use(codec)
        self.codec = codec
        self.payload_type = codec.payload_type
        self.dtmf_payload_type = dtmf
        self.dtmf_clock = dtmf_clock or codec.clock_rate

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    def _send(self, packet: RtpPacket) -> None:
        if self.transport is None or self.remote is None or self.transport.is_closing():
            return
        self.transport.sendto(packet.serialize(), self.remote)
        self.sent += 1

    def send_frame(self, pcm: bytes) -> None:
        """One 20 ms frame of 16-bit mono PCM at the codec's rate from the microphone."""
        codec = self.codec
        if self.sending:
            payload = self._encoder.encode(b"\x00\x00" * codec.frame if self.muted else pcm)
            self._seq = (self._seq + 1) & 0xFFFF
            self._send(RtpPacket(self.payload_type, 0, self._seq, self._ts, self._ssrc, payload))
        ticks = len(pcm) // 2 * codec.clock_rate // codec.rate
        self._ts = (self._ts + ticks) & 0xFFFFFFFF

    def send_dtmf(self, digit: str, duration_ms: int = 160) -> None:
        """RFC 4733: progress packets every 20 ms, then three end packets, all on one
        timestamp (the stream's, at the codec's clock); durations in ticks of the
        telephone-event's clock (the codec's: 48 kHz for Opus, 8 kHz for G.711)."""
        if self.dtmf_payload_type is None:
            raise ValueError("the other side takes no RFC 4733 events")
        event = DTMF_EVENTS[digit.upper()]
        step_ticks = self.dtmf_clock * 20 // 1000
        total = min(duration_ms * self.dtmf_clock // 1000, 0xFFFF)  # a 16-bit field
        for step, (duration, end) in enumerate(
            [(d, False) for d in range(step_ticks, total, step_ticks)] + [(total, True)] * 3
        ):
            self._seq = (self._seq + 1) & 0xFFFF
            payload = DtmfEvent(event=event, end=end, volume=10, duration=duration).serialize()
            self._send(
                RtpPacket(
                    self.dtmf_payload_type, int(step == 0), self._seq, self._ts, self._ssrc, payload
                )
            )
        self._ts = (self._ts + duration_ms * self.codec.clock_rate // 1000) & 0xFFFFFFFF

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            return  # RTCP or noise
        pt = packet.payload_type
        agreed = pt == self.payload_type or pt == self.dtmf_payload_type
        if not self.latch.accept(addr, packet.ssrc, packet.sequence_number, agreed):
            return
        self.received += 1
        if packet.payload_type == self.dtmf_payload_type:
            try:
                self._dtmf.handle_packet(packet)
            except ValueError:
                return
        elif packet.payload_type == self.payload_type:
            self.jitter.push(packet.sequence_number, packet.payload)

    def _digit(self, digit: str) -> None:
        log.info("DTMF %s received", digit)
        if self.on_dtmf is not None:
            self.on_dtmf(digit)
