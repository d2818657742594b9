"""Dates as the interface's language writes them (ui.common.i18n `current`): Russian
"28.09.2026" (the default), English "28 Sep 2026" — a month's name, so neither an American
nor a British reader takes the day for the month. Times: Russian's 24-hour "10:32"; in
English the locale's own clock (QLocale's short time format: "10:32 AM" in the US, "10:32"
in Britain). Plain Python but for that clock, each minute's text made once (the users
list's delegate asks for a row's date as it paints)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTime

from ui.common import i18n

if TYPE_CHECKING:
    from datetime import date, datetime, time

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: date) -> str:
    """28.09.2026 / 28 Sep 2026."""
    if i18n.current() == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day:%d.%m.%Y}"


def day_month_text(day: date) -> str:
    """28.09 / 28 Sep (a date of this year, where room is short)."""
    if i18n.current() == "en":
        return f"{day.day} {MONTHS[day.month - 1]}"
    return f"{day:%d.%m}"


def short_date_text(day: date) -> str:
    """28.09.25 / 28 Sep 25 (an earlier year's date, where room is short)."""
    if i18n.current() == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day:%y}"
    return f"{day:%d.%m.%y}"


_CLOCK: dict[tuple[str, int, int], str] = {}


def time_text(moment: datetime | time) -> str:
    """10:32 / 10:32 AM (the English locale's clock; `moment` as it is: the caller makes it
    local)."""
    if i18n.current() != "en":
        return f"{moment:%H:%M}"
    locale = i18n.locale()
    key = (locale.name(), moment.hour, moment.minute)
    shown = _CLOCK.get(key)
    if shown is None:
        clock = QTime(moment.hour, moment.minute)
        shown = _CLOCK[key] = locale.toString(clock, QLocale.FormatType.ShortFormat)
    return shown


def date_time_text(moment: datetime) -> str:
    """28.09.2026 10:32 / 28 Sep 2026 10:32 AM (`moment` as it is: the caller makes it
    local)."""
    return f"{date_text(moment)} {time_text(moment)}"
