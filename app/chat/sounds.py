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
    """The names of the output devices PortAudio sees now (the settings' choices); PortAudio
    is started again first (when nothing plays) so that a device plugged in, or an audio
    server started, since it started is seen."""
    from telephony.media.audio import devices, refresh_devices

    try:
        import sounddevice

        refresh_devices(sounddevice)  # not while a stream is open (a call's, a sound's)
    except (OSError, ImportError) as exc:
        log.info("no PortAudio: %s", exc)
    names: list[str] = []
    for d in devices():
        name = str(d.get("name", ""))
        if int(d.get("max_output_channels", 0)) > 0 and name and name not in names:
            names.append(name)
    return names


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
        from telephony.media import audio

        self._playing = True
        audio._open_streams += 1  # PortAudio is not restarted under it (refresh_devices)
        try:
            await asyncio.to_thread(_play_blocking, samples(name, volume), device or None)
        except Exception as exc:  # PortAudio's errors are plain Exceptions
            self.failed = str(exc) or type(exc).__name__
            log.warning("the alert sound could not be played on %r: %s", device, self.failed)
            return False
        finally:
            self._playing = False
            audio._open_streams -= 1
        self.failed = ""
        self.played += 1
        return True


def _play_blocking(data: Any, device: str | None) -> None:
    import sounddevice

    with sounddevice.OutputStream(
        samplerate=RATE, channels=1, dtype="float32", device=device, latency="high"
    ) as stream:
        stream.write(data.reshape(-1, 1))
        # the stream plays what was written before it is closed (stop() drains the buffer)
