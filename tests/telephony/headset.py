"""The fake USB headset: PipeWire null devices (a sink as the speaker, a virtual source as
the microphone) in a private PipeWire started for the tests, stopped by PID.

PortAudio reaches it through ALSA's default (pipewire-alsa); the environment variables must
be set before sounddevice is first imported (PortAudio reads them when it initialises).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.telephony.peers import Peer, need

READY_WITHIN = 20.0  # an upper bound, not an expected time
# what leads PortAudio (through pipewire-alsa) to this PipeWire rather than the desktop's
ENV = ("XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "PIPEWIRE_RUNTIME_DIR")


class FakeHeadset:
    def __init__(self, runtime: Path) -> None:
        self.runtime = runtime
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        self.env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={runtime}/bus",
            "PIPEWIRE_RUNTIME_DIR": str(runtime),
        }
        self.processes: list[Peer] = []

    def _start(self, name: str, argv: list[str]) -> Peer:
        peer = Peer(
            name, argv, self.runtime, self.runtime / f"{name}.log", limit=1800, env=self.env
        )
        self.processes.append(peer)
        return peer

    def _wait(self, what: str, ready: object) -> None:
        deadline = time.monotonic() + READY_WITHIN
        while not ready():  # type: ignore[operator]
            if time.monotonic() > deadline:
                logs = "\n".join(p.output() for p in self.processes)
                raise RuntimeError(f"the fake headset: {what} did not come up\n{logs}")
            time.sleep(0.02)

    def start(self) -> None:
        self._start(
            "dbus",
            [
                need("dbus-daemon"),
                "--session",
                f"--address=unix:path={self.runtime}/bus",
                "--nofork",
                "--nopidfile",
            ],
        )
        self._wait("dbus", lambda: (self.runtime / "bus").exists())
        self._start("pipewire", [need("pipewire")])
        self._wait("pipewire", lambda: (self.runtime / "pipewire-0").exists())
        self._start("wireplumber", [need("wireplumber")])
        for name, media_class in (
            ("headset_spk", "Audio/Sink"),
            ("headset_mic", "Audio/Source/Virtual"),
        ):
            props = (
                "{ factory.name=support.null-audio-sink "
                f"node.name={name} media.class={media_class} "
                "object.linger=true audio.position=[MONO] audio.rate=48000 }"
            )
            self.run(["pw-cli", "create-node", "adapter", props])
        self._wait("the headset nodes", lambda: {"headset_spk", "headset_mic"} <= self.nodes())
        self.run(
            [
                "pw-metadata",
                "0",
                "default.configured.audio.sink",
                '{ "name": "headset_spk" }',
                "Spa:String:JSON",
            ]
        )
        self.run(
            [
                "pw-metadata",
                "0",
                "default.configured.audio.source",
                '{ "name": "headset_mic" }',
                "Spa:String:JSON",
            ]
        )
        self._wait("the default devices", self._defaults_set)
        # one graph cycle of 1024 frames (21 ms): on a loaded machine without real-time
        # scheduling, smaller cycles miss their deadlines and the audio slips
        self.run(["pw-metadata", "-n", "settings", "0", "clock.force-quantum", "1024"])

    def _defaults_set(self) -> bool:
        out = self.run(["pw-metadata", "0"])
        return '"headset_spk"' in out and '"headset_mic"' in out and "default.audio.sink" in out

    def nodes(self) -> set[str]:
        out = self.run(["pw-cli", "ls", "Node"])
        return {
            line.split("=", 1)[1].strip().strip('"')
            for line in out.splitlines()
            if "node.name" in line
        }

    def ports(self) -> str:
        return self.run(["pw-link", "-o"]) + self.run(["pw-link", "-i"])

    def run(self, argv: list[str]) -> str:
        result = subprocess.run(
            ["timeout", "20", need(argv[0]), *argv[1:]],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def stop(self) -> None:
        for peer in reversed(self.processes):
            peer.stop()


@contextlib.contextmanager
def running(runtime: Path, nodes: tuple[str, ...] = ()) -> Iterator[FakeHeadset]:
    """A fake headset started (with `nodes`: `pw-cli create-node` arguments, more devices)
    and this process's environment pointed at it before PortAudio initialises; both undone
    after. The peers are installable (scripts/system-deps.sh): a failure, not a skip."""
    fake = FakeHeadset(runtime)
    saved = {k: os.environ.get(k) for k in ENV}
    try:
        fake.start()
        for props in nodes:
            fake.run(["pw-cli", "create-node", "adapter", props])
        os.environ.update({k: fake.env[k] for k in ENV})
        yield fake
    finally:
        fake.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
