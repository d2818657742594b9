"""Blind transfer from the in-call panel: a colleague (their number at the PBX) or a number
typed; and what the panel says while the other side calls the target.

Signal of the dialog: `sig_transfer(str)`, the target (telephony.links.dial_target's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from telephony.links import NotDialable, dial_target
from telephony.problems import TransferState
from ui.common.text import fill, one_line, plain_tooltip, preview_line
from ui.mainwindow.actions import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core.domain import Colleague
    from telephony.call import Call
    from telephony.transfer import Transfer

EXTENSION_ROLE = 0x0100 + 1
CONTEXT = "Calls"

_NOT_TRANSFERRED = {
    404: QT_TRANSLATE_NOOP("Calls", "there is no such number"),
    484: QT_TRANSLATE_NOOP("Calls", "there is no such number"),
    486: QT_TRANSLATE_NOOP("Calls", "the number is busy"),
    600: QT_TRANSLATE_NOOP("Calls", "the number is busy"),
    408: QT_TRANSLATE_NOOP("Calls", "nobody answered"),
    480: QT_TRANSLATE_NOOP("Calls", "nobody answered"),
    487: QT_TRANSLATE_NOOP("Calls", "nobody answered"),
    603: QT_TRANSLATE_NOOP("Calls", "the call was declined"),
}


def transfer_text(transfer: Transfer) -> str:
    """The in-call panel's line about the transfer."""
    who = transfer.target.removeprefix("sip:").split("@")[0]
    if transfer.state in (TransferState.ASKING, TransferState.TRYING):
        if transfer.status in (180, 183):
            return QCoreApplication.translate("Calls", "Transferring to %1: ringing…").replace(
                "%1", who
            )
        return QCoreApplication.translate("Calls", "Transferring to %1…").replace("%1", who)
    if transfer.state is TransferState.DONE:
        return QCoreApplication.translate("Calls", "Transferred to %1").replace("%1", who)
    if transfer.status in _NOT_TRANSFERRED:
        reason = QCoreApplication.translate(CONTEXT, _NOT_TRANSFERRED[transfer.status])
    else:
        reason = QCoreApplication.translate("Calls", "the PBX said %1").replace(
            "%1", str(transfer.status)
        )
    text = QCoreApplication.translate(
        "Calls", "Not transferred to %1: %2, the caller is still with you"
    )
    return fill(text, who, reason)


class TransferCallDialog(QDialog):
    sig_transfer = Signal(str)
    """The specialist chose where the call goes."""

    def __init__(self, colleagues: Iterable[Colleague], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.mainwindow.status import status_name

        self.setObjectName("transferCallDialog")
        self.setWindowTitle(self.tr("Transfer the call"))
        self.target = QLineEdit()
        self.target.setObjectName("transferTarget")
        self.target.setPlaceholderText(self.tr("Number or SIP address"))
        self.people = QListWidget()
        self.people.setObjectName("transferPeople")
        self.problem = QLabel()
        self.problem.setObjectName("transferProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        for colleague in sorted(colleagues, key=lambda c: c.full_name):
            if not colleague.extension:
                continue
            name = preview_line(colleague.full_name)
            item = QListWidgetItem(f"{name} — {status_name(colleague.status)}")
            item.setData(EXTENSION_ROLE, colleague.extension)
            item.setToolTip(plain_tooltip(one_line(colleague.extension)))
            self.people.addItem(item)
        self.people.currentItemChanged.connect(self._chosen)
        self.people.itemActivated.connect(lambda _item: self.transfer())
        self.target.textEdited.connect(lambda _text: self.problem.hide())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(self.tr("Transfer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("transferGo")
        self.go.setDefault(True)
        buttons.accepted.connect(self.transfer)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("To a colleague:")))
        layout.addWidget(self.people)
        layout.addWidget(QLabel(self.tr("Or to a number:")))
        layout.addWidget(self.target)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.target.setText(str(item.data(EXTENSION_ROLE)))
            self.problem.hide()

    def transfer(self) -> None:
        from ui.calls.texts import not_dialable_text

        try:
            target = dial_target(self.target.text())
        except NotDialable as exc:
            self.problem.setText(not_dialable_text(exc.reason))
            self.problem.show()
            return
        self.sig_transfer.emit(target)
        self.accept()


def ask_transfer(
    parent: QWidget, colleagues: Iterable[Colleague], call: Call, spawn: Callable[..., object]
) -> TransferCallDialog:
    """The dialog for handing ``call`` on, open; the target chosen is transferred to."""
    dialog = TransferCallDialog(colleagues, parent)
    dialog.sig_transfer.connect(lambda target: spawn(call.transfer_to(target)))
    dialog.open()
    return dialog
