"""The ringtone: an incoming call rings on the ringer device (the computer's speakers, heard
with the headset off) and in the headset when they differ; a call arriving during a call
(call waiting) gets a soft tone in the headset only.

The tones are synthesised (numpy, as the chat's alert sounds: app/chat/sounds.py) and played
by PortAudio through sounddevice, each device by an output stream of its own in a worker
thread: the asyncio loop never waits for a device. A `Ringer` follows the calls it is given:
while one of them rings it plays, and it stops at once when none does (answered, declined,
cancelled by the caller, taken elsewhere — a CANCEL too): the stream is aborted (what PortAudio
holds is dropped, not played out) and closed. The headset's own stream (telephony/media/audio.py)
is opened on its own: both are streams of the audio server, which mixes them; PortAudio is not
restarted while a ring plays (`choice.refresh_devices`). Do not disturb (`quiet`): nothing rings.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telephony.media import choice
from telephony.problems import CallState

if TYPE_CHECKING:
    from telephony.call import Call

log = logging.getLogger(__name__)
RATE = 48_000
RING_HZ = 800.0  # the ring's fundamental (tests look for it); a partial at 1.5× brightens it
WAITING_HZ = 440.0  # the call-waiting tone (ITU-T E.180's 425–450 Hz)


def ring_pattern(level: float = 0.6) -> Any:
    """One ring cycle as float32 samples at RATE: two 0.4 s bursts 0.2 s apart, then 2 s of
    silence (3 s in all), tremolo at 20 Hz as a bell's clapper."""
    import numpy as np

    cycle = np.zeros(int(3.0 * RATE), dtype=np.float32)
    t = np.arange(int(0.4 * RATE), dtype=np.float32) / RATE
    burst = np.sin(2 * np.pi * RING_HZ * t) + 0.4 * np.sin(2 * np.pi * RING_HZ * 1.5 * t)
    burst *= 0.75 + 0.25 * np.sin(2 * np.pi * 20 * t)
    ramp = int(0.01 * RATE)  # no clicks
    burst[:ramp] *= np.linspace(0, 1, ramp)
    burst[-ramp:] *= np.linspace(1, 0, ramp)
    burst *= level / float(np.max(np.abs(burst)))
    for start in (0.0, 0.6):
        first = int(start * RATE)
        cycle[first : first + len(burst)] = burst
    return cycle


def waiting_pattern(level: float = 0.15) -> Any:
    """Call waiting: a soft 0.3 s tone every 3 s."""
    import numpy as np

    cycle = np.zeros(int(3.0 * RATE), dtype=np.float32)
    t = np.arange(int(0.3 * RATE), dtype=np.float32) / RATE
    tone = level * np.sin(2 * np.pi * WAITING_HZ * t)
    ramp = int(0.01 * RATE)
    tone[:ramp] *= np.linspace(0, 1, ramp)
    tone[-ramp:] *= np.linspace(1, 0, ramp)
    cycle[: len(tone)] = tone
    return cycle


class Tone:
    """`samples` looped on one device (its key; '' = the default) in a worker thread until
    `stop()`, or played once (`once`); `closed` is done (on the loop) when its stream is closed."""

    def __init__(self, samples: Any, device: str, once: bool = False) -> None:
        self.samples, self.device, self.once = samples, device, once
        self.failed = ""  # why it could not play ('': it did, or does)
        self.closed = asyncio.get_running_loop().create_future()  # its stream is closed
        self._stop = threading.Event()
        self._loop = asyncio.get_running_loop()
        try:
            choice.started()  # PortAudio lists the device choice (not restarted off this thread)
        except (OSError, ImportError) as exc:
            self.failed = f"PortAudio: {exc}"
        choice.stream_opened()  # PortAudio is not restarted under it (refresh_devices)
        self._thread = threading.Thread(target=self._run, name="ringtone", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            self._play()
        except Exception as exc:  # PortAudio's errors are plain Exceptions
            self.failed = str(exc) or type(exc).__name__
            log.warning("the ringtone could not be played on %r: %s", self.device, self.failed)
        finally:
            self._loop.call_soon_threadsafe(self._closed)

    def _closed(self) -> None:
        choice.stream_closed()
        if not self.closed.done():
            self.closed.set_result(not self.failed)

    def _play(self) -> None:
        sounddevice = choice.portaudio()
        data, at, ended = self.samples, 0, threading.Event()

        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            nonlocal at
            out = outdata[:, 0]
            filled = 0
            while filled < frames:
                if self.once and at >= len(data):
                    out[filled:] = 0
                    ended.set()
                    raise sounddevice.CallbackStop
                take = min(frames - filled, len(data) - at % len(data))
                start = at % len(data)
                out[filled : filled + take] = data[start : start + take]
                filled, at = filled + take, at + take

        with choice.opening(speaker=self.device) as (_mic, device):
            stream = sounddevice.OutputStream(
                samplerate=RATE,
                channels=1,
                dtype="float32",
                device=device,
                callback=callback,
                finished_callback=ended.set,
                latency=0.1,
            )
        try:
            stream.start()
            while not self._stop.wait(0.05) and not ended.is_set():
                pass
        finally:
            stream.abort()  # at once: what PortAudio holds is dropped
            stream.close()


class Ringer:
    """Rings while a call it follows rings. `devices()` says (the ringer's device, the
    headset speaker's), each a key or '' for the default, read at each ring (a change in the
    settings applies to the next ring at once); `quiet()`: Do not disturb."""

    def __init__(
        self, devices: Callable[[], tuple[str, str]], quiet: Callable[[], bool] = lambda: False
    ) -> None:
        self.devices = devices
        self.quiet = quiet
        self.tones: list[Tone] = []
        self.sound = ""  # what plays now: "ring", "waiting" or ""
        self._ringing: dict[str, bool] = {}  # call id → it rings as call waiting

    def follow(self, call: Call) -> None:
        """An incoming call: ring while it rings (softly in the headset during a call)."""
        if call.direction != "in" or call.state is not CallState.RINGING:
            return
        others = [c for c in call.ua.calls.values() if c is not call]
        waiting = any(c.state is CallState.CONNECTED for c in others)
        self._ringing[call.call_id] = waiting
        call.listeners.append(self._changed)
        self._update()

    def _changed(self, call: Call) -> None:
        if call.state is not CallState.RINGING and call.call_id in self._ringing:
            del self._ringing[call.call_id]
            self._update()

    def _update(self) -> None:
        want = ""
        if self._ringing and not self.quiet():
            want = "waiting" if all(self._ringing.values()) else "ring"
        if want == self.sound:
            return
        self.stop()
        self.sound = want
        ringer, speaker = self.devices()
        if want == "ring":
            self.tones.append(Tone(ring_pattern(), ringer))
            if speaker != ringer:
                self.tones.append(Tone(ring_pattern(0.3), speaker))
        elif want == "waiting":
            self.tones.append(Tone(waiting_pattern(), speaker))

    def stop(self) -> None:
        """Silence now (the streams close in their threads: `Tone.closed`)."""
        for tone in self.tones:
            tone.stop()
        self.tones.clear()
        self.sound = ""

    def close(self) -> None:
        self._ringing.clear()
        self.stop()


async def play_once(device: str) -> str:
    """One ring cycle on `device` (the settings' Test button): '' when it played, else why not."""
    tone = Tone(ring_pattern(), device, once=True)
    await tone.closed
    return tone.failed
