"""The ringtone and the devices chosen in the settings, against the real fake headset.

The fake headset is PipeWire null devices (tests/telephony/headset.py) beside a second pair
standing for the computer's speakers and microphone (tests/telephony/test_unplug.py). What
a sink plays is recorded from its monitor (pw-record, another process: its file is polled,
bounded); a microphone is fed a tone by pw-play linked to it. The settings are a real
Settings file and the devices are wired as the window wires them (app/calls/audio.py).
"""

from __future__ import annotations

import asyncio
import signal
import time
import types
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from app.calls.audio import attach
from app.store.settings import Settings
from contract.types import Status
from telephony.call import Call
from telephony.media.audio import Headset
from telephony.media.ringer import RING_HZ, Ringer
from telephony.problems import CallState, EndReason
from telephony.sip.ua import UserAgent
from tests.telephony.headset import FakeHeadset
from tests.telephony.peers import Peer, heard_by_baresip, need, start_baresip
from tests.telephony.test_unplug import headset

pytestmark = pytest.mark.telephony
__all__ = ["headset"]  # the fixture used here
LIMIT = 60  # an upper bound for each awaited event on a loaded machine
RATE = 16_000  # what the recorders write


async def _until(condition: Callable[[], bool]) -> None:
    """Another process's state (a recorder's file, PipeWire's graph), polled: no event reaches
    this process for it; LIMIT is an upper bound, not an expected time."""
    async with asyncio.timeout(LIMIT):
        while not condition():  # noqa: ASYNC110 - another process's state
            await asyncio.sleep(0.05)


async def _watches_ended() -> None:
    """A call's device watch is cancelled when the call ends and then stops its pw-dump
    monitor (kill, drain, reap): awaited, so the test's loop does not close under it."""
    watches = [t for t in asyncio.all_tasks() if t.get_name() == "audio devices"]
    async with asyncio.timeout(LIMIT):
        await asyncio.gather(*watches, return_exceptions=True)


def recorded(path: Path) -> np.ndarray:
    """What a recorder has written so far (its header is finished only when it stops)."""
    raw = path.read_bytes()[44:] if path.exists() else b""
    return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64)


def level_at(samples: np.ndarray, hz: float, rate: int = RATE) -> float:
    """The amplitude of `hz` in `samples` (a Hann-windowed DFT bin, ±15 Hz)."""
    if len(samples) < rate // 10:
        return 0.0
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    band = (freqs > hz - 15) & (freqs < hz + 15)
    return float(spectrum[band].max() * 4 / len(samples))


@contextmanager
def recording(fake: FakeHeadset, sink: str, path: Path) -> Iterator[None]:
    name = f"rec_{sink}"
    recorder = Peer(
        "pw-record",
        [
            need("pw-record"),
            "--target",
            sink,
            "-P",
            f"{{ stream.capture.sink=true node.name={name} }}",
            *("--rate", str(RATE), "--channels", "1", "--format", "s16", str(path)),
        ],
        path.parent,
        path.with_suffix(".log"),
        env=fake.env,
    )
    try:
        deadline = time.monotonic() + LIMIT
        while name not in fake.nodes():
            assert time.monotonic() < deadline, recorder.output()
            time.sleep(0.05)
        yield
    finally:
        if recorder.process.poll() is None:
            recorder.process.send_signal(signal.SIGINT)
            recorder.wait(10)
        recorder.stop()


