"""The Settings dialog's page for remote desktop: which viewer, where it is, view only by
default. Each change is written at once (ui/settings/pages.py)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from ui.settings.pages import QT_TRANSLATE_NOOP, settings_page

if TYPE_CHECKING:
    from app.store.settings import Settings
    from ui.mainwindow.desk import Desk

BACKENDS = (("tigervnc", "TigerVNC"), ("freerdp", "FreeRDP"), ("remmina", "Remmina"))
PROGRAMS = {"tigervnc": "xtigervncviewer", "freerdp": "xfreerdp", "remmina": "remmina"}


def secret_in_argv(template: str) -> bool:
    """A command template that puts the password on the command line (any local user can
    read a process's command line)."""
    return "{password}" in template


@settings_page(40, QT_TRANSLATE_NOOP("Settings", "Remote desktop"))
class RemotePage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteSettingsPage")
        workplace = desk.workplace
        self._settings: Settings | None = getattr(workplace, "settings", None)
        form = QFormLayout(self)
        self.backend = QComboBox()
        self.backend.setObjectName("remoteBackend")
        for key, name in BACKENDS:
            self.backend.addItem(name, key)
        self.backend.addItem(self.tr("Command template"), "template")
        self.template = QLineEdit()
        self.template.setObjectName("remoteCommandTemplate")
        self.template.setPlaceholderText("rustdesk --connect {id} --password {password}")
        self.path = QLineEdit()
        self.path.setObjectName("remoteViewerPath")
        self.view_only = QCheckBox(self.tr("Connect view only by default"))
        self.view_only.setObjectName("remoteViewOnlyDefault")
        self.found = QLabel()
        self.found.setObjectName("remoteViewerFound")
        self.found.setTextFormat(Qt.TextFormat.PlainText)
        self.found.setWordWrap(True)
        form.addRow(self.tr("Viewer"), self.backend)
        form.addRow(self.tr("Program"), self.path)
        form.addRow(self.tr("Command"), self.template)
        form.addRow("", self.found)
        form.addRow("", self.view_only)
        s = self._settings
        if s is not None:
            self.backend.setCurrentIndex(max(0, self.backend.findData(s.remote_backend)))
            self.path.setText(s.remote_viewer_path)
            self.template.setText(s.remote_command_template)
            self.view_only.setChecked(s.remote_view_only)
        self.backend.currentIndexChanged.connect(self._save)
        self.path.editingFinished.connect(self._save)
        self.template.editingFinished.connect(self._save)
        self.view_only.toggled.connect(self._save)
        self._show_found()

    def _save(self) -> None:
        s = self._settings
        if s is not None:
            s.remote_backend = str(self.backend.currentData())
            s.remote_viewer_path = self.path.text().strip()
            s.remote_command_template = self.template.text().strip()
            s.remote_view_only = self.view_only.isChecked()
            s.save()
        self._show_found()

    def _show_found(self) -> None:
        backend = str(self.backend.currentData())
        template = backend == "template"
        self.template.setEnabled(template)
        self.path.setEnabled(not template)
        if template:
            text = self.tr("The command runs as written, never through a shell.")
            if secret_in_argv(self.template.text()):
                text += "\n" + self.tr(
                    "Warning: this command puts the password on its command line, where any"
                    " user of this computer can read it. Prefer a tool that reads it from its"
                    " standard input."
                )
            self.found.setText(text)
            return
        program = self.path.text().strip() or PROGRAMS[backend]
        self.path.setPlaceholderText(PROGRAMS[backend])
        where = shutil.which(program)
        if where is None:
            self.found.setText(self.tr("Not installed: %1").replace("%1", program))
        else:
            self.found.setText(self.tr("Found: %1").replace("%1", where))
        if backend == "remmina":
            self.found.setText(
                self.found.text()
                + "\n"
                + self.tr(
                    "Remmina runs one window for all its connections: LineDesk cannot see when"
                    " a Remmina session ends; end it in Remmina's window."
                )
            )
