"""Headset buttons and LEDs: USB HID Telephony (page 0x0B) in, LED page (0x08) out.

The layout of a headset's reports comes from its own report descriptor (parsed by
hid-parser, MIT): which report carries Hook Switch and Phone Mute, at which bit, absolute
(a state: 1 = off hook) or relative (a press that toggles); which output reports drive the
Ring, Off-Hook, Mute and Hold LEDs. Headsets revert to their own state unless the host
echoes it (request/acknowledge), so `set_leds` is also called after each button.

The device behind it is a `HidTransport`: `HidrawTransport` on Linux (hidapi's `hidraw`
module, /dev/hidraw* with a udev `uaccess` rule — the kernel's hid-input ignores Hook
Switch); on Windows hidapi's `hid` module opens the same interface by path (see
docs/telephony.md). Tests feed the transport reports (this machine cannot create a virtual
HID device: its kernel has no uhid).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

TELEPHONY, LEDS = 0x0B, 0x08
HOOK_SWITCH, FLASH, PHONE_MUTE = 0x20, 0x21, 0x2F
LED_MUTE, LED_OFF_HOOK, LED_RING, LED_HOLD = 0x09, 0x17, 0x18, 0x20
VENDORS = {0x0B0E: "Jabra", 0x047F: "Poly", 0x1395: "EPOS"}


class HidTransport(Protocol):
    descriptor: bytes

    def read(self, timeout_ms: int) -> bytes:
        """One input report (its report id first), or b"" when none came in time."""
        ...

    def write(self, report: bytes) -> int: ...

    def close(self) -> None: ...


class HeadsetUnavailable(Exception):
    """No telephony headset, or it cannot be opened (permissions: the udev rule)."""


class HidrawTransport:
    """A headset's telephony interface through hidapi's hidraw backend (Linux)."""

    def __init__(self, path: bytes) -> None:
        try:
            import hidraw

            self._device: Any = hidraw.device()
            self._device.open_path(path)
            self.descriptor = bytes(self._device.get_report_descriptor())
        except (ImportError, OSError, ValueError) as exc:
            raise HeadsetUnavailable(str(exc)) from exc

    @staticmethod
    def telephony_paths() -> list[bytes]:
        """The paths of the telephony interfaces of the headsets plugged in now."""
        try:
            import hidraw

            found = hidraw.enumerate()
        except (ImportError, OSError):
            return []
        return [d["path"] for d in found if d.get("usage_page") == TELEPHONY]

    def read(self, timeout_ms: int) -> bytes:
        return bytes(self._device.read(64, timeout_ms))

    def write(self, report: bytes) -> int:
        return int(self._device.write(report))

    def close(self) -> None:
        self._device.close()


@dataclass(frozen=True, slots=True)
class Field:
    report_id: int
    offset: int  # bits after the report id byte
    size: int
    relative: bool


@dataclass(slots=True)
class Layout:
    inputs: dict[int, Field] = field(default_factory=dict)  # Telephony usage → field
    outputs: dict[int, Field] = field(default_factory=dict)  # LED usage → field
    output_sizes: dict[int, int] = field(default_factory=dict)  # report id → bytes

    @classmethod
    def from_descriptor(cls, descriptor: bytes) -> Layout:
        import hid_parser

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # vendors' descriptors are rarely compliant
            try:
                parsed = hid_parser.ReportDescriptor(list(descriptor))
            except (hid_parser.InvalidReportDescriptor, ValueError, IndexError) as exc:
                raise HeadsetUnavailable(f"unreadable report descriptor: {exc}") from exc
            layout = cls()
            for rid in parsed.input_report_ids:
                for item in parsed.get_input_items(rid):
                    usage = getattr(item, "usage", None)
                    if usage is not None and usage.page == TELEPHONY:
                        layout.inputs[usage.usage] = Field(
                            rid, item.offset, item.size, bool(item.relative)
                        )
            for rid in parsed.output_report_ids:
                for item in parsed.get_output_items(rid):
                    usage = getattr(item, "usage", None)
                    if usage is not None and usage.page == LEDS:
                        layout.outputs[usage.usage] = Field(rid, item.offset, item.size, False)
                layout.output_sizes[rid] = (parsed.get_output_report_size(rid) + 7) // 8
        return layout

    def values(self, report: bytes) -> dict[int, int]:
        """The Telephony usages this input report carries, with their values."""
        if not report:
            return {}
        rid, body = report[0], int.from_bytes(report[1:], "little")
        return {
            usage: (body >> f.offset) & ((1 << f.size) - 1)
            for usage, f in self.inputs.items()
            if f.report_id == rid and len(report) * 8 - 8 >= f.offset + f.size
        }

    def led_reports(self, states: dict[int, bool]) -> list[bytes]:
        """The output reports that set these LEDs (each report once, the others' bits kept 0)."""
        bodies: dict[int, int] = {}
        for usage, on in states.items():
            f = self.outputs.get(usage)
            if f is None:
                continue
            bodies[f.report_id] = bodies.get(f.report_id, 0) | (int(on) << f.offset)
        return [
            bytes([rid]) + body.to_bytes(self.output_sizes.get(rid, 1), "little")
            for rid, body in sorted(bodies.items())
        ]


class HeadsetButtons:
    """Hook Switch and Phone Mute as intents; LEDs as the call's state.

    - `on_hook(off_hook)`: True = picked up (answer the ringing call), False = put down (hang
      up). A headset reporting the hook as a state (absolute) is followed by its changes; one
      reporting presses (relative) toggles the hook state we keep.
    - `on_mute()`: the mute button was pressed.
    """

    def __init__(
        self,
        transport: HidTransport,
        on_hook: Callable[[bool], None],
        on_mute: Callable[[], None],
    ) -> None:
        self.transport = transport
        self.layout = Layout.from_descriptor(transport.descriptor)
        if not {HOOK_SWITCH, PHONE_MUTE} & self.layout.inputs.keys():
            raise HeadsetUnavailable("no Hook Switch or Phone Mute in its reports")
        self.on_hook, self.on_mute = on_hook, on_mute
        self.off_hook = False
        self._last: dict[int, int] = {}
        self.leds: dict[int, bool] = {}

    @property
    def has_hook(self) -> bool:
        return HOOK_SWITCH in self.layout.inputs

    def feed(self, report: bytes) -> None:
        values = self.layout.values(report)
        if HOOK_SWITCH in values:
            hook = self.layout.inputs[HOOK_SWITCH]
            value = values[HOOK_SWITCH]
            if hook.relative:
                if value and not self._last.get(HOOK_SWITCH):
                    self._hook(not self.off_hook)
            elif bool(value) != self.off_hook:
                self._hook(bool(value))
        if PHONE_MUTE in values:
            pressed = values[PHONE_MUTE] and not self._last.get(PHONE_MUTE)
            if pressed:
                self.on_mute()
        self._last.update(values)

    def _hook(self, off_hook: bool) -> None:
        self.off_hook = off_hook
        self.set_leds(off_hook=off_hook)  # acknowledge, or the headset reverts
        self.on_hook(off_hook)

    def set_leds(
        self,
        *,
        ring: bool | None = None,
        off_hook: bool | None = None,
        mute: bool | None = None,
        hold: bool | None = None,
    ) -> None:
        for usage, on in (
            (LED_RING, ring),
            (LED_OFF_HOOK, off_hook),
            (LED_MUTE, mute),
            (LED_HOLD, hold),
        ):
            if on is not None:
                self.leds[usage] = on
        for report in self.layout.led_reports(self.leds):
            self.transport.write(report)
