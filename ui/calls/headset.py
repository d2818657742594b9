"""The headset's call buttons and LEDs for the calls feature (ui/calls/feature.py).

Opened when the PBX account starts (the first telephony headset found, or what
`transports()` gives — a test feeds one); its reports are read off the loop (hidapi
blocks) and fed on it: Hook Switch and Phone Mute reach `on_hook(off_hook)` and
`on_mute()`. The LEDs follow the call (`follow`). A headset unplugged (its reads fail)
is said once through `on_gone()`; the call goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

    from telephony.call import Call
    from telephony.headset.hid import HeadsetButtons, HidTransport

log = logging.getLogger("linedesk.ui.calls")


def first_headset() -> HidTransport | None:
    """The first telephony headset plugged in (Linux: hidraw), or None."""
    from telephony.headset.hid import HeadsetUnavailable, HidrawTransport

    for path in HidrawTransport.telephony_paths():
        try:
            return HidrawTransport(path)
        except HeadsetUnavailable as exc:
            log.info("headset %r not usable: %s", path, exc)
    return None


async def _to_thread(function: Callable[[int], bytes], argument: int) -> bytes:
    import asyncio

    return await asyncio.to_thread(function, argument)


async def _wait_for(task: asyncio.Task[None], seconds: float) -> None:
    import asyncio

    await asyncio.wait([task], timeout=seconds)


class HeadsetLink:
    def __init__(
        self,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        on_hook: Callable[[bool], None],
        on_mute: Callable[[], None],
        on_gone: Callable[[], None],
    ) -> None:
        self._spawn = spawn
        self._on_hook, self._on_mute, self._on_gone = on_hook, on_mute, on_gone
        self.transports: Callable[[], HidTransport | None] = first_headset
        self.buttons: HeadsetButtons | None = None
        self._reader: asyncio.Task[None] | None = None

    def open(self) -> None:
        from telephony.headset.hid import HeadsetButtons, HeadsetUnavailable

        if self.buttons is not None:
            return
        transport = self.transports()
        if transport is None:
            return
        try:
            self.buttons = HeadsetButtons(transport, self._on_hook, self._on_mute)
        except HeadsetUnavailable as exc:
            log.info("the headset has no call buttons: %s", exc)
            transport.close()
            return
        self._reader = self._spawn(self._read(transport))

    async def _read(self, transport: HidTransport) -> None:
        """Reports from the headset, read off the loop (hidapi blocks), fed on it."""
        while self.buttons is not None:
            try:
                report = await _to_thread(transport.read, 200)
            except (OSError, ValueError) as exc:  # unplugged
                log.info("the headset is gone: %s", exc)
                self.buttons = None
                transport.close()
                self._on_gone()
                return
            if report and self.buttons is not None:
                self.buttons.feed(report)

    def follow(self, call: Call) -> None:
        """The LEDs as the call is: ringing, off hook while connected, mute, hold."""
        from telephony.problems import CallState

        if self.buttons is not None:
            connected = call.state is CallState.CONNECTED
            self.buttons.set_leds(
                ring=call.state is CallState.RINGING and call.direction == "in",
                off_hook=connected,
                mute=connected and call.muted,
                hold=connected and call.held,
            )

    def set_mute(self, muted: bool) -> None:
        if self.buttons is not None:
            self.buttons.set_leds(mute=muted)

    async def close(self) -> None:
        buttons, self.buttons = self.buttons, None
        if self._reader is not None:  # its read ends within 200 ms: never close under it
            await _wait_for(self._reader, 2)
            self._reader = None
        if buttons is not None:
            buttons.transport.close()
