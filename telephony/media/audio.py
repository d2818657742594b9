"""The headset: one full-duplex sounddevice stream, opened at the codec's rate (8 kHz for
G.711, 48 kHz for Opus: the rate of the codec the jitter buffer decodes), mono, 20 ms blocks.

The audio callback is the media clock: each 20 ms block it takes from the microphone is handed
to the loop (`call_soon_threadsafe`, never a wait) to become an RTP packet, and each block it
plays is taken from the jitter buffer; both blocks may be tapped for the call's recording
(telephony/media/recording.py). PortAudio is loaded only when a call needs it; a
machine without it, or without devices, is an `AudioUnavailable`, which the call survives
(signalling goes on, silent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telephony.media.choice import (
    opening,
    portaudio,
    refresh_devices,
    stream_closed,
    stream_opened,
)
from telephony.media.jitter import JitterBuffer

log = logging.getLogger(__name__)


class AudioUnavailable(Exception):
    """PortAudio or the chosen device cannot be used (the reason, for the log)."""


class Headset:
    def __init__(self, microphone: str | None = None, speaker: str | None = None) -> None:
        # the devices' keys (telephony/media/choice.py); None or '': the system's default
        self.microphone = microphone
        self.speaker = speaker
        # PortAudio's buffer: "low" underruns on a loaded machine; 60 ms holds (measured)
        self.latency: float | str = 0.06
        self._stream: Any = None
        self.blocks = 0
        self.status_flags = 0
        self.rate = 0  # of the open stream

    def start(
        self,
        on_mic: Callable[[bytes], None],
        jitter: JitterBuffer,
        tap: Callable[[bytes, bytes], None] | None = None,
    ) -> None:
        """Run the stream: each microphone block to `on_mic` (on the loop), each speaker block
        from `jitter`; `tap(microphone, speaker)` gets both blocks on the audio thread (the
        call's recording: it must not wait). The device runs at the rate of the codec that
        `jitter` decodes."""
        loop = asyncio.get_running_loop()
        codec = jitter.codec
        self.rate = codec.rate
        try:
            sounddevice = portaudio()
        except (OSError, ImportError) as exc:
            raise AudioUnavailable(f"PortAudio: {exc}") from exc

        def callback(indata: Any, outdata: Any, frames: int, _time: Any, status: Any) -> None:
            if status:
                self.status_flags += 1
            self.blocks += 1
            mic = bytes(indata)
            loop.call_soon_threadsafe(on_mic, mic)
            out = b"".join(jitter.pop() for _ in range(max(1, frames // codec.frame)))
            out = out[: len(outdata)].ljust(len(outdata), b"\x00")
            outdata[:] = out
            if tap is not None:
                tap(mic, out)

        try:
            refresh_devices(sounddevice)
            with opening(self.microphone or "", self.speaker or "") as device:
                self._stream = sounddevice.RawStream(
                    samplerate=codec.rate,
                    blocksize=codec.frame,
                    channels=1,
                    dtype="int16",
                    device=device,
                    callback=callback,
                    latency=self.latency,
                )
            self._stream.start()
            stream_opened()
        except Exception as exc:
            self._stream = None
            raise AudioUnavailable(str(exc)) from exc

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream_closed()
            try:
                stream.stop()
                stream.close()
            except Exception:
                log.info("the audio stream was already gone")
