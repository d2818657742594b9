"""The info panel's Support parameters: the company's tags and values (1C registration
number, ITS contract, tariff, category, prepayment or debt …) and the user's access to this
line. What ends within 30 days — an ITS contract, the line access — is amber, with how soon."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.core.domain import CompanyParam
from ui.common.text import preview_line
from ui.common.when import date_text
from ui.side.listmodel import FittedList, Look, RowsModel
from ui.side.section import AMBER, Section, SectionHost, info_section

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.domain import UserCard

SOON_DAYS = 30
EXPIRED = "#c62828"


def ends_soon(expires: date | None, today: date) -> bool:
    """Ends within SOON_DAYS days from today (today included), not already over."""
    return expires is not None and 0 <= (expires - today).days <= SOON_DAYS


@info_section
class SupportSection(Section):
    key = "support"
    order = 30

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.today = date.today  # (a test may set the day)
        self.params = RowsModel[CompanyParam](self._look, self)
        self.view = FittedList("infoParams")
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setModel(self.params)
        self.body.addWidget(self.view)
        self.clear()

    def title(self) -> str:
        return self.tr("Support parameters")

    def _look(self, param: CompanyParam) -> Look:
        text = f"{preview_line(param.tag)}: {preview_line(param.value)}"  # wraps, one paragraph
        expires = param.expires
        if expires is None:
            return Look(text, text)
        days = (expires - self.today()).days
        if days < 0:
            return Look(text, self.tr("Ended on %1").replace("%1", date_text(expires)), EXPIRED)
        if days <= SOON_DAYS:
            soon = (
                self.tr("Ends on %1 (days left: %2)")
                .replace("%1", date_text(expires))
                .replace("%2", str(days))
            )
            return Look(f"{text} — {soon}", soon, AMBER)
        return Look(text, text)

    def show_card(self, card: UserCard) -> None:
        rows = list(card.company.params) if card.company else []
        until = card.access_until
        if until is not None:
            value = self.tr("until %1").replace("%1", date_text(until))
            rows.append(CompanyParam(self.tr("Access to this line"), value, until))
        self.params.set_rows(rows)
        self.setVisible(bool(rows))

    def clear(self) -> None:
        self.params.set_rows(())
        self.hide()
