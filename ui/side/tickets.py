"""The info panel's Tickets: the user's tickets on this line, newest first — this one (open)
and the last ones: opened (when, by what), the holder, finished (when), the rating. Asked
for when the card comes; asked again when a step of this chat's tickets happens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from app.tickets.part import HISTORY
from contract.tickets import Opener, TicketSummary
from contract.types import TicketState
from ui.common.when import date_time_text
from ui.side.listmodel import FittedList, Look, RowsModel, someone_elses
from ui.side.section import Section, SectionHost, info_section, plain_label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core import changes as ch
    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge

SHOWN = 10  # the last tickets asked for
OPEN_COLOR = "#2e7d32"  # this ticket, open now


def _when(moment: datetime | None) -> str:
    return date_time_text(moment.astimezone()) if moment is not None else ""


@info_section
class TicketsSection(Section):
    key = "tickets"
    order = 60

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.chat_id: int | None = None
        self.tickets = RowsModel[TicketSummary](self._look, self)
        self.view = FittedList("infoTickets")
        self.view.setModel(self.tickets)
        self.body.addWidget(self.view)
        self.empty = plain_label("infoTicketsEmpty")
        self.empty.setText(self.tr("No tickets yet"))
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.body.addWidget(self.empty)
        self.clear()

    def title(self) -> str:
        return self.tr("Tickets")

    def _openers(self) -> dict[Opener, str]:
        return {
            Opener.MESSAGE: self.tr("by a message"),
            Opener.FILE: self.tr("by a file"),
            Opener.CALL: self.tr("by a call"),
            Opener.REMOTE: self.tr("by a remote session"),
            Opener.START: self.tr("by Start work"),
        }

    def _look(self, t: TicketSummary) -> Look:
        holder = someone_elses(t.specialist_name) if t.specialist_name else self.tr("in the queue")
        if t.state is TicketState.OPEN:
            end = self.tr("open now")
        else:
            end = self.tr("finished %1").replace("%1", _when(t.closed_at))
        rating = f" · {'★' * t.score}" if t.score else ""
        text = f"{_when(t.opened_at)} · {holder} · {end}{rating}"
        lines = [
            self.tr("Ticket %1").replace("%1", str(t.id)),
            self.tr("Opened %1").replace("%1", _when(t.opened_at))
            + (f" {self._openers()[t.via]}" if t.via is not None else ""),
            self.tr("Holder: %1").replace("%1", holder if t.specialist_name else self.tr("nobody")),
        ]
        if t.closed_at is not None:
            lines.append(self.tr("Finished %1").replace("%1", _when(t.closed_at)))
        if t.score:
            rated = self.tr("Rating: %1 of 5").replace("%1", str(t.score))
            lines.append(f"{rated} — {someone_elses(t.comment)}" if t.comment else rated)
        return Look(text, "\n".join(lines), OPEN_COLOR if t.state is TicketState.OPEN else "")

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.TicketStepAdded, self._step)

    def show_row(self, row: UserRow) -> None:
        if row.chat_id != self.chat_id:
            self.clear()

    def show_card(self, card: UserCard) -> None:
        self.chat_id = card.row.chat_id or None
        self.reload()

    def reload(self) -> None:
        if self.chat_id is not None:
            self.ask(HISTORY, self.chat_id, SHOWN, done=self._shown)

    def _shown(self, found: list[TicketSummary] | None) -> None:
        rows = found or []
        self.tickets.set_rows(rows)
        self.view.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def _step(self, change: ch.TicketStepAdded) -> None:
        if change.step.chat_id == self.chat_id:
            self.reload()

    def clear(self) -> None:
        self.forget()
        self.chat_id = None
        self.tickets.set_rows(())
        self.view.hide()
        self.empty.show()
