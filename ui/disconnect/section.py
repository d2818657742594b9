"""The info panel's «Disconnected from the line» (seed 004): shown only while the user is —
who disconnected them, when, why and until when (for a time), with «Restore to the line»
(the command of `feature.py`, so it is enabled where the context menu's is)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QPushButton

from ui.common.text import fill, isolated
from ui.common.when import date_time_text
from ui.side.section import Section, SectionHost, info_section, plain_label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge

MARK_COLOR = "#b3261e"


@info_section
class DisconnectedSection(Section):
    key = "disconnected"
    order = 5  # first: what a specialist must know before anything else

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.header.setStyleSheet(f"font-weight: 600; border: none; color: {MARK_COLOR};")
        self.who = plain_label("infoDisconnectedBy")
        self.reason = plain_label("infoDisconnectedReason")
        self.body.addWidget(self.who)
        self.body.addWidget(self.reason)
        self.until = plain_label("infoDisconnectedUntil")
        self.body.addWidget(self.until)
        self.restore = QPushButton(self.tr("Restore to the line"))
        self.restore.setObjectName("infoRestore")
        self.restore.clicked.connect(self._restore)
        self.body.addWidget(self.restore)
        self._user_id: int | None = None
        self.clear()

    def title(self) -> str:
        return self.tr("Disconnected from the line")

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UserChanged, self._changed)

    def _changed(self, change: Any) -> None:
        if change.row.id == self._user_id:
            self.show_row(change.row)

    def show_row(self, row: UserRow) -> None:
        self._user_id = row.id
        gone = row.disconnected
        if gone is None:
            self.hide()
            return
        when = date_time_text(gone.at.astimezone())
        who = isolated(gone.by_name)
        self.who.setText(fill(self.tr("%1, %2"), who, when))
        self.reason.setText(self.tr("Reason: %1").replace("%1", isolated(gone.reason)))
        if gone.until is not None:
            ends = date_time_text(gone.until.astimezone())
            self.until.setText(self.tr("Until %1: then restored by itself").replace("%1", ends))
        self.until.setVisible(gone.until is not None)
        self.show()

    def show_card(self, card: UserCard) -> None:
        self.show_row(card.row)

    def clear(self) -> None:
        self.hide()

    def _restore(self) -> None:
        desk = self.host.desk
        if desk is not None and desk.user_id == self._user_id:
            from ui.mainwindow.actions import MainAction

            desk.actions[MainAction.RESTORE_USER].trigger()
