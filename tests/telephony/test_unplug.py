"""A headset unplugged mid-call: the call goes on through the default devices.

The fake headset is PipeWire null devices (tests/telephony/headset.py) beside a second pair
standing for the computer's own speakers and microphone; "unplugging" destroys the headset's
nodes, as PipeWire does when a USB headset goes. A call to baresip through kamailio is moved
by LineDesk (telephony/media/devices.py) and keeps sending and playing audio.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from telephony.call import Call
from telephony.media import devices
from telephony.media.audio import Headset
from telephony.problems import CallState
from telephony.sip.ua import UserAgent
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.headset import FakeHeadset, running
from tests.telephony.peers import start_baresip, start_kamailio

pytestmark = pytest.mark.telephony
LIMIT = 60  # an upper bound for each awaited event on a loaded machine
BUILT_IN = (("speakers", "Audio/Sink"), ("builtin_mic", "Audio/Source/Virtual"))


@pytest.fixture
def headset(tmp_path: Path) -> Iterator[FakeHeadset]:
    nodes = tuple(
        "{ factory.name=support.null-audio-sink "
        f"node.name={name} media.class={media_class} "
        "object.linger=true audio.position=[MONO] audio.rate=48000 }"
        for name, media_class in BUILT_IN
    )
    with running(tmp_path / "run", nodes) as fake:
        yield fake


def unplug(fake: FakeHeadset) -> None:
    for item in devices.objects(fake.run(["pw-dump", "--no-colors"])):
        props = ((item.get("info") or {}).get("props")) or {}
        if props.get("node.name") in ("headset_spk", "headset_mic"):
            fake.run(["pw-cli", "destroy", str(item["id"])])


async def _until(condition: Callable[[], bool]) -> None:
    """Another process's state (PipeWire's links) or the audio thread's counters, polled:
    no event reaches the loop for them; LIMIT is an upper bound, not an expected time."""
    async with asyncio.timeout(LIMIT):
        while not condition():  # noqa: ASYNC110 - no event to await
            await asyncio.sleep(0.05)


async def test_headset_unplugged_mid_call_moves_to_the_default_devices(
    tmp_path: Path, headset: FakeHeadset, speech: dict[str, Path]
) -> None:
    bob, bport = start_baresip(tmp_path / "baresip", speech["bob-long"])
    kamailio, kport = start_kamailio(
        tmp_path / "k", {"alice": ALICE_PASSWORD}, routes={"bob": f"sip:127.0.0.1:{bport}"}
    )
    agent = UserAgent(alice(kport), headset_factory=Headset)
    await agent.start()
    try:
        assert agent.device_watch is not None  # PipeWire's tools are installed (system-deps)
        call = await agent.call(f"sip:bob@127.0.0.1:{kport}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        await _until(lambda: "headset_spk:playback_MONO" in headset.run(["pw-link", "-l"]))
        await _until(lambda: call.rtp.received > 25 and call.rtp.sent > 25)
        moved = asyncio.Event()

        def on_change(changed: Call) -> None:
            if changed.audio_moved:
                moved.set()

        call.listeners.append(on_change)
        async with asyncio.timeout(LIMIT):
            await call.devices_watched.wait()
        started = time.monotonic()
        unplug(headset)
        async with asyncio.timeout(LIMIT):
            await moved.wait()
        print(f"moved to the default devices {time.monotonic() - started:.2f} s after unplug")
        assert call.state is CallState.CONNECTED and call.audio_problem is None
        links = ""

        def on_speakers() -> bool:
            nonlocal links
            links = headset.run(["pw-link", "-l"])
            return "speakers:playback_MONO" in links and "builtin_mic:capture_MONO" in links

        await _until(on_speakers)
        assert "headset_" not in links, links
        # the call goes on: the new stream plays bob and sends our microphone
        assert call.headset is not None
        blocks, sent, received = call.headset.blocks, call.rtp.sent, call.rtp.received
        await _until(
            lambda: (
                call.headset is not None
                and call.headset.blocks > blocks + 50
                and call.rtp.sent > sent + 50
                and call.rtp.received > received + 50
            )
        )
        assert call.state is CallState.CONNECTED
        await call.hang_up()
        assert call.status == 200
    finally:
        await agent.stop()
        kamailio.stop()
        bob.stop()


@contextlib.asynccontextmanager
async def _following(watch: devices.PipeWire) -> AsyncIterator[list[devices.Graph]]:
    """The watch's looks at the graph, as they come, from when it is listening (its
    monitor started) until the block ends."""
    looks: list[devices.Graph] = []
    ready = asyncio.Event()

    async def follow() -> None:
        async for graph in watch.changes(ready.set):
            looks.append(graph)

    task = asyncio.create_task(follow())
    try:
        async with asyncio.timeout(LIMIT):
            await ready.wait()
        yield looks
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_busy_graph_is_read_once_a_second_and_its_last_state_seen(
    headset: FakeHeadset,
) -> None:
    """Nodes made and destroyed 20 times a second for 3 s (as a call's streams, links and a
    recorder churn the graph) wake the monitor all the time; the watch reads the graph again
    about once a second, not on every wake (≈ 90 a second before: 40 % of a core during a
    call), and still sees the graph as it ends: the last node made is there."""
    watch = devices.watch()
    assert isinstance(watch, devices.PipeWire)
    async with _following(watch) as looks:
        loop = asyncio.get_running_loop()
        end, made = loop.time() + 3, 0
        while loop.time() < end:
            made += 1
            name = f"churn{made}"
            props = "{ factory.name=support.null-audio-sink media.class=Audio/Sink "
            props += f"node.name={name} object.linger=true }}"
            await asyncio.to_thread(headset.run, ["pw-cli", "create-node", "adapter", props])
            if made > 1:
                await asyncio.to_thread(headset.run, ["pw-cli", "destroy", f"churn{made - 1}"])
            await asyncio.sleep(0.05)
        async with asyncio.timeout(LIMIT):
            while f"churn{made}" not in looks[-1].nodes:  # noqa: ASYNC110 - a look to come
                await asyncio.sleep(0.05)
        assert made >= 10  # (20 a second on a quiet machine)
        assert len(looks) <= 1 + 3 + 2, len(looks)  # the first, one a second, the last


async def test_clients_coming_and_going_are_not_looked_at(
    headset: FakeHeadset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clients of PipeWire that come and go (each look of the watch is one: `pw-dump`) change
    no device: the watch does not look again. Before, a look's own client woke the watch,
    which looked again a second later for as long as a call lasted."""
    watch = devices.watch()
    assert isinstance(watch, devices.PipeWire)
    reads = 0
    read = watch.graph

    def counted() -> devices.Graph | None:
        nonlocal reads
        reads += 1
        return read()

    monkeypatch.setattr(watch, "graph", counted)
    async with _following(watch) as looks:
        for _ in range(6):  # a client each time, for 3 s
            await asyncio.to_thread(headset.run, ["pw-dump", "--no-colors"])
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.5)  # a look would have come by now (SETTLE is 1 s)
        # the first; one more allowed: a node may change meanwhile (WirePlumber suspends an
        # idle one), which is looked at — failed once under load with == 1 (5 before ab222f4)
        assert reads <= 2 and len(looks) <= 2, (reads, len(looks))
