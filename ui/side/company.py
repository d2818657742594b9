"""The info panel's Company: its name, every INN, and its responsible specialists with their
status (live); a click on one opens their chat when they are a user of this line too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from app.core.domain import PersonRef
from ui.mainwindow.status import status_color, status_icon, status_name
from ui.side.listmodel import ROW, FittedList, Look, RowsModel, someone_elses
from ui.side.section import Fields, Section, SectionHost, info_section, plain_label
from ui.tickets.holder import short_name

NBSP = "\u00a0"

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core import changes as ch
    from app.core.domain import UserCard, UserRow
    from ui.mainwindow.bridge import Bridge


@info_section
class CompanySection(Section):
    key = "company"
    order = 20

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.fields = Fields(self)
        self.fields.add("company", self.tr("Company"))
        self.fields.add("inn", self.tr("INN"))
        self.responsible_caption = plain_label("caption_responsible")
        self.responsible_caption.setText(self.tr("Responsible specialists"))
        self.responsible_caption.setStyleSheet("color: palette(placeholder-text);")
        self.body.addWidget(self.responsible_caption)
        self.responsible = RowsModel[PersonRef](self._look, self)
        self.responsible_view = FittedList("infoResponsible")
        self.responsible_view.setWordWrap(True)  # a long status goes under the name, whole
        self.responsible_view.setUniformItemSizes(False)
        self.responsible_view.setModel(self.responsible)
        self.responsible_view.clicked.connect(self._open)
        self.responsible_view.activated.connect(self._open)
        self.body.addWidget(self.responsible_view)
        self.clear()

    def title(self) -> str:
        return self.tr("Company")

    def _look(self, person: PersonRef) -> Look:
        """«Кузнецов Д. А. · Свободен»: the short name, so the status mostly fits the
        panel's width; where it does not («Занят для новых обращений», "Busy for new
        tickets") the row wraps after the dot — the name and the status each stay whole
        (no-break spaces inside them). The full name in the tooltip."""
        status = person.status
        text = someone_elses(short_name(person.full_name)).replace(" ", NBSP)
        full = someone_elses(person.full_name)
        if status is not None:
            text = f"{text} · {status_name(status).replace(' ', NBSP)}"
            full = f"{full} · {status_name(status)}"
        tip = (
            self.tr("Open their chat")
            if person.user_id is not None
            else self.tr("Not a user of this line: no chat with them here")
        )
        return Look(
            text,
            f"{full}\n{tip}",
            status_color(status).name() if status else "",
            status_icon(status),
        )

    def show_row(self, row: UserRow) -> None:
        company = row.company
        self.fields.set("company", company.name if company else "")
        self.fields.set("inn", ", ".join(company.inns) if company else "")
        self.setVisible(company is not None)

    def show_card(self, card: UserCard) -> None:
        self.show_row(card.row)
        people = card.company.responsible if card.company else ()
        self.responsible.set_rows(people)
        self.responsible_caption.setVisible(bool(people))
        self.responsible_view.setVisible(bool(people))

    def clear(self) -> None:
        self.fields.clear()
        self.responsible.set_rows(())
        self.responsible_caption.hide()
        self.responsible_view.hide()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.ColleagueChanged, self._colleague_changed)

    def _colleague_changed(self, change: ch.ColleagueChanged) -> None:
        """A responsible specialist's status changed: shown at once."""
        colleague = change.colleague
        rows = self.responsible.rows()
        if any(p.id == colleague.id and p.status != colleague.status for p in rows):
            self.responsible.set_rows(
                [
                    PersonRef(p.id, p.full_name, colleague.status, p.user_id)
                    if p.id == colleague.id
                    else p
                    for p in rows
                ]
            )

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        person = index.data(ROW)
        desk = self.host.desk
        if isinstance(person, PersonRef) and person.user_id is not None and desk is not None:
            desk.open_user(person.user_id)