def tone_wav(path: Path, hz: float, seconds: float = 60.0) -> Path:
    t = np.arange(int(seconds * 8000)) / 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes((0.5 * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes())
    return path


def feed(fake: FakeHeadset, source: str, wav: Path) -> Peer:
    """pw-play `wav` into the virtual microphone `source`."""
    name = f"feed_{source}"
    player = Peer(
        "pw-play",
        [need("pw-play"), "-P", f"{{ node.name={name} node.autoconnect=false }}", str(wav)],
        wav.parent,
        wav.with_suffix(f".{source}.log"),
        env=fake.env,
    )
    deadline = time.monotonic() + LIMIT
    while f"{name}:output_MONO" not in fake.run(["pw-link", "-o"]):
        assert time.monotonic() < deadline, player.output()
        time.sleep(0.05)
    fake.run(["pw-link", f"{name}:output_MONO", f"{source}:input_MONO"])
    return player


def core_with(tmp_path: Path, status: Status = Status.FREE, **chosen: str) -> types.SimpleNamespace:
    settings = Settings(tmp_path / "settings.json")
    for key, value in chosen.items():
        setattr(settings, key, value)
    return types.SimpleNamespace(settings=settings, status=status)


async def _incoming_from_baresip(
    tmp_path: Path, agent: UserAgent, core: types.SimpleNamespace, speech: dict[str, Path]
) -> tuple[Peer, Call, Ringer]:
    """baresip calls `agent`, wired to `core`'s settings as the window wires it."""
    rang: asyncio.Queue[Call] = asyncio.Queue()
    agent.on_incoming = rang.put_nowait
    ringer = attach(agent, core)
    port = agent.endpoint.local[1]
    bob, _port = start_baresip(
        tmp_path / "bob", speech["bob-long"], commands=(f"/dial sip:alice@127.0.0.1:{port}",)
    )
    async with asyncio.timeout(LIMIT):
        call = await rang.get()
    return bob, call, ringer


async def test_a_call_rings_on_the_chosen_ringer_and_stops_on_answer(
    tmp_path: Path, headset: FakeHeadset, speech: dict[str, Path]
) -> None:
    core = core_with(tmp_path, ringer_device="speakers", call_speaker="headset_spk")
    agent = UserAgent(headset_factory=Headset)
    await agent.start()
    heard = tmp_path / "speakers.wav"
    bob: Peer | None = None
    try:
        with recording(headset, "speakers", heard):
            bob, call, ringer = await _incoming_from_baresip(tmp_path, agent, core, speech)
            assert call.state is CallState.RINGING and ringer.sound == "ring"
            # on the ringer's device, and in the headset (a device of its own)
            assert [t.device for t in ringer.tones] == ["speakers", "headset_spk"]
            tones = list(ringer.tones)
            # heard on the chosen sink: the ring's frequency in what it played
            await _until(lambda: level_at(recorded(heard)[-RATE // 5 :], RING_HZ) > 3000)
            started = time.monotonic()
            await call.answer()
            assert ringer.sound == "" and ringer.tones == []
            async with asyncio.timeout(LIMIT):
                closed = await asyncio.gather(*(t.closed for t in tones))
            print(f"the ring's streams closed {time.monotonic() - started:.3f} s after answer")
            assert closed == [True, True], [t.failed for t in tones]
            # silent from then on: more than a whole ring cycle (3 s) without the ring (0.3 s
            # allowed for what the recorder had not written yet when the streams closed)
            stopped = len(recorded(heard))
            await _until(lambda: len(recorded(heard)) > stopped + int(3.6 * RATE))
            after = recorded(heard)[stopped + int(0.3 * RATE) :]
            assert level_at(after, RING_HZ) < 50 and np.abs(after).max() < 300
        # the call's audio flows both ways through the headset opened after the ring
        assert call.state is CallState.CONNECTED and call.headset is not None
        assert call.audio_problem is None
        blocks, sent, received = call.headset.blocks, call.rtp.sent, call.rtp.received
        await _until(
            lambda: (
                call.headset is not None
                and call.headset.blocks > blocks + 50
                and call.rtp.sent > sent + 50
                and call.rtp.received > received + 50
            )
        )
        links = headset.run(["pw-link", "-l"])
        assert "headset_spk:playback_MONO" in links and "headset_mic:capture_MONO" in links
        await call.hang_up()
        assert call.status == 200
    finally:
        await agent.stop()
        await _watches_ended()
        if bob is not None:
            bob.stop()


async def test_do_not_disturb_rings_nothing(
    tmp_path: Path, headset: FakeHeadset, speech: dict[str, Path]
) -> None:
    """In Do not disturb a call is not offered: answered 480 Temporarily Unavailable (a PBX
    may try someone else), ended as missed; the window never sees it and nothing rings."""
    agent = UserAgent(headset_factory=Headset)
    await agent.start()
    bob: Peer | None = None
    try:
        core = core_with(tmp_path, Status.DND)
        offered: list[Call] = []
        agent.on_incoming = offered.append  # the window's
        ringer = attach(agent, core)
        came: asyncio.Queue[Call] = asyncio.Queue()
        wired = agent.on_incoming
        assert wired is not None

        def arriving(call: Call) -> None:  # before Do not disturb is asked
            came.put_nowait(call)
            wired(call)

        agent.on_incoming = arriving
        port = agent.endpoint.local[1]
        bob, _port = start_baresip(
            tmp_path / "bob", speech["bob-long"], commands=(f"/dial sip:alice@127.0.0.1:{port}",)
        )
        async with asyncio.timeout(LIMIT):
            call = await came.get()
            await call.wait_state(CallState.ENDED)
        assert (call.status, call.reason) == (480, EndReason.MISSED)
        assert offered == [] and ringer.sound == "" and ringer.tones == []
    finally:
        await agent.stop()
        await _watches_ended()
        if bob is not None:
            bob.stop()


async def test_the_call_uses_the_chosen_microphone(
    tmp_path: Path, headset: FakeHeadset, speech: dict[str, Path]
) -> None:
    """The chosen microphone (the built-in one) is fed 1 kHz, the default one (the headset's)
    600 Hz: the peer hears 1 kHz only. The chosen speaker is not plugged in: the default
    (the headset's) plays the call."""
    core = core_with(tmp_path, call_microphone="builtin_mic", call_speaker="gone_speaker")
    chosen = feed(headset, "builtin_mic", tone_wav(tmp_path / "khz.wav", 1000.0))
    default = feed(headset, "headset_mic", tone_wav(tmp_path / "600.wav", 600.0))
    bob, port = start_baresip(tmp_path / "bob", speech["bob-call"])
    agent = UserAgent(headset_factory=Headset)
    attach(agent, core)
    await agent.start()
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        links = ""

        def on_builtin_mic() -> bool:
            nonlocal links
            links = headset.run(["pw-link", "-l"])
            return "builtin_mic:capture_MONO" in links and "headset_spk:playback_MONO" in links

        await _until(on_builtin_mic)
        await _until(lambda: call.rtp.sent > 150)  # 3 s of the microphone sent
        await call.hang_up()
    finally:
        await agent.stop()
        await _watches_ended()
        chosen.stop()
        default.stop()
    await _until(lambda: heard_by_baresip(tmp_path / "bob") is not None)
    bob.stop()
    dump = heard_by_baresip(tmp_path / "bob")
    assert dump is not None
    with wave.open(str(dump)) as w:
        rate = w.getframerate()
        heard = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    khz, other = level_at(heard, 1000.0, rate), level_at(heard, 600.0, rate)
    print(f"the peer heard 1 kHz at {khz:.0f}, 600 Hz at {other:.0f} (of 16384)")
    assert khz > 3000 and other < khz / 20, (khz, other)
