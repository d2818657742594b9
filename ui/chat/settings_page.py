"""The Settings dialog's Notifications page: which client messages alert (a new conversation,
every further message), the reminder of a new conversation nobody opened, and the sound —
on or off, which one, the output device (PortAudio's, as the headset's are listed), the
volume, and a button to hear it. Each change is written at once and the core reads it at
the next alert (app/chat/alerts.py): nothing to restart."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from ui.settings.pages import QT_TRANSLATE_NOOP, settings_page

if TYPE_CHECKING:
    from app.store.settings import Settings
    from ui.mainwindow.desk import Desk

NOTIFICATIONS_PAGE = QT_TRANSLATE_NOOP("Settings", "Notifications")


@settings_page(25, NOTIFICATIONS_PAGE)
class NotificationsPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationsSettingsPage")
        self._desk = desk
        self._settings: Settings | None = getattr(desk.workplace, "settings", None)
        form = QFormLayout(self)
        self.first = QCheckBox(self.tr("A client starts a new conversation"))
        self.first.setObjectName("alertFirst")
        self.every = QCheckBox(self.tr("Every further message from a client"))
        self.every.setObjectName("alertEvery")
        form.addRow(QLabel(self.tr("Alert me when (a chat not in view):")))
        form.addRow(self.first)
        form.addRow(self.every)
        self.repeat = QSpinBox()
        self.repeat.setObjectName("alertRepeat")
        self.repeat.setRange(0, 3600)
        self.repeat.setSingleStep(5)
        self.repeat.setSuffix(self.tr(" s"))
        self.repeat.setSpecialValueText(self.tr("never"))
        form.addRow(self.tr("Remind me of a new conversation nobody opened every"), self.repeat)
        self.sound_on = QCheckBox(self.tr("Play a sound"))
        self.sound_on.setObjectName("soundOn")
        form.addRow(self.sound_on)
        self.sound = QComboBox()
        self.sound.setObjectName("soundName")
        for key, title in (
            ("chime", self.tr("Chime")),
            ("bell", self.tr("Bell")),
            ("knock", self.tr("Knock")),
        ):
            self.sound.addItem(title, key)
        form.addRow(self.tr("Sound"), self.sound)
        self.device = QComboBox()
        self.device.setObjectName("soundDevice")
        form.addRow(self.tr("Output device"), self.device)
        row = QHBoxLayout()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("soundVolume")
        self.volume.setRange(0, 100)
        self.volume_text = QLabel()
        self.play = QPushButton(self.tr("Play"))
        self.play.setObjectName("soundPlay")
        row.addWidget(self.volume, 1)
        row.addWidget(self.volume_text)
        row.addWidget(self.play)
        form.addRow(self.tr("Volume"), row)
        self.note = QLabel()
        self.note.setObjectName("soundNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.note)
        self._show()
        for box in (self.first, self.every, self.sound_on):
            box.toggled.connect(self._changed)
        self.repeat.valueChanged.connect(self._changed)
        self.sound.currentIndexChanged.connect(self._changed)
        self.device.currentIndexChanged.connect(self._changed)
        self.volume.valueChanged.connect(self._changed)
        self.play.clicked.connect(self.try_sound)

    def _show(self) -> None:
        from app.chat.sounds import output_devices

        s = self._settings
        self.device.addItem(self.tr("The system's default"), "")
        for name in output_devices():
            self.device.addItem(name, name)
        if s is None:
            return
        if s.sound_device and self.device.findData(s.sound_device) < 0:  # not plugged in now
            self.device.addItem(self.tr("%1 (not found now)").replace("%1", s.sound_device))
            self.device.setItemData(self.device.count() - 1, s.sound_device)
        self.first.setChecked(s.alert_first)
        self.every.setChecked(s.alert_every)
        self.repeat.setValue(s.alert_repeat_seconds)
        self.sound_on.setChecked(s.sound_on)
        self.sound.setCurrentIndex(max(0, self.sound.findData(s.sound_name)))
        self.device.setCurrentIndex(max(0, self.device.findData(s.sound_device)))
        self.volume.setValue(s.sound_volume)
        self._enable()

    def _enable(self) -> None:
        on = self.sound_on.isChecked()
        for widget in (self.sound, self.device, self.volume, self.play):
            widget.setEnabled(on)
        self.volume_text.setText(f"{self.volume.value()} %")

    def _changed(self) -> None:
        self._enable()
        s = self._settings
        if s is None:
            return
        s.alert_first = self.first.isChecked()
        s.alert_every = self.every.isChecked()
        s.alert_repeat_seconds = self.repeat.value()
        s.sound_on = self.sound_on.isChecked()
        s.sound_name = str(self.sound.currentData())
        s.sound_device = str(self.device.currentData() or "")
        s.sound_volume = self.volume.value()
        with contextlib.suppress(OSError):  # kept for this session; the next change tries again
            s.save()

    def try_sound(self) -> None:
        """Play the chosen sound on the chosen device now; say why when it cannot be."""
        from app.chat.sounds import AlertSound

        player = AlertSound()
        self.note.setText("")

        async def play() -> None:
            name, device = str(self.sound.currentData()), str(self.device.currentData() or "")
            if not await player.play(name, device, self.volume.value()):
                self.note.setText(
                    self.tr("The sound could not be played on this device: %1").replace(
                        "%1", player.failed or self.tr("the volume is 0")
                    )
                )

        self._desk.spawn(play())
