"""The Connect dialog: by request (the user accepts on their side) or by password (the one
set on the user's computer, with where it is, or reverse: the user's computer dials in)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class ConnectChoice:
    """What the specialist chose in the dialog."""

    by_password: bool
    password: str | None
    host: str | None
    port: int | None
    reverse: bool
    view_only: bool


class ConnectDialog(QDialog):
    sig_connect = Signal(object)
    """The specialist chose: a `ConnectChoice`."""

    def __init__(
        self,
        user_name: str,
        view_only: bool,
        parent: QWidget | None = None,
        *,
        secret_in_argv: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("remoteConnectDialog")
        self.setWindowTitle(self.tr("Connect to the user's desktop"))
        layout = QVBoxLayout(self)
        from ui.common.text import NAME_SHOWN, fill, preview_line

        name = preview_line(user_name, NAME_SHOWN)  # one line: a long one widened the dialog
        who = QLabel(fill(self.tr("Connect to %1's computer"), name))
        who.setTextFormat(Qt.TextFormat.PlainText)  # a user's name is never markup
        layout.addWidget(who)
        self.by_request = QRadioButton(self.tr("By request: the user accepts on their side"))
        self.by_request.setObjectName("remoteByRequest")
        self.by_password = QRadioButton(self.tr("By password set on the user's computer"))
        self.by_password.setObjectName("remoteByPassword")
        self.by_request.setChecked(True)
        layout.addWidget(self.by_request)
        layout.addWidget(self.by_password)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setObjectName("remotePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.host = QLineEdit()
        self.host.setObjectName("remoteHost")
        self.host.setPlaceholderText(self.tr("address of the user's computer"))
        self.port = QSpinBox()
        self.port.setObjectName("remotePort")
        self.port.setRange(1, 65535)
        self.port.setValue(5900)
        self.reverse = QCheckBox(self.tr("Reverse: the user's computer connects to me"))
        self.reverse.setObjectName("remoteReverse")
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Computer"), self.host)
        form.addRow(self.tr("Port"), self.port)
        layout.addLayout(form)
        layout.addWidget(self.reverse)
        self.view_only = QCheckBox(self.tr("View only"))
        self.view_only.setObjectName("remoteViewOnly")
        self.view_only.setChecked(view_only)
        layout.addWidget(self.view_only)
        self.warning = QLabel(
            self.tr(
                "The viewer set in Settings takes the password on its command line: other"
                " users of this computer can see it while it runs."
            )
        )
        self.warning.setObjectName("remoteSecretWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setVisible(secret_in_argv)
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(self.tr("Connect"))
        self.connect_button.setObjectName("remoteConnectButton")
        buttons.accepted.connect(self._chosen)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for widget in (self.by_request, self.by_password, self.reverse):
            widget.toggled.connect(self._update)
        self.host.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        by_password = self.by_password.isChecked()
        reverse = self.reverse.isChecked()
        for widget in (self.password, self.reverse):
            widget.setEnabled(by_password)
        self.host.setEnabled(by_password and not reverse)
        self.port.setEnabled(by_password and not reverse)
        ready = not by_password or (
            bool(self.password.text()) and (reverse or bool(self.host.text().strip()))
        )
        self.connect_button.setEnabled(ready)

    def _chosen(self) -> None:
        by_password = self.by_password.isChecked()
        reverse = by_password and self.reverse.isChecked()
        choice = ConnectChoice(
            by_password=by_password,
            password=self.password.text() if by_password else None,
            host=self.host.text().strip() if by_password and not reverse else None,
            port=self.port.value() if by_password and not reverse else None,
            reverse=reverse,
            view_only=self.view_only.isChecked(),
        )
        self.password.clear()  # not kept in a widget longer than needed
        self.sig_connect.emit(choice)
        self.accept()
