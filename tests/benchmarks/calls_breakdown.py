"""Where a call's round trip goes (issue 10; a diagnosis, not a figure of `make bench`):
`python -m tests.benchmarks.calls_breakdown [PCMU|opus]` (`LINEDESK_BREAKDOWN_LATENCY=0.04`,
or `low`, or `IN,OUT`: another PortAudio buffer than the Headset's).

The bench's own round trip (tests/benchmarks/bench_calls.py: the fake microphone → our UA →
baresip's echo → our UA → the fake speaker, both ends recorded sample-aligned by one
PipeWire probe), with timestamps taken in this process on one clock (`time.monotonic`):

- the audio callback: when it runs, and PortAudio's own times for the block (how long ago
  its first microphone sample was captured, how long until its first speaker sample is
  played: `inputBufferAdcTime`, `outputBufferDacTime` against `currentTime`);
- the microphone block handed to the loop → its RTP packet sent (`RtpStream.send_frame`);
- our packet sent → the same audio back from the echo (the streams matched by
  cross-correlation of what was sent with what came back);
- a packet received → its turn in the jitter buffer (the callback that plays it), and how
  many frames waited then.

What PortAudio does not see — PipeWire's graph before and after the ALSA plugin, the
feeder and the probe — is the rest: the probe's round trip less the parts above.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from tests.benchmarks import bench_calls
from tests.benchmarks.common import note


class _Trace:
    def __init__(self) -> None:
        self.callbacks: list[tuple[float, float, float]] = []  # (at, in ago, out ahead)
        self.sent: list[tuple[float, bytes]] = []  # (at, pcm) of each frame sent
        self.received: dict[int, float] = {}  # seq → when it came
        self.payloads: list[tuple[float, int, bytes]] = []
        self.played: list[tuple[float, int, int]] = []  # (at, seq, frames waiting)


TRACE = _Trace()
STATUS = [0]
KINDS: collections.Counter[str] = collections.Counter()


def _instrument() -> None:
    """Wrap the seams (this diagnosis only: the product code is not changed)."""
    from telephony.media import audio, jitter, rtp

    real_portaudio = audio.portaudio

    def portaudio() -> Any:
        sounddevice = real_portaudio()

        class Proxy:
            def __getattr__(self, name: str) -> Any:
                return getattr(sounddevice, name)

            def RawStream(self, *args: Any, callback: Any, **kwargs: Any) -> Any:
                def traced(indata: Any, outdata: Any, frames: int, t: Any, status: Any) -> None:
                    STATUS[0] += bool(status)
                    if status:
                        KINDS.update(
                            name
                            for name in (
                                "input_underflow",
                                "input_overflow",
                                "output_underflow",
                                "output_overflow",
                                "priming_output",
                            )
                            if getattr(status, name)
                        )
                        at = len(TRACE.callbacks)
                        note(f"status flags at block {at}: {status}")
                    TRACE.callbacks.append(
                        (
                            time.monotonic(),
                            t.currentTime - t.inputBufferAdcTime,
                            t.outputBufferDacTime - t.currentTime,
                        )
                    )
                    callback(indata, outdata, frames, t, status)

                stream = sounddevice.RawStream(*args, callback=traced, **kwargs)
                note(f"PortAudio's stream latency (in, out): {stream.latency}")
                return stream

        return Proxy()

    audio.portaudio = portaudio  # type: ignore[assignment]

    latency = os.environ.get("LINEDESK_BREAKDOWN_LATENCY")  # to try another PortAudio buffer
    if latency:
        real_init = audio.Headset.__init__
        value: Any = latency if latency in ("low", "high") else float(latency)
        if "," in latency:
            value = tuple(float(x) for x in latency.split(","))

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            real_init(self, *args, **kwargs)
            self.latency = value

        audio.Headset.__init__ = init  # type: ignore[method-assign]

    real_send = rtp.RtpStream.send_frame

    def send_frame(self: Any, pcm: bytes) -> None:
        real_send(self, pcm)
        TRACE.sent.append((time.monotonic(), pcm))

    rtp.RtpStream.send_frame = send_frame  # type: ignore[method-assign]

    real_received = rtp.RtpStream.datagram_received

    def datagram_received(self: Any, data: bytes, addr: tuple[str, int]) -> None:
        now = time.monotonic()
        if len(data) > 12 and data[1] & 0x7F == self.payload_type:
            seq = int.from_bytes(data[2:4], "big")
            TRACE.received[seq] = now
            TRACE.payloads.append((now, seq, data[12:]))
        real_received(self, data, addr)

    rtp.RtpStream.datagram_received = datagram_received  # type: ignore[method-assign]

    real_take = jitter.JitterBuffer._take

    def take(self: Any) -> tuple[int, bytes]:
        seq, waiting = self._next, len(self._frames)
        kind, payload = real_take(self)
        if kind != 0 and seq is not None:  # not silence
            TRACE.played.append((time.monotonic(), self._next - 1 & 0xFFFF, waiting))
        return kind, payload

    jitter.JitterBuffer._take = take  # type: ignore[method-assign]


def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    q = np.percentile(values, [5, 50, 95])
    return f"{1000 * q[1]:.1f} ms (p5 {1000 * q[0]:.1f}, p95 {1000 * q[2]:.1f}; n={len(values)})"


def _echo_delay(codec_name: str) -> list[float]:
    """For each frame sent, when the same audio came back (streams matched by correlation)."""
    from telephony.media.codecs import by_name

    codec = by_name(codec_name, 48_000 if codec_name == "opus" else 8000)
    assert codec is not None
    decoder = codec.decoder()
    sent = np.frombuffer(b"".join(p for _, p in TRACE.sent), "<i2").astype(float)
    back = [(at, np.frombuffer(decoder.decode(p), "<i2")) for at, _, p in TRACE.payloads]
    got = np.concatenate([b for _, b in back]).astype(float)
    n = codec.frame
    loud = np.std(sent)
    out = []
    # each spoken 200 ms of what was sent, found in what came back (within 1 s after)
    for start in range(0, len(sent) - 10 * n, 10 * n):
        part = sent[start : start + 10 * n]
        if np.std(part) < loud / 3:
            continue
        window = got[start : start + 10 * n + 50 * n]
        if len(window) < len(part):
            break
        xc = np.correlate(window - window.mean(), part - part.mean(), "valid")
        lag = int(np.argmax(xc))
        if xc[lag] / (np.std(part) * np.std(window) * len(part) + 1e-9) < 0.5:
            continue
        sent_at = TRACE.sent[start // n][0]
        index = (start + lag) // n  # the received frame holding it (in arrival order)
        if index < len(back):
            out.append(back[index][0] - sent_at - (start + lag - index * n) / codec.rate)
    return out


async def _run(codec: str) -> None:
    from tests.telephony.headset import running

    _instrument()
    codecs = bench_calls.OPUS_FIRST if codec == "opus" else "PCMU"
    with tempfile.TemporaryDirectory(prefix="calls-breakdown-") as tmp:
        work = Path(tmp)
        prompt = bench_calls._speech(work)["prompt"]
        with running(work / "run") as headset:
            total, _cpu = await bench_calls._round_trip(headset, work, prompt, "linedesk", codecs)
    calls = TRACE.callbacks
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(calls)]
    # one frame sent for each callback, in order
    to_send = [at - handed for (at, _), (handed, _, _) in zip(TRACE.sent, calls, strict=False)]
    waits = [at - TRACE.received[seq] for at, seq, _ in TRACE.played if seq in TRACE.received]
    depth = [w for _, _, w in TRACE.played]
    inputs = [c[1] for c in calls[50:]]
    outputs = [c[2] for c in calls[50:]]
    echo = _echo_delay(codec)
    rows = {
        "the round trip (probe)": f"{total:.1f} ms",
        "blocks with PortAudio's status flags (under/overflow)": f"{STATUS[0]} {dict(KINDS)}",
        "callback period": _ms(gaps),
        "microphone: capture → callback (PortAudio's inputBufferAdcTime)": _ms(inputs),
        "microphone block → RTP sent (the loop's hop, encoding)": _ms(to_send),
        "RTP sent → the same audio back (baresip's echo)": _ms(echo),
        "RTP received → its callback (the jitter buffer)": _ms(waits),
        "frames waiting at each play (the one played included)": (
            f"median {statistics.median(depth)}, p5 {np.percentile(depth, 5):.0f}, min {min(depth)}"
            if depth
            else "—"
        ),
        "speaker: callback → played (PortAudio's outputBufferDacTime)": _ms(outputs),
    }
    parts = [statistics.median(v) for v in (inputs, to_send, echo, waits, outputs) if v]
    rows["the rest (PipeWire's graph around the ALSA plugin, probe, feeder)"] = (
        f"{total - 1000 * sum(parts):.1f} ms"
    )
    if echo:
        rows["ours: the round trip less the echo"] = (
            f"{total - 1000 * statistics.median(echo):.1f} ms"
        )
    for name, value in rows.items():
        print(f"| {name} | {value} |", flush=True)


def main() -> None:
    asyncio.run(_run(sys.argv[1] if len(sys.argv) > 1 else "PCMU"))


if __name__ == "__main__":
    main()
