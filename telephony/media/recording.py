"""A call's recording: both directions into an Ogg Opus file, encoded off the audio thread.

The audio callback hands each block — what the microphone sent (silence while muted or
held) and what the speaker played — to `Recording.feed`, which only puts it on a queue: it
never waits and never encodes. A thread of the recording drains the queue and streams the
encoding into the file (libsndfile's Ogg Opus through `soundfile`), so memory stays a few
blocks however long the call; an encoder that falls `BACKLOG` blocks behind loses blocks
(counted in `dropped`), the call never waits for it. Two channels at the device's rate (the
codec's: 8 kHz for G.711, 48 kHz for Opus): the specialist on the left, the other side on
the right, aligned as the device played them.

`finish()` (when the call ends) lets the thread write what is queued and close the file;
`done` is then the file's path, or None when nothing was recorded or the encoder failed
(the file is removed then). No recording is made without `soundfile` or without Ogg Opus
in its libsndfile (`start` raises `RecordingUnavailable`; the call goes on unrecorded).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import secrets
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
RATE = 8000
BACKLOG = 500  # blocks (10 s of 20 ms blocks) queued at most for the encoder
# libsndfile's Opus bitrate from its compression level: 0.97 is ≈ 28 kbit/s for the two
# channels, ≈ 210 kB a minute (measured: 0.96 → 33, 0.98 → 23, default → 41 kbit/s)
COMPRESSION = 0.97
SUFFIX = ".opus"


class RecordingUnavailable(Exception):
    """soundfile, libsndfile or its Ogg Opus cannot be used here (the reason, for the log)."""


class Recording:
    def __init__(self, path: Path, rate: int = RATE) -> None:
        self.path = path
        self.rate = rate
        self.frames = 0  # written, per channel
        self.dropped = 0  # blocks lost because the encoder was behind
        self.done: asyncio.Future[Path | None] | None = None
        self._queue: queue.SimpleQueue[tuple[bytes, bytes] | None] = queue.SimpleQueue()
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    def start(self) -> None:
        """Open the file and the encoder thread (on the event loop's thread)."""
        loop = asyncio.get_running_loop()
        self.done = loop.create_future()
        try:
            import soundfile

            self.path.parent.mkdir(parents=True, exist_ok=True)
            sink = soundfile.SoundFile(
                self.path,
                "w",
                self.rate,
                2,
                subtype="OPUS",
                format="OGG",
                compression_level=COMPRESSION,
            )
        except Exception as exc:  # ImportError, OSError, soundfile's LibsndfileError
            self.done.set_result(None)
            raise RecordingUnavailable(f"{type(exc).__name__}: {exc}") from exc
        self._thread = threading.Thread(
            target=self._encode, args=(sink, loop, self.done), name="call recording", daemon=True
        )
        self._thread.start()

    def feed(self, sent: bytes, heard: bytes) -> None:
        """One block of each direction (16-bit mono PCM; b"" is silence). On the audio
        thread: never waits."""
        if self._closed or self._thread is None:
            return
        if self._queue.qsize() >= BACKLOG:
            self.dropped += 1
            return
        self._queue.put_nowait((sent, heard))

    def finish(self) -> None:
        """No more blocks: the thread writes what is queued and closes the file."""
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(None)

    def _encode(
        self, sink: Any, loop: asyncio.AbstractEventLoop, done: asyncio.Future[Path | None]
    ) -> None:
        import numpy as np

        result: Path | None = self.path
        try:
            with sink:
                while (block := self._queue.get()) is not None:
                    sent, heard = block
                    frames = max(len(sent), len(heard)) // 2
                    both = np.zeros((frames, 2), dtype=np.int16)
                    for channel, pcm in enumerate((sent, heard)):
                        samples = np.frombuffer(pcm[: frames * 2], dtype="<i2")
                        both[: len(samples), channel] = samples
                    sink.write(both)
                    self.frames += frames
        except Exception:
            log.exception("the recording %s failed", self.path.name)
            result = None
        if self.frames == 0:
            result = None
        if result is None:
            self.path.unlink(missing_ok=True)
        else:
            log.info(
                "recorded %.1f s into %s (%d bytes, %d blocks dropped)",
                self.seconds,
                self.path.name,
                self.path.stat().st_size,
                self.dropped,
            )
        with contextlib.suppress(RuntimeError):  # the loop is gone (the program closed)
            loop.call_soon_threadsafe(_settle, done, result)


def _settle(done: asyncio.Future[Path | None], result: Path | None) -> None:
    if not done.done():
        done.set_result(result)


def begin(directory: Path | None, rate: int = RATE) -> Recording | None:
    """A recording of a new call in `directory` (None: calls are not recorded), started; None
    when it cannot be made here (logged)."""
    if directory is None:
        return None
    recording = Recording(directory / f"call-{secrets.token_hex(8)}{SUFFIX}", rate)
    try:
        recording.start()
    except RecordingUnavailable as exc:
        log.warning("the call is not recorded: %s", exc)
        return None
    return recording
