"""The transfer dialog: the serving company's other lines the user is connected to (the
ticket routed there, seed 001), then the line's colleagues with their status, load (open
tickets of their capacity) and local time; only a Free one can be chosen (the others
greyed, with why);
a search field filters by name as one types (↓ goes into the list, Enter transfers); a
handover note for the colleague. The server decides: a colleague who stopped being Free a
moment ago is refused there, said in words, and the ticket stays."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from contract.tickets import Tier
from contract.types import Status
from ui.common.text import preview_line
from ui.common.when import time_text
from ui.tickets.holder import translate

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QKeyEvent

    from contract.tickets import LineLoad, SpecialistLoad

ID_ROLE = 0x0100 + 1
TIER_ROLE = 0x0100 + 2  # the tier a row hands the ticket to (a vendor line's other one)
LINE_ROLE = 0x0100 + 3  # another line a row hands the ticket to (routed there)


def local_time(zone: str, now: datetime | None = None) -> str:
    try:
        return time_text((now or datetime.now(UTC)).astimezone(ZoneInfo(zone)))
    except (KeyError, ValueError):
        return ""


class _Search(QLineEdit):
    def __init__(self, dialog: TransferDialog) -> None:
        super().__init__()
        self._dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self._dialog.people.setFocus()
            self._dialog.select_first()
            return
        super().keyPressEvent(event)


class TransferDialog(QDialog):
    def __init__(
        self,
        load: LineLoad,
        me: int | None,
        parent: QWidget | None = None,
        other_lines: Sequence[tuple[int, str]] = (),
        transferred_before: bool = False,
    ) -> None:
        super().__init__(parent)
        from ui.mainwindow.status import status_name

        self.setObjectName("transferDialog")
        self.setWindowTitle(translate("Tickets", "Transfer the ticket"))
        layout = QVBoxLayout(self)
        self.search = _Search(self)
        self.search.setObjectName("transferSearch")
        self.search.setPlaceholderText(translate("Tickets", "Find a colleague"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.again = QLabel(  # seed 000, 4.10
            translate(
                "Tickets",
                "This ticket has been transferred already: the working rules advise "
                "transferring a ticket no more than once.",
            )
        )
        self.again.setObjectName("transferAgain")
        self.again.setWordWrap(True)
        self.again.setStyleSheet("color: #8a5a00")
        self.again.setVisible(transferred_before)
        layout.addWidget(self.again)
        self.people = QListWidget()
        self.people.setObjectName("transferPeople")
        layout.addWidget(self.people, 1)
        mine = next((s.tier for s in load.specialists if s.id == me), None) or Tier.FIRST
        other = Tier.SECOND if mine is Tier.FIRST else Tier.FIRST
        if load.tiers:  # the other tier, whoever is Free there
            item = QListWidgetItem(tier_target(other))
            item.setData(TIER_ROLE, other.value)
            self.people.addItem(item)
        for line_id, name in other_lines:  # routed there: its Free specialist, or its queue
            shown = preview_line(name)
            item = QListWidgetItem(translate("Tickets", "To the line “%1”").replace("%1", shown))
            item.setData(LINE_ROLE, line_id)
            self.people.addItem(item)
        for s in sorted(load.specialists, key=lambda s: (s.status is not Status.FREE, s.full_name)):
            if s.id == me:
                continue
            text = self._line(s, status_name(s.status))
            if load.tiers and s.tier is other:
                text += " · " + tier_name(other)
                item = QListWidgetItem(text)
                item.setData(TIER_ROLE, other.value)
            else:
                item = QListWidgetItem(text)
            item.setData(ID_ROLE, s.id)
            if s.status is not Status.FREE:  # greyed, with why
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                why = translate("Tickets", "Not Free: %1").replace("%1", status_name(s.status))
                item.setToolTip(why)
            self.people.addItem(item)
        layout.addWidget(QLabel(translate("Tickets", "Handover note for the colleague (optional)")))
        self.note = QPlainTextEdit()
        self.note.setObjectName("transferNote")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(translate("Tickets", "Transfer"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.people.currentItemChanged.connect(lambda *_: self._enable())
        self.people.itemActivated.connect(self._activated)
        self._enable()
        self.resize(600, 460)  # a colleague's line (name · status · load · time) whole

    def _activated(self, _item: QListWidgetItem) -> None:
        if self.ok.isEnabled():
            self.accept()

    @staticmethod
    def _line(s: SpecialistLoad, status: str) -> str:
        load = translate("Tickets", "%1 of %2 open").replace("%1", str(s.open))
        load = load.replace("%2", str(s.capacity))
        clock = local_time(s.time_zone)
        when = translate("Tickets", "%1 local time").replace("%1", clock) if clock else ""
        return " · ".join(p for p in (preview_line(s.full_name), status, load, when) if p)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.people.count()):
            item = self.people.item(row)
            item.setHidden(not all(w in item.text().casefold() for w in words))
        self._enable()

    def select_first(self) -> None:
        for row in range(self.people.count()):
            item = self.people.item(row)
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.people.setCurrentItem(item)
                return

    def _enable(self) -> None:
        self.ok.setEnabled(self.target() is not None)

    def target(self) -> tuple[int | None, Tier | None, int | None] | None:
        """What the chosen row hands the ticket to: a colleague, a tier, or both (a
        colleague of the other tier), or another line; None: nothing that can be chosen."""
        item = self.people.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        value, tier, line = item.data(ID_ROLE), item.data(TIER_ROLE), item.data(LINE_ROLE)
        return (
            None if value is None else int(value),
            None if tier is None else Tier(tier),
            None if line is None else int(line),
        )

    def chosen(self) -> int | None:
        """The chosen colleague, if a colleague is chosen."""
        target = self.target()
        return None if target is None else target[0]

    def note_text(self) -> str:
        return self.note.toPlainText().strip()


def tier_name(tier: Tier) -> str:
    if tier is Tier.SECOND:
        return translate("Tickets", "second line (vendor)")
    return translate("Tickets", "first line")


def tier_target(tier: Tier) -> str:
    if tier is Tier.SECOND:
        return translate("Tickets", "To the second line (vendor)")
    return translate("Tickets", "Back to the first line")
