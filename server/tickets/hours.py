"""A line's working hours (``contract.tickets.WorkingHours``): whether its specialists take
tickets now. Local time by the IANA zone (``zoneinfo``), so DST and offsets are the tz
database's, not ours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from contract.tickets import WorkingHours
from server.core.models import utcnow
from server.tickets.line_rules import rules_of


def within(hours: WorkingHours, at: dt.datetime) -> bool:
    local = at.astimezone(ZoneInfo(hours.time_zone))
    if local.isoweekday() not in hours.days:
        return False
    now = local.strftime("%H:%M")
    return hours.start <= now < hours.end


def line_open_now(session: Session, line_id: int, at: dt.datetime | None = None) -> bool:
    hours = rules_of(session, line_id).hours
    return hours is None or within(hours, at or utcnow())
