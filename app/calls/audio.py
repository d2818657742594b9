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
ring; nor when the ticket routing names another specialist for a known caller (their
ticket's holder, or the routing's choice: server/calls/ringing.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from app.core.domain import Status
from telephony.call import Call
from telephony.media import choice
from telephony.media.audio import Headset
from telephony.media.ringer import Ringer
from telephony.problems import CallState
from telephony.sip.ua import UserAgent

log = logging.getLogger("linedesk.calls")
DECIDE_S = 2.0  # the server's word on who rings, at most this late: then it rings here


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
    deciding: set[asyncio.Task[None]] = set()

    def offer(call: Call) -> None:
        if incoming is not None:
            incoming(call)
        ringer.follow(call)

    async def decide(call: Call) -> None:
        """The ticket routing's word on who this call rings (app/calls/part.py): not me —
        480, so the PBX's fork ends at the one named; no word (an unknown caller, the
        server out of reach) — it rings here as before."""
        book, me = getattr(core, "calls", None), getattr(core, "me", None)
        named: list[int] | None = None
        if book is not None and me is not None:
            try:  # the caller hears ringing meanwhile (180 went with the INVITE)
                named = await asyncio.wait_for(
                    book.ring_decision(call.remote, call.call_id), DECIDE_S
                )
            except Exception as exc:  # the call must not wait on the server's troubles
                log.info("who call %s rings was not asked: %s", call.call_id, exc)
        elsewhere = named is not None and me is not None and me.id not in named
        if elsewhere or dnd():  # (Do not disturb chosen meanwhile)
            call.decline(480)
        elif call.state is CallState.RINGING:
            offer(call)

    def ring(call: Call) -> None:
        if dnd():  # Do not disturb gets nothing (seed 001): no pop-up, no ring; 480 lets
            call.decline(480)  # a PBX try someone else
            return
        task = asyncio.ensure_future(decide(call))
        deciding.add(task)
        task.add_done_callback(deciding.discard)

    ua.on_incoming = ring
    return ringer
