"""The info panel on the right: everything about the open user — the photo and name, then
every registered section (ui/side/section.py `@info_section`) in order. Sections collapse,
and the panel remembers which (the settings' `info_collapsed`). Text from users is plain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.clients.avatars import initials_pixmap
from ui.common.text import one_line
from ui.disconnect import section as disconnected
from ui.side import company, contacts, files, groups, region, support, tickets
from ui.side.section import SECTIONS, Section, plain_label

if TYPE_CHECKING:
    from app.core.domain import UserCard, UserRow
    from app.store.settings import Settings
    from ui.clients.avatars import AvatarStore
    from ui.mainwindow.desk import Desk

REGISTERED = (
    company,
    contacts,
    disconnected,
    files,
    groups,
    region,
    support,
    tickets,
)  # they register

PHOTO = 72  # px: the photo at the panel's top


class InfoPanel(QScrollArea):
    sig_dial = Signal(str)
    """The specialist clicked a phone number: put it into the dialer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(14, 12, 14, 12)
        self.desk: Desk | None = None
        self.settings: Settings | None = None
        self.avatars: AvatarStore | None = None
        self._row: UserRow | None = None
        self.photo = QLabel()
        self.photo.setObjectName("infoPhoto")
        self.photo.setFixedSize(PHOTO, PHOTO)
        self.photo.setAccessibleName(self.tr("User's photo"))
        self.photo_shown = False  # the photo (not the initials) is on the label
        outer.addWidget(self.photo)
        self.name = plain_label("infoName")
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        outer.addWidget(self.name)
        # nobody open: a quiet word in the middle, not the sections' headers over nothing
        self.placeholder = QLabel(self.tr("Choose a user in the list"))
        self.placeholder.setObjectName("infoPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: palette(placeholder-text);")
        outer.addWidget(self.placeholder, 1)  # (the panel's height is its, while shown)
        self.sections_box = QWidget()
        self.sections_box.setObjectName("infoSections")
        box = QVBoxLayout(self.sections_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.sections: dict[str, Section] = {}
        for kind in SECTIONS:
            section = kind(self)
            section.sig_collapsed.connect(self._collapsed)
            box.addWidget(section)
            self.sections[kind.key] = section
        outer.addWidget(self.sections_box)
        outer.addStretch(0)
        self.setWidget(body)
        self.values: dict[str, QLabel] = {}  # every section's value labels, by key
        for section in self.sections.values():
            fields = getattr(section, "fields", None)
            if fields is not None:
                self.values.update(fields.values)
        self.show_row(None)

    # -- the host of the sections --------------------------------------------------------------
    def dial(self, number: str) -> None:
        self.sig_dial.emit(number)

    def remember(self, settings: Settings) -> None:
        """Collapse the sections the specialist collapsed before; remember from now on."""
        self.settings = settings
        collapsed = set(settings.info_collapsed)
        for key, section in self.sections.items():
            section.blockSignals(True)
            section.set_collapsed(key in collapsed)
            section.blockSignals(False)

    def _collapsed(self, key: str, collapsed: bool) -> None:
        if self.settings is None:
            return
        keys = [k for k in self.settings.info_collapsed if k != key]
        self.settings.info_collapsed = [*keys, key] if collapsed else keys
        self.settings.save()

    @property
    def user_id(self) -> int | None:
        """The user shown."""
        return self._row.id if self._row is not None else None

    # -- the user ------------------------------------------------------------------------------
    def show_row(self, row: UserRow | None) -> None:
        """What the list already knows, until the card arrives."""
        self.show_photo(row)
        if row is None:
            self._someone(None)
            for section in self.sections.values():
                section.clear()
            return
        self._someone(one_line(row.full_name))
        self.sections_box.show()
        for section in self.sections.values():
            section.clear()
            section.show_row(row)

    def show_loading(self) -> None:
        """A user chosen whose row is not here yet (a streaming line's, a search's, an
        alert's): the panel says it is loading until the card arrives."""
        self.show_photo(None)
        self._someone(self.tr("Loading…"))  # (the sections wait for the card: none empty)
        for section in self.sections.values():
            section.clear()

    def _someone(self, name: str | None) -> None:
        """The name at the top (a user's, or "Loading…"), the sections hidden until a row is
        shown; or, for None, nobody: the placeholder alone."""
        self.placeholder.setVisible(name is None)
        self.name.setText(name or "")
        self.name.setVisible(name is not None)
        self.sections_box.hide()

    def show_card(self, card: UserCard) -> None:
        if self._row is None or self._row.id != card.row.id:
            self.show_row(card.row)
        self.show_photo(card.row)
        self._someone(one_line(card.row.full_name))
        self.sections_box.show()  # (a row shown before set the photo alone: UserChanged)
        for section in self.sections.values():
            section.show_card(card)

    @property
    def shown_row(self) -> UserRow | None:
        """The row whose photo (or initials) is shown."""
        return self._row

    def show_photo(self, row: UserRow | None) -> None:
        """The user's photo at the top (the initials until it is here; asked for when not)."""
        self._row = row
        if row is None:
            self.photo.hide()
            self.photo.clear()
            self.photo_shown = False
            return
        dpr = self.devicePixelRatioF()
        photo = None
        if row.avatar_url and self.avatars is not None:
            photo = self.avatars.pixmap(row.avatar_url, PHOTO, dpr)
            if photo is None:
                self.avatars.request(row.avatar_url, row.id)
        self.photo_shown = photo is not None
        if photo is None:
            font = QFont(self.name.font())
            font.setPointSizeF(font.pointSizeF() * 1.3)
            font.setWeight(QFont.Weight.Bold)
            photo = initials_pixmap(row.full_name, PHOTO, font, dpr)
        self.photo.setPixmap(photo)
        self.photo.show()

    def avatar_ready(self, url: str) -> None:
        """A photo arrived (or failed): show it if it is the shown user's."""
        if self._row is not None and self._row.avatar_url == url:
            self.show_photo(self._row)
