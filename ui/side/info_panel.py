"""The info panel on the right: everything about the selected user (plain text only)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.core.domain import UserCard, UserRow
from ui.clients.avatars import AvatarStore, initials_pixmap

PHOTO = 72  # px: the photo at the panel's top

_FIELDS = (
    "position",
    "department",
    "email",
    "phone",
    "birth_date",
    "login",
    "company",
    "inn",
    "region",
    "local_time",
    "params",
    "responsible",
)


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def local_time(time_zone: str, now: datetime | None = None) -> str:
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    moment = (now or datetime.now(tz=zone)).astimezone(zone)
    offset = moment.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return f"{moment:%H:%M} (UTC{hours:+d}, {time_zone})"


class InfoPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(14, 12, 14, 12)
        self.avatars: AvatarStore | None = None
        self._row: UserRow | None = None
        self.photo = QLabel()
        self.photo.setObjectName("infoPhoto")
        self.photo.setFixedSize(PHOTO, PHOTO)
        self.photo.setAccessibleName(self.tr("User's photo"))
        self.photo_shown = False  # the photo (not the initials) is on the label
        outer.addWidget(self.photo)
        self.name = QLabel()
        self.name.setObjectName("infoName")
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        outer.addWidget(self.name)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setVerticalSpacing(3)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.setWidget(body)
        self.values: dict[str, QLabel] = {}
        captions = self._captions()
        for key in _FIELDS:
            value = _value_label()
            value.setObjectName(f"info_{key}")
            caption = QLabel(captions[key])
            caption.setObjectName(f"caption_{key}")
            caption.setStyleSheet("color: palette(placeholder-text); margin-top: 6px;")
            self.form.addRow(caption, value)
            self.values[key] = value
        self._time_zone = ""
        self._clock = QTimer(self)
        self._clock.setInterval(20_000)
        self._clock.timeout.connect(self._tick)
        self.show_row(None)

    def _captions(self) -> dict[str, str]:
        return {
            "position": self.tr("Position"),
            "department": self.tr("Department"),
            "email": self.tr("E-mail"),
            "phone": self.tr("Phone"),
            "birth_date": self.tr("Birth date"),
            "login": self.tr("Login"),
            "company": self.tr("Company"),
            "inn": self.tr("INN"),
            "region": self.tr("Region"),
            "local_time": self.tr("User's local time"),
            "params": self.tr("Support parameters"),
            "responsible": self.tr("Responsible specialists"),
        }

    def _set(self, key: str, text: str) -> None:
        label = self.values[key]
        label.setText(text)
        visible = bool(text)
        label.setVisible(visible)
        caption = self.form.labelForField(label)
        if caption is not None:
            caption.setVisible(visible)

    def show_row(self, row: UserRow | None) -> None:
        """What the list already knows, until the card arrives."""
        self._clock.stop()
        self._time_zone = ""
        self.show_photo(row)
        if row is None:
            self.name.setText(self.tr("Choose a user in the list"))
            for key in _FIELDS:
                self._set(key, "")
            return
        self.name.setText(row.full_name)
        self._set("position", row.position)
        self._set("department", "")
        self._set("email", row.email)
        self._set("phone", "")
        self._set("birth_date", _date(row.birth_date))
        self._set("login", row.login)
        self._set("company", row.company.name if row.company else "")
        self._set("inn", ", ".join(row.company.inns) if row.company else "")
        for key in ("region", "local_time", "params", "responsible"):
            self._set(key, "")

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

    def show_card(self, card: UserCard) -> None:
        self.show_row(card.row)
        self._set("department", card.department)
        self._set("phone", card.phone)
        company = card.company
        if company is not None:
            self._set("company", company.name)
            self._set("inn", ", ".join(company.inns))
            self._set("params", "\n".join(f"{p.tag}: {p.value}" for p in company.params))
            self._set("responsible", "\n".join(p.full_name for p in company.responsible))
        self._set("region", card.region or (company.region if company else ""))
        self._time_zone = card.time_zone or (company.time_zone if company else "")
        self._tick()
        self._clock.start()

    def _tick(self) -> None:
        self._set("local_time", local_time(self._time_zone) if self._time_zone else "")


def _date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""
