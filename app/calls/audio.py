"""The audio devices of calls, from the settings: the microphone and the headset speaker a
call opens (`call_microphone`, `call_speaker`), the ringer's device (`ringer_device`), each a
device's key (telephony/media/choice.py) or '' for the system's default.

`attach(ua, core)` makes the user agent's calls open the chosen devices — read when each call
starts its audio, so a change applies to the next call; a chosen device that is not there
opens the default (telephony/media/choice.py), and a headset unplugged mid-call moves the
call to the defaults (telephony/media/devices.py watches the devices actually in use) — and
returns the `Ringer` that rings its incoming calls (after `ua.on_incoming` has seen each: a
call it answered busy does not ring) on the chosen devices, read at each ring. In Do not
disturb a call is not offered at all: answered 480 Temporarily Unavailable, no pop-up, no
ring.
"""

from __future__ import annotations

from typing import Any

from app.core.domain import Status
from telephony.call import Call
from telephony.media import choice
from telephony.media.audio import Headset
from telephony.media.ringer import Ringer
from telephony.sip.ua import UserAgent


def chosen(settings: Any) -> tuple[str, str, str]:
    """(microphone, headset speaker, ringer) as the settings say ('' = default)."""
    if settings is None:
        return "", "", ""
    return settings.call_microphone, settings.call_speaker, settings.ringer_device


def headset_factory(settings: Any) -> Any:
    def make() -> Headset:
        microphone, speaker, _ringer = chosen(settings)
        return Headset(microphone=microphone, speaker=speaker)  # one not there: the default

    return make


def attach(ua: UserAgent, core: Any) -> Ringer:
    settings = getattr(core, "settings", None)
    if ua.headset_factory is not None:
        ua.headset_factory = headset_factory(settings)
    watch = ua.device_watch
    if watch is not None:
        watch.in_use = lambda graph: choice.in_use(*chosen(settings)[:2], graph)

    def devices() -> tuple[str, str]:
        _microphone, speaker, ringer = chosen(settings)
        return ringer, speaker

    def dnd() -> bool:
        return getattr(core, "status", None) is Status.DND

    ringer = Ringer(devices, dnd)
    incoming = ua.on_incoming

    def ring(call: Call) -> None:
        if dnd():  # Do not disturb gets nothing (seed 001): no pop-up, no ring; 480 lets
            call.decline(480)  # a PBX try someone else
            return
        if incoming is not None:
            incoming(call)
        ringer.follow(call)

    ua.on_incoming = ring
    return ringer
