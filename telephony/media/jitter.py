"""The receive buffer between the network (the event loop) and the speaker (the audio thread).

It holds RTP payloads, not audio: each is decoded when it is played, in sequence order, on
the audio thread, so that the codec's decoder sees the stream as sent and can make up a
packet that never came: from the next packet's in-band FEC when that one is here already
(Opus: `decode_fec`; G.711, which has none, conceals the gap from both sides: the past's
pitch period and the next packet's, telephony/media/plc.py; the prebuffer gives the next
packet time to come), else concealed from the past (Opus: libopus's PLC; G.711: ITU-T G.711
Appendix I). `use(codec)` sets the codec
(the agreed one, at the start and after a re-INVITE that changes it) and empties the buffer.

- a short prebuffer (`prebuffer` frames of 20 ms) before playout starts and after an underrun;
  what waits beyond it then (the device opened after the peer began to send) is skipped;
- drift compensation: the device and the sender clocks differ (981 vs 1002 frames in 20 s
  measured here), so when more than `prebuffer + slack` frames have waited for `patience`
  playouts in a row (a sustained excess, not a burst), one frame is dropped; a hard cap
  (`limit`) bounds the delay whatever happens;
- packets are ordered by RTP sequence; late ones (behind playout) are dropped;
- `push` (loop thread) and `pop` (audio thread) share one lock held for O(1) work only
  (decoding happens after it is released): the audio thread never waits on the loop.
"""

from __future__ import annotations

import threading

from telephony.media.codecs import PCMU, Codec, Decoder

_SILENCE, _PLAY, _RECOVER, _CONCEAL = range(4)  # what a turn plays


class JitterBuffer:
    def __init__(
        self,
        codec: Codec = PCMU,
        prebuffer: int = 3,
        slack: int = 4,
        patience: int = 50,
        limit: int = 25,
    ) -> None:
        self.prebuffer = prebuffer
        self.slack = slack
        self.patience = patience
        self.limit = limit
        self._over = 0
        self._frames: dict[int, bytes] = {}
        self._next: int | None = None
        self._playing = False
        self._lock = threading.Lock()
        self.underruns = 0
        self.dropped = 0
        self.concealed = 0  # frames made up for packets that never came
        self.recovered = 0  # of those, made from the next packet's FEC
        self.late = 0  # packets that came after their turn (dropped, counted in `dropped`)
        self.codec = codec
        self.silence = b"\x00\x00" * codec.frame
        self._decoder: Decoder = codec.decoder()
        self._rest = b""  # decoded beyond the last frame played

    def use(self, codec: Codec) -> None:
        """Decode `codec` from now on (a new decoder; what is buffered is dropped)."""
        decoder = codec.decoder()
        with self._lock:
            self.codec, self._decoder = codec, decoder
            self.silence = b"\x00\x00" * codec.frame
            self._clear()

    def push(self, seq: int, payload: bytes) -> None:
        with self._lock:
            if self._next is not None and ((seq - self._next) & 0xFFFF) > 0x8000:
                self.dropped += 1  # late: already played past it
                self.late += 1
                return
            self._frames[seq] = payload
            if self._next is None:
                self._next = seq
            if len(self._frames) > self.limit:
                self._drop_oldest()

    def _drop_oldest(self) -> None:
        assert self._next is not None
        self._frames.pop(self._next, None)
        self._next = (self._next + 1) & 0xFFFF
        self.dropped += 1

    def pop(self) -> bytes:
        """The next 20 ms of PCM to play (silence while prebuffering or after an underrun).
        A peer's packets of another length (Opus allows 10, 40, 60 ms) are played on: what
        a packet decodes to beyond this frame waits for the next, a short one is followed by
        the next packet (on the audio thread only)."""
        frame = len(self.silence)
        out = self._rest
        while len(out) < frame:
            with self._lock:
                decoder = self._decoder
                kind, payload = self._take()
            if kind == _SILENCE:
                out += self.silence[: frame - len(out)]
                break
            if kind == _PLAY:
                out += decoder.decode(payload)
                continue
            self.concealed += 1
            if kind == _RECOVER:
                self.recovered += 1
                out += decoder.recover(payload)
            else:
                out += decoder.conceal()
        self._rest = out[frame:]
        return out[:frame]

    def _take(self) -> tuple[int, bytes]:
        """Under the lock: what to play next — (_PLAY, its payload), (_RECOVER, the next
        packet) for a gap before a packet that is here, (_CONCEAL, b'') for a gap before
        nothing, (_SILENCE, b'') while prebuffering."""
        if self._next is None:
            return _SILENCE, b""
        if not self._playing:
            if len(self._frames) < self.prebuffer:
                return _SILENCE, b""
            self._playing = True
            while len(self._frames) > self.prebuffer:
                # a backlog (playout started after the packets: the device opening while
                # the peer already sent) is delay kept for the whole call: skip it
                self._drop_oldest()
        if len(self._frames) > self.prebuffer + self.slack:
            self._over += 1
            if self._over >= self.patience:
                # the sender's clock runs ahead of the device: one frame less of delay
                self._over = 0
                self._drop_oldest()
        else:
            self._over = 0
        frame = self._frames.pop(self._next, None)
        if frame is None and not self._frames:
            self._playing = False  # underrun: prebuffer again, still waiting for _next
            self.underruns += 1
            return _SILENCE, b""
        self._next = (self._next + 1) & 0xFFFF
        if frame is not None:
            return _PLAY, frame
        following = self._frames.get(self._next)  # a lost packet: from the next one's FEC
        return (_RECOVER, following) if following is not None else (_CONCEAL, b"")

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._rest = b""
        self._frames.clear()
        self._next = None
        self._playing = False
