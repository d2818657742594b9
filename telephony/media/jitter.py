"""The receive buffer between the network (the event loop) and the speaker (the audio thread).

- a short prebuffer (`prebuffer` frames of 20 ms) before playout starts and after an underrun;
- drift compensation: the device and the sender clocks differ (981 vs 1002 frames in 20 s
  measured here), so when more than `prebuffer + slack` frames have waited for `patience`
  playouts in a row (a sustained excess, not a burst), one frame is dropped; a hard cap
  (`limit`) bounds the delay whatever happens;
- packets are ordered by RTP sequence; late ones (behind playout) are dropped;
- `push` (loop thread) and `pop` (audio thread) share one lock held for O(1) work only:
  the audio thread never waits on the loop.
"""

from __future__ import annotations

import threading

FRAME = 160  # samples of 20 ms at 8 kHz


class JitterBuffer:
    def __init__(
        self, prebuffer: int = 3, slack: int = 4, patience: int = 50, limit: int = 25
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
        self.silence = b"\x00\x00" * FRAME

    def push(self, seq: int, pcm: bytes) -> None:
        with self._lock:
            if self._next is not None and ((seq - self._next) & 0xFFFF) > 0x8000:
                self.dropped += 1  # late: already played past it
                return
            self._frames[seq] = pcm
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
        with self._lock:
            if self._next is None:
                return self.silence
            if not self._playing:
                if len(self._frames) < self.prebuffer:
                    return self.silence
                self._playing = True
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
                return self.silence
            self._next = (self._next + 1) & 0xFFFF
            return frame if frame is not None else self.silence  # a lost frame: silence

    def reset(self) -> None:
        with self._lock:
            self._frames.clear()
            self._next = None
            self._playing = False
