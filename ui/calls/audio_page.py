"""The Settings dialog's Audio page: the microphone and the headset speaker calls use, and the
device incoming calls ring on (the computer's speakers, to be heard with the headset off),
each "The system's default" or a device there now, with a Test button for the ringer.

The lists follow the devices live while the page is shown (telephony/media/choice.py:
PipeWire's monitor): a headset plugged in appears, one unplugged goes. A chosen device that
is not there stays chosen (it is used again when it comes back) and the page says that the
default is used meanwhile. Each change is written at once; calls read it when their audio
starts (the next call), the ringer at each ring (app/calls/audio.py)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.settings.pages import QT_TRANSLATE_NOOP, settings_page

if TYPE_CHECKING:
    from PySide6.QtGui import QHideEvent, QShowEvent

    from telephony.media.devices import Device
    from ui.mainwindow.desk import Desk

# (the combo's attribute, the setting, an output device)
_CHOICES = (
    ("microphone", "call_microphone", False),
    ("speaker", "call_speaker", True),
    ("ringer", "ringer_device", True),
)


@settings_page(35, QT_TRANSLATE_NOOP("Settings", "Audio"))
class AudioPage(QWidget):
    sig_devices_changed = Signal()
    """The lists were filled again (the devices there changed)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        from telephony.media.choice import listed

        super().__init__(parent)
        self.setObjectName("audioSettingsPage")
        self._desk = desk
        self._settings: Any = getattr(desk.workplace, "settings", None)
        self._follow: asyncio.Task[None] | None = None
        self._test: asyncio.Task[None] | None = None
        self.devices: tuple[Device, ...] = ()
        form = QFormLayout(self)
        self.microphone = QComboBox()
        self.microphone.setObjectName("audioMicrophone")
        self.speaker = QComboBox()
        self.speaker.setObjectName("audioSpeaker")
        self.ringer = QComboBox()
        self.ringer.setObjectName("audioRinger")
        self.try_ring = QPushButton(self.tr("Test"))
        self.try_ring.setObjectName("audioRingerTest")
        self.try_ring.setToolTip(self.tr("Ring once on this device"))
        ring_row = QHBoxLayout()
        ring_row.addWidget(self.ringer, 1)
        ring_row.addWidget(self.try_ring)
        self.note = QLabel()
        self.note.setObjectName("audioNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # device names come from outside
        form.addRow(self.tr("Headset microphone"), self.microphone)
        form.addRow(self.tr("Headset speaker"), self.speaker)
        form.addRow(self.tr("Ringer"), ring_row)
        form.addRow(self.note)
        self.fill(listed())
        for name, _key, _output in _CHOICES:
            getattr(self, name).currentIndexChanged.connect(self._changed)
        self.try_ring.clicked.connect(self.ring_once)

    def _chosen(self, key: str) -> str:
        return str(getattr(self._settings, key, "") or "")

    def fill(self, devices: tuple[Device, ...]) -> None:
        """The lists for the devices there now, each on what the settings choose."""
        self.devices = devices
        missing: list[str] = []
        for name, key, output in _CHOICES:
            box: QComboBox = getattr(self, name)
            chosen = self._chosen(key)
            with _quiet(box):
                box.clear()
                box.addItem(self.tr("The system's default"), "")
                for device in devices:
                    if device.output == output:
                        box.addItem(device.label, device.key)
                if chosen and box.findData(chosen) < 0:
                    box.addItem(self.tr("%1 (not connected)").replace("%1", chosen), chosen)
                    missing.append(chosen)
                box.setCurrentIndex(max(0, box.findData(chosen)))
        self._say(missing)
        self.sig_devices_changed.emit()

    def _say(self, missing: list[str], failed: str = "") -> None:
        lines = [
            self.tr("%1 is not connected: the system's default is used until it is.").replace(
                "%1", name
            )
            for name in dict.fromkeys(missing)
        ]
        if failed:
            lines.append(self.tr("The ringer could not be played: %1").replace("%1", failed))
        self.note.setText("\n".join(lines))

    def _changed(self) -> None:
        s = self._settings
        if s is None:
            return
        for name, key, _output in _CHOICES:
            setattr(s, key, str(getattr(self, name).currentData() or ""))
        with contextlib.suppress(OSError):  # kept for this session; the next change tries again
            s.save()
        self.fill(self.devices)  # the note follows the choice

    def ring_once(self) -> None:
        """One ring on the chosen ringer device; the note says why when it cannot be."""
        from telephony.media.ringer import play_once

        device = str(self.ringer.currentData() or "")

        async def ring() -> None:
            self.try_ring.setEnabled(False)
            try:
                failed = await play_once(device)
            finally:
                self.try_ring.setEnabled(True)
                self._test = None
            if failed:
                self._say([], failed)

        if self._test is None:
            self._test = self._desk.spawn(ring())

    def showEvent(self, event: QShowEvent) -> None:
        from telephony.media.choice import follow

        super().showEvent(event)
        if self._follow is None:
            self._follow = self._desk.spawn(follow(self._devices_now))

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._follow is not None:
            self._follow.cancel()
            self._follow = None

    def _devices_now(self, devices: tuple[Device, ...]) -> None:
        if devices != self.devices:
            self.fill(devices)


@contextlib.contextmanager
def _quiet(box: QComboBox) -> Any:
    blocked = box.blockSignals(True)
    try:
        yield
    finally:
        box.blockSignals(blocked)
