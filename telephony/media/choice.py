"""Which device a stream opens: the microphone, the headset speaker and the ringer chosen in
the settings, each a device's key or '' (the system's default).

Through PipeWire (Linux) PortAudio's ALSA host lists only `pipewire` and `default`: every
headset, speaker and microphone is behind them. So there the choices are PipeWire's own
nodes (devices.Graph.devices; the key is the node name), and a stream opens the ALSA PCM
`linedesk`, which this module declares in an ALSA configuration file of its own (added to
ALSA_CONFIG_PATH for this process only): PipeWire's ALSA plugin with `capture_node` and
`playback_node` read from LINEDESK_MIC / LINEDESK_SPK when the PCM opens, so one full-duplex
stream can take its microphone and its speaker from two devices. The variables are set under
a lock around each open. Elsewhere (Windows: WASAPI's endpoints) PortAudio's own list is the
choice and its device name is the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from telephony.media import devices
from telephony.media.devices import Device, Graph

log = logging.getLogger(__name__)
PCM = "linedesk"
MIC, SPK = "LINEDESK_MIC", "LINEDESK_SPK"
_CONF = """# LineDesk's own ALSA PCM (telephony/media/choice.py): PipeWire with the devices chosen
pcm.linedesk {
\t@args [ MIC SPK ]
\t@args.MIC { type string default { @func getenv vars [ LINEDESK_MIC ] default "-1" } }
\t@args.SPK { type string default { @func getenv vars [ LINEDESK_SPK ] default "-1" } }
\ttype pipewire
\tcapture_node $MIC
\tplayback_node $SPK
\thint { show on description "LineDesk: the devices chosen in its settings" }
}
"""
_PLUGIN_CONF = ("/usr/share/alsa/alsa.conf.d/50-pipewire.conf", "/etc/alsa/conf.d/50-pipewire.conf")
_lock = threading.Lock()
_pipewire: devices.PipeWire | None = None
_prepared = False


def _prepare() -> None:
    """Once, before PortAudio reads ALSA's configuration: declare the `linedesk` PCM where
    PipeWire and its ALSA plugin are there."""
    global _prepared, _pipewire
    if _prepared:
        return
    _prepared = True
    watch = devices.watch()
    plugin = any(Path(p).exists() for p in _PLUGIN_CONF)
    if not sys.platform.startswith("linux") or not isinstance(watch, devices.PipeWire):
        return
    if not plugin:
        log.info("PipeWire without its ALSA plugin: the devices are PortAudio's")
        return
    import platformdirs

    path = Path(platformdirs.user_cache_dir("linedesk", appauthor=False)) / "alsa-linedesk.conf"
    try:
        if not path.exists() or path.read_text(encoding="utf-8") != _CONF:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(_CONF, encoding="utf-8")
            os.replace(tmp, path)
    except OSError as exc:
        log.warning("the ALSA configuration of the device choice could not be written: %s", exc)
        return
    top = os.environ.get("ALSA_CONFIG_PATH") or "/usr/share/alsa/alsa.conf"
    os.environ["ALSA_CONFIG_PATH"] = f"{top}:{path}"
    _pipewire = watch


def portaudio() -> Any:
    """sounddevice, loaded once the device choice is declared to ALSA (OSError or ImportError
    without PortAudio). A PortAudio started before reads it at its next refresh."""
    _prepare()
    import sounddevice

    return sounddevice


_open_streams = 0  # PortAudio streams open now (a call's, a ring's, an alert sound's)


def stream_opened() -> None:
    """A PortAudio stream was opened (on the loop's thread): PortAudio is not restarted
    (`refresh_devices`) until it is closed."""
    global _open_streams
    _open_streams += 1


def stream_closed() -> None:
    global _open_streams
    _open_streams -= 1


def refresh_devices(sounddevice: Any) -> None:
    """PortAudio lists devices once, when it initialises: start it again (only while no
    stream is open) so a headset plugged in since, or an audio server started since, is seen.
    sounddevice's `_terminate`/`_initialize` are its documented way to do this."""
    if _open_streams == 0:
        sounddevice._terminate()
        sounddevice._initialize()


def portaudio_devices() -> list[dict[str, Any]]:
    """The audio devices PortAudio sees now (an empty list without PortAudio)."""
    try:
        return [dict(d) for d in portaudio().query_devices()]
    except (OSError, ImportError):
        return []


def _has_pcm() -> bool:
    return any(d.get("name") == PCM for d in portaudio_devices())


def started() -> Any:
    """sounddevice, started again first (when no stream is open) if PortAudio does not list
    the `linedesk` PCM: it probes each device as it starts, so one started while PipeWire
    was not reachable lists none of PipeWire's. On the loop's thread, before a stream opens."""
    sounddevice = portaudio()
    if pipewire() is not None and not _has_pcm():
        refresh_devices(sounddevice)
    return sounddevice


def pipewire() -> devices.PipeWire | None:
    """PipeWire, when the choices are its nodes; None when they are PortAudio's devices."""
    _prepare()
    return _pipewire


def listed(graph: Graph | None = None) -> tuple[Device, ...]:
    """The devices to choose from now (blocks: pw-dump, or PortAudio started again when no
    stream is open); `graph`: PipeWire's graph already read."""
    watch = pipewire()
    if watch is not None:
        graph = graph if graph is not None else watch.graph()
        return graph.devices if graph is not None else ()
    try:
        refresh_devices(portaudio())
    except (OSError, ImportError) as exc:
        log.info("no PortAudio: %s", exc)
    found: list[Device] = []
    for d in portaudio_devices():
        name = str(d.get("name", ""))
        for output, channels in ((True, "max_output_channels"), (False, "max_input_channels")):
            if name and int(d.get(channels, 0)) > 0 and Device(name, name, output) not in found:
                found.append(Device(name, name, output))
    return tuple(found)


def present(key: str, output: bool, available: tuple[Device, ...]) -> str:
    """`key` when that device is there now, else '' (the default)."""
    return key if any(d.key == key and d.output == output for d in available) else ""


def in_use(microphone: str, speaker: str, graph: Graph) -> set[str]:
    """The PipeWire nodes a stream opened on these choices uses in `graph` (a chosen device
    that is not there: the default)."""
    mic = present(microphone, False, graph.devices) or graph.source
    spk = present(speaker, True, graph.devices) or graph.sink
    return {n for n in (mic, spk) if n}


@contextlib.contextmanager
def opening(microphone: str = "", speaker: str = "") -> Iterator[tuple[Any, Any]]:
    """The `device=` pair (input, output) of a stream opened on these choices, good while
    the block runs: open the stream inside it. A chosen device that is not there opens the
    default: through PipeWire its session manager links a stream whose target is missing to
    the default (WirePlumber, measured); PortAudio's devices are looked up here."""
    if pipewire() is None:
        known = [(str(d.get("name", "")), d) for d in portaudio_devices()]
        mic = any(n == microphone and int(d.get("max_input_channels", 0)) for n, d in known)
        spk = any(n == speaker and int(d.get("max_output_channels", 0)) for n, d in known)
        yield (microphone if mic else None), (speaker if spk else None)
        return
    if not _has_pcm():  # PortAudio started without PipeWire and could not start again
        log.info("PortAudio does not list %s: the default devices are opened", PCM)
        yield None, None
        return
    with _lock:
        saved = {k: os.environ.get(k) for k in (MIC, SPK)}
        os.environ[MIC], os.environ[SPK] = microphone or "-1", speaker or "-1"
        try:
            yield PCM, PCM
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


async def follow(
    changed: Callable[[tuple[Device, ...]], None], ready: Callable[[], None] = lambda: None
) -> None:
    """`changed(devices)` with the devices there now, then after each plug or unplug (until
    cancelled): PipeWire's monitor (devices.PipeWire.changes). Without PipeWire, once:
    PortAudio's list, read again only when no stream is open (`refresh_devices`) — on
    Windows WASAPI's device notifications would be the seam (docs/telephony.md)."""
    watch = pipewire()
    if watch is None:
        changed(await asyncio.to_thread(listed))
        ready()
        return
    last: tuple[Device, ...] | None = None
    async for graph in watch.changes(ready):
        if graph.devices != last:
            last = graph.devices
            changed(graph.devices)
