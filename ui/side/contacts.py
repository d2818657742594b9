"""The info panel's Contacts: position, department, e-mail, phone (a click puts it into the
dialer), birth date and the account ID (the login), each copyable."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ui.common.when import date_text
from ui.side.section import ClickableLabel, Fields, Section, SectionHost, info_section

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.domain import UserCard, UserRow


@info_section
class ContactsSection(Section):
    key = "contacts"
    order = 10

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.fields = Fields(self)
        add = self.fields.add
        add("position", self.tr("Position"))
        add("department", self.tr("Department"))
        add("email", self.tr("E-mail"))
        self.phone = ClickableLabel()
        self.phone.setToolTip(self.tr("Put the number into the dialer"))
        self.phone.sig_clicked.connect(self._dial)
        add("phone", self.tr("Phone"), self.phone)
        add("birth_date", self.tr("Birth date"))
        add("login", self.tr("Account ID"))

    def title(self) -> str:
        return self.tr("Contacts")

    def show_row(self, row: UserRow) -> None:
        put = self.fields.set
        put("position", row.position)
        put("department", "")
        put("email", row.email)
        put("phone", "")
        put("birth_date", _date(row.birth_date))
        put("login", row.login)

    def show_card(self, card: UserCard) -> None:
        self.show_row(card.row)
        self.fields.set("department", card.department)
        self.fields.set("phone", card.phone)

    def clear(self) -> None:
        self.fields.clear()

    def _dial(self) -> None:
        number = self.fields.raw.get("phone", "")
        if number:
            self.host.dial(number)


def _date(value: date | None) -> str:
    return date_text(value) if value is not None else ""
