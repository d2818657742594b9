"""Headset buttons and LEDs through the transport interface.

This machine cannot create a virtual HID device (its kernel has no uhid, CONFIG_UHID is not
set), so a transport is fed input reports and records what is written. The report
descriptor is a real headset's: the Telephony collection of a Plantronics Blackwire 3220
(047f:c056, interface 3) as published in libusb/hidapi pull request #262, up to its Ring
LED (the Hold LED and vendor reports after it are left out). Its layout, as the device
sends it: input report 8 = Phone Mute (bit 0, relative: a press), Hook Switch (bit 1,
absolute: 1 = off hook), Flash (bit 2); output reports 9 (Mute LED), 0x17 (Off-Hook LED),
0x18 (Ring LED), one bit each.
"""

from __future__ import annotations

import pytest

from telephony.headset.hid import (
    HOOK_SWITCH,
    LED_OFF_HOOK,
    LED_RING,
    PHONE_MUTE,
    HeadsetButtons,
    HeadsetUnavailable,
    HidrawTransport,
    Layout,
)

pytestmark = pytest.mark.telephony

BLACKWIRE_3220_TELEPHONY = bytes.fromhex(
    "050b 0905 a101"  # Usage Page (Telephony), Usage (Headset), Collection (Application)
    "8508 092f 1500 2501 7501 9501 8106"  # Report ID 8: Phone Mute, 1 bit, Input (Rel)
    "0920 0921 1500 2501 7501 9502 8122"  # Hook Switch, Flash, 2 bits, Input (Abs, NoPref)
    "8509 0508 0909 1500 2501 7501 9501 9122"  # Report ID 9: LEDs page, Mute LED
    "8517 0917 1500 2501 7501 9501 9122"  # Report ID 0x17: Off-Hook LED
    "8518 0918 1500 2501 7501 9501 9122"  # Report ID 0x18: Ring LED
    "c0"  # End Collection
)


class FedTransport:
    """Stands in for /dev/hidraw*: nothing virtual can be made on this kernel (no uhid)."""

    descriptor = BLACKWIRE_3220_TELEPHONY

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def read(self, timeout_ms: int) -> bytes:
        return b""

    def write(self, report: bytes) -> int:
        self.written.append(report)
        return len(report)

    def close(self) -> None:
        return None


def report(*, mute: bool = False, hook: bool = False) -> bytes:
    return bytes([8, int(mute) | int(hook) << 1])


def test_the_layout_comes_from_the_descriptor() -> None:
    layout = Layout.from_descriptor(BLACKWIRE_3220_TELEPHONY)
    assert layout.inputs[PHONE_MUTE].relative and not layout.inputs[HOOK_SWITCH].relative
    assert (layout.inputs[HOOK_SWITCH].report_id, layout.inputs[HOOK_SWITCH].offset) == (8, 1)
    assert layout.outputs[LED_RING].report_id == 0x18
    assert layout.led_reports({LED_RING: True, LED_OFF_HOOK: False}) == [b"\x17\x00", b"\x18\x01"]


def test_hook_answers_and_hangs_up_mute_toggles_leds_acknowledged() -> None:
    transport = FedTransport()
    hooks: list[bool] = []
    mutes: list[int] = []
    buttons = HeadsetButtons(transport, hooks.append, lambda: mutes.append(1))
    buttons.set_leds(ring=True)  # a call rings
    assert transport.written[-1] == b"\x18\x01"
    buttons.feed(report(hook=True))  # picked up: answer
    assert hooks == [True]
    assert b"\x17\x01" in transport.written  # the off-hook state echoed back (acknowledged)
    buttons.feed(report(hook=True))  # the same state again: nothing new
    assert hooks == [True]
    buttons.feed(report(hook=True, mute=True))  # a mute press...
    buttons.feed(report(hook=True, mute=False))  # ...and its release: one toggle
    assert mutes == [1]
    buttons.feed(report(hook=False))  # put down: hang up
    assert hooks == [True, False]
    assert transport.written[-2:] == [b"\x17\x00", b"\x18\x01"]


def test_bad_descriptor_or_no_device_is_said_not_raised_elsewhere() -> None:
    with pytest.raises(HeadsetUnavailable):
        Layout.from_descriptor(b"\x05")  # an item cut short
    with pytest.raises(HeadsetUnavailable):  # a HID device with no telephony controls
        HeadsetButtons(type("Keyboard", (FedTransport,), {"descriptor": b"\xc0"})(), print, print)
    with pytest.raises(HeadsetUnavailable):
        HidrawTransport(b"/dev/hidraw-none")
    assert isinstance(HidrawTransport.telephony_paths(), list)  # none here, no error
