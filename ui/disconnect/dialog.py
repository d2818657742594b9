"""The dialog that asks before disconnecting a user from the line: why (required, as the
server takes it: at most 500 characters, something besides spaces and invisible characters),
with the seed's warning as the hint, and for how long — until restored, or for a time (seed
004: a temporary block until the cause is put right; the server lifts it by itself then),
and — when the user is on other lines the specialist serves — whether from those too (the
account blocked); Disconnect while the reason is there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from contract.disconnections import MAX_REASON
from contract.types import shows_something
from ui.common.text import NAME_SHOWN, preview_line
from ui.common.text_dialog import TextDialog

FOR_HOW_LONG: tuple[tuple[str, dt.timedelta | None], ...] = (
    (str(QT_TRANSLATE_NOOP("DisconnectDialog", "Until restored")), None),
    (str(QT_TRANSLATE_NOOP("DisconnectDialog", "For an hour")), dt.timedelta(hours=1)),
    (str(QT_TRANSLATE_NOOP("DisconnectDialog", "For a day")), dt.timedelta(days=1)),
    (str(QT_TRANSLATE_NOOP("DisconnectDialog", "For a week")), dt.timedelta(weeks=1)),
    (str(QT_TRANSLATE_NOOP("DisconnectDialog", "For 30 days")), dt.timedelta(days=30)),
)


class DisconnectDialog(TextDialog):
    def __init__(
        self,
        name: str,
        reason: str = "",
        parent: QWidget | None = None,
        also: Sequence[tuple[int, str]] = (),
    ) -> None:
        """`also`: the other lines the specialist serves that the user is on (id, name)."""
        super().__init__("disconnect", reason, MAX_REASON, parent)
        self.setWindowTitle(self.tr("Disconnect from the line"))
        ask = QLabel(
            self.tr(
                "Disconnect %1 from this support line? Their open ticket is finished, and the"
                " line takes no messages, files or calls from them until a specialist of the"
                " line restores them or the time chosen is over."
            ).replace("%1", preview_line(name, NAME_SHOWN))  # long: a dialog past the screen
        )
        ask.setObjectName("disconnectAsk")
        ask.setTextFormat(Qt.TextFormat.PlainText)  # the name is the user's: never markup
        ask.setWordWrap(True)
        self.box.addWidget(ask)
        self.how_long = QComboBox()
        self.how_long.setObjectName("disconnectFor")
        for text, span in FOR_HOW_LONG:
            self.how_long.addItem(QCoreApplication.translate("DisconnectDialog", text), span)
        form = QFormLayout()
        form.addRow(self.tr("For how long:"), self.how_long)
        self.box.addLayout(form)
        self.everywhere = QCheckBox(
            self.tr("Also from my other lines: %1").replace(
                "%1", ", ".join(preview_line(name).replace("&", "&&") for _id, name in also)
            )  # a name's "&" is shown, not a shortcut
        )
        self._also = [line_id for line_id, _name in also]
        self.everywhere.setObjectName("disconnectAllLines")
        self.everywhere.setToolTip(
            self.tr(
                "The account is blocked on each of your lines where this user is (for example,"
                " when it loads the service abnormally); each line restores it on its own"
            )
        )
        self.everywhere.setVisible(bool(also))
        self.box.addWidget(self.everywhere)
        self.box.addWidget(QLabel(self.tr("Reason (the user and your colleagues see it):")))
        self.editor.setPlaceholderText(
            self.tr("Repeated breach of the business style of communication after a warning")
        )
        self.why.setStyleSheet("color: #b3261e;")
        ok = self.buttons.addButton(self.tr("Disconnect"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("disconnectOk")
        self.place(ok)
        self.resize(440, 300 if also else 260)

    def reason(self) -> str:
        return self.text()

    def until(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """When the disconnection chosen ends (from `now`: the server's, as the server
        judges it — a workstation's clock hours behind sent a time already past), None:
        until restored."""
        span = self.how_long.currentData()
        return None if span is None else (now or dt.datetime.now(dt.UTC)) + span

    def also_lines(self) -> list[int]:
        """The other lines to disconnect them from too: those named, when checked."""
        return list(self._also) if self.everywhere.isChecked() else []

    def takes(self, text: str) -> bool:
        return shows_something(text)
