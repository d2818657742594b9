"""The alert sound: played to the output device chosen in the settings, at its volume.

The sounds are synthesised (a few decaying sine partials, numpy), so nothing is shipped or
decoded; PortAudio through sounddevice plays them, as it plays the headset's audio
(telephony/media/audio.py). A play opens its own output stream in a worker thread and
closes it when the sound has ended: the asyncio loop never waits for the device, and a
call's headset stream is not touched. A machine without PortAudio or without the device is
a failed play — logged and counted, never raised (an alert is never lost for its sound).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from app.store.settings import SOUNDS

log = logging.getLogger("linedesk.chat.sounds")

RATE = 48_000
# (frequency Hz, start s, length s, level) of each partial
_NOTES: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "chime": ((880.0, 0.0, 0.45, 0.6), (1318.5, 0.12, 0.5, 0.45)),
    "bell": ((659.3, 0.0, 0.9, 0.55), (1318.5, 0.0, 0.6, 0.25), (1975.5, 0.0, 0.35, 0.12)),
    "knock": ((196.0, 0.0, 0.09, 0.9), (196.0, 0.16, 0.09, 0.9)),
}
assert set(_NOTES) == set(SOUNDS)


def samples(name: str, volume: int) -> Any:
    """The sound `name` (one of SOUNDS) as mono float32 samples at RATE, scaled to
    `volume` percent."""
    import numpy as np

    notes = _NOTES.get(name, _NOTES["chime"])
    length = max(start + span for _f, start, span, _l in notes) + 0.05
    out = np.zeros(int(length * RATE), dtype=np.float32)
    for freq, start, span, level in notes:
        t = np.arange(int(span * RATE), dtype=np.float32) / RATE
        tone = level * np.sin(2 * np.pi * freq * t) * np.exp(-5.0 * t / span)
        tone[: int(0.004 * RATE)] *= np.linspace(0, 1, int(0.004 * RATE))  # no click
        first = int(start * RATE)
        out[first : first + len(tone)] += tone
    peak = float(np.max(np.abs(out))) or 1.0
    gain = max(0, min(100, volume)) / 100
    return (out / peak * 0.8 * gain).astype(np.float32)


def output_devices() -> list[str]:
    """The keys of the output devices there now (the settings' choices, as the calls'
    devices are chosen: telephony/media/choice.py — PipeWire's sinks, or PortAudio's
    devices, PortAudio started again first when nothing plays so that a device plugged in
    since it started is seen)."""
    from telephony.media.choice import listed

    return [d.key for d in listed() if d.output]


class AlertSound:
    """Plays alert sounds, one at a time (a sound asked for while one plays is skipped:
    alerts in a burst make one sound, not a queue of them)."""

    def __init__(self) -> None:
        self.played = 0  # sounds that reached the device (diagnostics, tests)
        self.failed = ""  # why the last play failed ("": it did not)
        self._playing = False

    async def play(self, name: str, device: str, volume: int) -> bool:
        """Play `name` on `device` ('' = the default output); False when it could not be."""
        if self._playing or volume <= 0:
            return False
        from telephony.media import choice

        self._playing = True
        with contextlib.suppress(OSError, ImportError):  # (said by the play)
            choice.started()  # PortAudio lists the device choice (not restarted off this thread)
        choice.stream_opened()  # PortAudio is not restarted under it (refresh_devices)
        try:
            await asyncio.to_thread(_play_blocking, samples(name, volume), device or None)
        except Exception as exc:  # PortAudio's errors are plain Exceptions
            self.failed = str(exc) or type(exc).__name__
            log.warning("the alert sound could not be played on %r: %s", device, self.failed)
            return False
        finally:
            self._playing = False
            choice.stream_closed()
        self.failed = ""
        self.played += 1
        return True


def _play_blocking(data: Any, device: str | None) -> None:
    from telephony.media.choice import opening, portaudio

    sounddevice = portaudio()
    with opening(speaker=device or "") as (_mic, output):
        stream = sounddevice.OutputStream(
            samplerate=RATE, channels=1, dtype="float32", device=output, latency="high"
        )
    with stream:
        stream.write(data.reshape(-1, 1))
        # the stream plays what was written before it is closed (stop() drains the buffer)
