"""Which audio devices exist now, and a headset that goes away mid-call: the seam between a
call and the platform's audio graph.

PortAudio (sounddevice) lists devices only when it initialises and says nothing when one is
unplugged: through PipeWire's ALSA plugin a stream simply keeps running. So a call asks the
platform: on Linux, PipeWire (`pw-dump`: the audio nodes and the default sink and source;
`pw-dump --monitor` wakes us on every change of the graph, no polling). On Windows the same
seam is WASAPI's IMMNotificationClient (OnDeviceStateChanged / OnDefaultDeviceChanged, through
comtypes) — not written yet (docs/telephony.md). Where neither is there, `watch()` is None and
a call keeps the devices it opened with.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)
_AUDIO = ("Audio/Sink", "Audio/Source", "Audio/Source/Virtual", "Audio/Duplex")


@dataclass(frozen=True)
class Device:
    """An audio device a stream can be opened on: `key` is what the settings keep (PipeWire's
    node name, or PortAudio's device name where there is no PipeWire), `label` what is shown."""

    key: str
    label: str
    output: bool  # a speaker (a sink); False: a microphone (a source)


@dataclass(frozen=True)
class Graph:
    nodes: frozenset[str]  # the audio devices' node names
    sink: str | None  # the default speaker's node name
    source: str | None  # the default microphone's
    devices: tuple[Device, ...] = ()  # the same nodes, with their descriptions


class DeviceWatch(Protocol):
    in_use: Callable[[Graph], set[str]] | None  # the nodes a call uses; None: the defaults

    def graph(self) -> Graph | None: ...

    def changes(self, ready: Callable[[], None] = ...) -> AsyncIterator[Graph]:
        """The graph now, then again after each change of it (`ready`: watching now)."""
        ...

    async def follow(self, gone: Callable[[], None], ready: Callable[[], None]) -> None:
        """Call `gone` each time a device in use (the defaults when called) disappears;
        `ready` once the devices in use are known."""
        ...


def objects(text: str) -> list[dict[str, Any]]:
    """pw-dump's output: one JSON array of objects, sometimes followed by more arrays of what
    changed while it dumped (`{"id": N, "info": null}`: object N is gone)."""
    decoder = json.JSONDecoder()
    by_id: dict[int, dict[str, Any]] = {}
    at = 0
    while (at := len(text) - len(text[at:].lstrip())) < len(text):
        chunk, at = decoder.raw_decode(text, at)
        for item in chunk:
            if "info" in item and item["info"] is None and "type" not in item:
                by_id.pop(item["id"], None)
            else:
                by_id.setdefault(item["id"], {}).update(item)
    return list(by_id.values())


def graph_of(dump: list[dict[str, Any]]) -> Graph:
    nodes: set[str] = set()
    found: list[Device] = []
    defaults: dict[str, str | None] = {}
    for item in dump:
        kind = item.get("type", "")
        # a node's properties are in its info, a metadata object's at the top
        props = ((item.get("info") or {}).get("props")) or item.get("props") or {}
        if kind == "PipeWire:Interface:Node" and props.get("media.class") in _AUDIO:
            node = str(props.get("node.name", ""))
            nodes.add(node)
            label = str(props.get("node.description") or props.get("node.nick") or node)
            media_class = props.get("media.class")
            if media_class in ("Audio/Sink", "Audio/Duplex"):
                found.append(Device(node, label, output=True))
            if media_class != "Audio/Sink":
                found.append(Device(node, label, output=False))
        if kind == "PipeWire:Interface:Metadata" and props.get("metadata.name") == "default":
            for entry in item.get("metadata") or []:
                value = entry.get("value")
                name = value.get("name") if isinstance(value, dict) else None
                defaults[str(entry.get("key"))] = name
    return Graph(
        frozenset(nodes),
        defaults.get("default.audio.sink"),
        defaults.get("default.audio.source"),
        tuple(sorted(found, key=lambda d: (d.label.casefold(), d.key))),
    )


SETTLE = 1.0  # seconds: the graph is looked at again at most once in this long
_WATCHED = ("PipeWire:Interface:Node", "PipeWire:Interface:Metadata")


class _Changes:
    """What `pw-dump --monitor` says, read as it comes: its first array is every object, each
    later one what changed (`{"id": N, "info": null}`: N is gone). `feed` tells whether a node
    or a metadata object (the defaults) was touched. Clients, ports and links come and go all
    the time, and each look at the graph (a `pw-dump` run) is itself a client coming and
    going: woken by those, the watch ran `pw-dump` once a second for as long as a call lasted
    (≈ 1 % of a core, tests/benchmarks/bench_calls.py). The looks stay fresh `pw-dump` runs:
    the monitor can say a metadata change late (measured: a default moved by WirePlumber after
    its sink was destroyed was printed only at the next event)."""

    def __init__(self) -> None:
        self._text = ""
        self._decoder = json.JSONDecoder()
        self._types: dict[int, str] = {}  # of the objects there, by id
        self.arrays = 0  # read whole so far

    def feed(self, data: bytes) -> bool:
        self._text += data.decode(errors="replace")
        touched = False
        while text := self._text.lstrip():
            try:
                chunk, end = self._decoder.raw_decode(text)
            except ValueError:  # the rest of the array is still to come
                break
            text = text[end:]
            self.arrays += 1
            for item in chunk if isinstance(chunk, list) else ():
                if not isinstance(item, dict):
                    continue
                ident = item.get("id")
                kind = item.get("type") or self._types.get(ident, "")  # type: ignore[arg-type]
                touched |= kind in _WATCHED
                if "info" in item and item["info"] is None and "type" not in item:
                    self._types.pop(ident, None)  # type: ignore[arg-type]
                elif isinstance(ident, int):
                    self._types[ident] = kind
            self._text = text
        self._text = self._text.lstrip()
        return touched


async def _drained(stream: asyncio.StreamReader, seconds: float, seen: _Changes) -> bool:
    """Everything `stream` says for `seconds` fed to `seen`; False at its end. (During a
    call a busy graph — streams starting, links made, a recorder running — woke the watch
    ≈ 90 times a second, and each look was a whole `pw-dump` parsed: ≈ 11 ms, 40 % of a core
    spent watching for a headset to be unplugged; tests/benchmarks/bench_calls.py.)"""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        try:
            async with asyncio.timeout(left):
                data = await stream.read(1 << 16)
                if not data:
                    return False
                seen.feed(data)
        except TimeoutError:
            break
    return True


class PipeWire:
    """Linux: PipeWire's graph, read with its own command-line tools."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        # the nodes a call uses, in a graph (the devices chosen in the settings:
        # telephony/media/choice.py); None: the default sink and source
        self.in_use: Callable[[Graph], set[str]] | None = None

    def graph(self) -> Graph | None:
        try:
            done = subprocess.run(
                [self.binary, "--no-colors"], capture_output=True, timeout=10, check=True
            )
            return graph_of(objects(done.stdout.decode()))
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            log.info("no PipeWire graph: %s", exc)
            return None

    async def changes(self, ready: Callable[[], None] = lambda: None) -> AsyncIterator[Graph]:
        """The graph now, then again each time a node or a default changes (a device plugged
        in or out, a default changed): `pw-dump --monitor` tells (`_Changes`), no polling.
        `ready` is called once the monitor runs. Nothing at all when PipeWire does not
        answer."""
        start = await asyncio.to_thread(self.graph)
        if start is None:
            return
        monitor = await asyncio.create_subprocess_exec(
            self.binary,
            "--monitor",
            "--no-colors",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=os.environ.copy(),
        )
        assert monitor.stdout is not None
        seen = _Changes()
        try:
            yield start
            ready()
            loop = asyncio.get_running_loop()
            last = loop.time()
            while data := await monitor.stdout.read(1 << 16):
                if not seen.feed(data) or seen.arrays < 2:
                    continue  # not a device nor a default; or the first array (all of it)
                # at once after a quiet second (a headset unplugged is seen in ≈ 0.2 s);
                # within one, every change until a second after the last look is one look
                if not await _drained(monitor.stdout, last + SETTLE - loop.time(), seen):
                    break  # the monitor ended
                now = await asyncio.to_thread(self.graph)
                last = loop.time()
                if now is not None:
                    yield now
        finally:
            with contextlib.suppress(ProcessLookupError):
                monitor.kill()
            # to its pipe's end, then its exit: only then is asyncio's transport closed (a
            # bare wait() could leave it to a loop iteration that never came: ResourceWarning)
            await monitor.communicate()

    async def follow(self, gone: Callable[[], None], ready: Callable[[], None]) -> None:
        in_use: set[str] | None = None
        async for now in self.changes(ready):
            if in_use is not None and not in_use <= now.nodes:
                log.info("audio device(s) %s gone", sorted(in_use - now.nodes))
                gone()
                in_use = None
            if in_use is None:  # when called, and again after a move
                chosen = self.in_use(now) if self.in_use is not None else {now.sink, now.source}
                in_use = {n for n in chosen if n and n in now.nodes}


def watch() -> DeviceWatch | None:
    """The platform's device watch, or None where there is none (see the module's note)."""
    binary = shutil.which("pw-dump")
    return PipeWire(binary) if binary else None
