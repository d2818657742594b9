"""A line's working hours (``contract.tickets.WorkingHours``): whether its specialists take
tickets now. Local time by the IANA zone (``zoneinfo``), so DST and offsets are the tz
database's, not ours; working days by the line's production calendar (python-holidays:
seed 004's "working days by the production calendar of the Russian Federation"), so the
decrees moving days off are its maintainers', not ours."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from contract.tickets import WorkingHours
from server.core.models import utcnow
from server.tickets.line_rules import rules_of

if TYPE_CHECKING:
    from holidays import HolidayBase

log = logging.getLogger(__name__)


def within(hours: WorkingHours, at: dt.datetime) -> bool:
    local = at.astimezone(ZoneInfo(hours.time_zone))
    if not working_day(hours, local.date()):
        return False
    now = local.strftime("%H:%M")
    return hours.start <= now < hours.end


def working_day(hours: WorkingHours, day: dt.date) -> bool:
    """One of ``hours.days``, unless the line's production calendar says otherwise (a
    holiday, a day off moved onto a weekday; a weekend day made working)."""
    calendar = _calendar(hours.calendar, day.year) if hours.calendar else None
    if calendar is not None:
        if day in calendar:
            return False
        if day in calendar.weekend_workdays:
            return True
    return day.isoweekday() in hours.days


@functools.lru_cache(maxsize=64)
def _calendar(country: str, year: int) -> HolidayBase | None:
    """The country's calendar for the year (python-holidays: the government's decrees on
    moved days off, kept up by its maintainers); None for a country it does not know
    (the week days alone then, said in the log)."""
    import holidays  # the server's, on the first line with a calendar

    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        log.warning("no production calendar for %r: the line's week days alone", country)
        return None


def line_open_now(session: Session, line_id: int, at: dt.datetime | None = None) -> bool:
    hours = rules_of(session, line_id).hours
    return hours is None or within(hours, at or utcnow())
