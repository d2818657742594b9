"""The Settings pages of the Clients section: the users list (the relevance window of
streaming lines), the status (automatic Away) and the language. Each change is written at
once and applied at once (ui/settings/pages.py)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QSpinBox, QWidget

from ui.settings.pages import QT_TRANSLATE_NOOP, settings_page

if TYPE_CHECKING:
    from app.store.settings import Settings
    from ui.mainwindow.desk import Desk

LIST_PAGE = QT_TRANSLATE_NOOP("Settings", "Users list")
STATUS_PAGE = QT_TRANSLATE_NOOP("Settings", "Status")
LANGUAGE_PAGE = QT_TRANSLATE_NOOP("Settings", "Language")


def _settings(desk: Desk) -> Settings | None:
    return getattr(desk.workplace, "settings", None)


def _save(settings: Settings) -> None:
    with contextlib.suppress(OSError):  # kept for this session; the next change tries again
        settings.save()


@settings_page(10, LIST_PAGE)
class ListPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listSettingsPage")
        self._desk = desk
        form = QFormLayout(self)
        self.active_days = QSpinBox()
        self.active_days.setObjectName("activeDays")
        self.active_days.setRange(7, 90)
        self.active_days.setSuffix(self.tr(" days"))
        s = _settings(desk)
        self.active_days.setValue(s.actuality_days if s is not None else 60)
        form.addRow(self.tr("Streaming lines show users active within"), self.active_days)
        note = QLabel(
            self.tr(
                "A line with more than 100 users lists those who wrote within this time and"
                " those you added to your list; search finds everyone."
            )
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.active_days.valueChanged.connect(self._changed)

    def _changed(self, days: int) -> None:
        from app.clients.current_line import SET_ACTIVE_DAYS

        workplace = self._desk.workplace
        if workplace is not None:
            self._desk.spawn(workplace.act(SET_ACTIVE_DAYS, days))


@settings_page(20, STATUS_PAGE)
class StatusPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusSettingsPage")
        self._settings = _settings(desk)
        form = QFormLayout(self)
        self.idle_away = QCheckBox(self.tr("Set me Away when I am idle"))
        self.idle_away.setObjectName("idleAway")
        self.minutes = QSpinBox()
        self.minutes.setObjectName("idleAwayMinutes")
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(self.tr(" min"))
        s = self._settings
        self.idle_away.setChecked(s.idle_away if s is not None else True)
        self.minutes.setValue(s.idle_away_minutes if s is not None else 5)
        self.minutes.setEnabled(self.idle_away.isChecked())
        form.addRow(self.idle_away)
        form.addRow(self.tr("Idle for"), self.minutes)
        self.idle_away.toggled.connect(self._changed)
        self.minutes.valueChanged.connect(self._changed)

    def _changed(self) -> None:
        self.minutes.setEnabled(self.idle_away.isChecked())
        s = self._settings
        if s is not None:  # the idle timer reads these at its next turn (app/clients/presence)
            s.idle_away = self.idle_away.isChecked()
            s.idle_away_minutes = self.minutes.value()
            _save(s)


@settings_page(90, LANGUAGE_PAGE)
class LanguagePage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageSettingsPage")
        self._settings = _settings(desk)
        form = QFormLayout(self)
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem(self.tr("As the system"), "")
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        s = self._settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.language if s else "")))
        form.addRow(self.tr("Interface language"), self.language)
        self.note = QLabel()
        self.note.setObjectName("languageNote")
        self.note.setWordWrap(True)
        form.addRow(self.note)
        self.language.currentIndexChanged.connect(self._changed)

    def _changed(self) -> None:
        from PySide6.QtWidgets import QApplication

        from ui.common import i18n

        language = str(self.language.currentData())
        s = self._settings
        if s is not None:
            s.language = language
            _save(s)
        app = QApplication.instance()
        if app is not None:  # new texts (menus, dialogs, messages) speak it at once
            i18n.switch(app, language or None)
        self.note.setText(
            self.tr("Windows opened from now on use it; the main window after a restart.")
        )
