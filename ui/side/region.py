"""The info panel's Region and local time: the user's region and the time where they are
(their time zone, else their company's), ticking, with a note when it is outside 9–18
there."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimer

from ui.common.when import time_text
from ui.side.section import AMBER, Fields, Section, SectionHost, info_section, plain_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from app.core.domain import UserCard

DAY_STARTS, DAY_ENDS = 9, 18  # the user's working day (local hours)


def local_moment(time_zone: str, now: datetime | None = None) -> datetime | None:
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return (now or datetime.now(tz=zone)).astimezone(zone)


def local_time(time_zone: str, now: datetime | None = None) -> str:
    moment = local_moment(time_zone, now)
    if moment is None:
        return ""
    offset = moment.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return f"{time_text(moment)} (UTC{hours:+d}, {time_zone})"


def outside_day(moment: datetime) -> bool:
    return not DAY_STARTS <= moment.hour < DAY_ENDS


@info_section
class RegionSection(Section):
    key = "region"
    order = 50

    def __init__(self, host: SectionHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.now: Callable[[], datetime | None] = lambda: None  # (a test may set the moment)
        self.fields = Fields(self)
        self.fields.add("region", self.tr("Region"))
        self.fields.add("local_time", self.tr("User's local time"))
        self.note = plain_label("infoOutsideDay")
        self.note.setStyleSheet(f"color: {AMBER};")
        self.body.addWidget(self.note)
        self._time_zone = ""
        self.clock = QTimer(self)
        self.clock.setInterval(1000)  # the label changes only when the minute does
        self.clock.timeout.connect(self.tick)
        self.clear()

    def title(self) -> str:
        return self.tr("Region and time")

    def show_card(self, card: UserCard) -> None:
        company = card.company
        self.fields.set("region", card.region or (company.region if company else ""))
        self._time_zone = card.time_zone or (company.time_zone if company else "")
        self.tick()
        self.clock.start()
        self.show()

    def clear(self) -> None:
        self.clock.stop()
        self._time_zone = ""
        self.fields.clear()
        self.note.hide()
        self.hide()

    def tick(self) -> None:
        moment = local_moment(self._time_zone, self.now()) if self._time_zone else None
        text = local_time(self._time_zone, moment) if moment is not None else ""
        if text != self.fields.raw.get("local_time"):
            self.fields.set("local_time", text)
        outside = moment is not None and outside_day(moment)
        if outside:
            self.note.setText(
                self.tr("Outside working hours there (%1:00–%2:00)")
                .replace("%1", str(DAY_STARTS))
                .replace("%2", str(DAY_ENDS))
            )
        self.note.setVisible(outside)
