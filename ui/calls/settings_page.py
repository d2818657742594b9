"""The Settings dialog's page for the PBX connection: server, port, transport, login, auth
user, password (into the OS keyring, never the settings file), display name, outbound proxy,
and whether calls are recorded (both directions, uploaded to the call's record). Each change
is written at once (ui/settings/pages.py) and the user agent restarted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from ui.calls.account import password_key
from ui.settings.pages import QT_TRANSLATE_NOOP, settings_page

if TYPE_CHECKING:
    from ui.mainwindow.desk import Desk


@settings_page(30, QT_TRANSLATE_NOOP("Settings", "PBX connection"))
class PbxPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pbxSettingsPage")
        self._workplace = cast("Any", desk.workplace)
        self._desk = desk
        self._settings: Any = getattr(self._workplace, "settings", None)
        form = QFormLayout(self)
        self.server = QLineEdit()
        self.server.setObjectName("pbxServer")
        self.port = QSpinBox()
        self.port.setObjectName("pbxPort")
        self.port.setRange(1, 65535)
        self.transport = QComboBox()
        self.transport.setObjectName("pbxTransport")
        self.transport.addItem("UDP", "udp")
        self.transport.addItem("TCP", "tcp")
        self.login = QLineEdit()
        self.login.setObjectName("pbxLogin")
        self.auth_user = QLineEdit()
        self.auth_user.setObjectName("pbxAuthUser")
        self.password = QLineEdit()
        self.password.setObjectName("pbxPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("pbxDisplayName")
        self.proxy = QLineEdit()
        self.proxy.setObjectName("pbxOutboundProxy")
        self.proxy.setPlaceholderText(self.tr("host:port (optional)"))
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Transport"), self.transport)
        form.addRow(self.tr("Login"), self.login)
        form.addRow(self.tr("Auth user"), self.auth_user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Display name"), self.display_name)
        form.addRow(self.tr("Outbound proxy"), self.proxy)
        self.record = QCheckBox(self.tr("Record calls (both sides; kept with the call's record)"))
        self.record.setObjectName("pbxRecordCalls")
        form.addRow("", self.record)
        s = self._settings
        if s is not None:
            self.server.setText(s.pbx_server)
            self.port.setValue(s.pbx_port)
            self.transport.setCurrentIndex(max(0, self.transport.findData(s.pbx_transport)))
            self.login.setText(s.pbx_login)
            self.auth_user.setText(s.pbx_auth_user)
            self.display_name.setText(s.pbx_display_name)
            self.proxy.setText(s.pbx_outbound_proxy)
            self.record.setChecked(s.record_calls)
            if s.pbx_server and s.pbx_login:
                known = self._workplace.credentials.get(password_key(s.pbx_server, s.pbx_login))
                self.password.setText(known or "")
        for edit in (self.server, self.login, self.auth_user, self.display_name, self.proxy):
            edit.editingFinished.connect(self._save)
        self.password.editingFinished.connect(self._save)
        self.port.editingFinished.connect(self._save)
        self.transport.currentIndexChanged.connect(self._save)
        self.record.toggled.connect(self._save)

    def _save(self) -> None:
        s = self._settings
        if s is None:
            return
        s.pbx_server = self.server.text().strip()
        s.pbx_port = self.port.value()
        s.pbx_transport = str(self.transport.currentData())
        s.pbx_login = self.login.text().strip()
        s.pbx_auth_user = self.auth_user.text().strip()
        s.pbx_display_name = self.display_name.text().strip()
        s.pbx_outbound_proxy = self.proxy.text().strip()
        s.record_calls = self.record.isChecked()
        s.save()
        if s.pbx_server and s.pbx_login and self.password.text():
            key = password_key(s.pbx_server, s.pbx_login)
            self._workplace.credentials.set(key, self.password.text())
        # the user agent follows the account at once (the desk's parent is the main window)
        restart = getattr(getattr(self._desk.parent(), "calls", None), "restart", None)
        if restart is not None:
            restart()
