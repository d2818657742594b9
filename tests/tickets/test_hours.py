"""A line's working hours by the Russian production calendar (seed 004: "по рабочим дням
(производственный календарь РФ) с 7:00 до 17:00 МСК"): public holidays and the days off
moved onto weekdays are closed, a Saturday made working is open — the decrees as
python-holidays keeps them, checked here against the government's calendar."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from contract.tickets import WorkingHours
from server.tickets.hours import within

pytestmark = pytest.mark.tickets

MSK = dt.timezone(dt.timedelta(hours=3))
WEEKDAYS = [1, 2, 3, 4, 5]
SEED_004 = WorkingHours("Europe/Moscow", WEEKDAYS, "07:00", "17:00", calendar="RU")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=MSK)


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2026-01-09", False),  # a Friday: the day off moved from Saturday 3 January
        ("2026-12-31", False),  # a Thursday: the day off moved from Sunday 4 January
        ("2026-03-09", False),  # a Monday: 8 March fell on a Sunday
        ("2026-06-12", False),  # Russia Day, a Friday
        ("2026-01-12", True),  # the first working day of 2026
        ("2026-12-30", True),  # a Wednesday like any other
        ("2027-02-20", True),  # a Saturday made working (before the 22 February day off)
        ("2026-12-05", False),  # a Saturday
    ],
)
def test_the_russian_production_calendar_decides_the_working_day(day: str, open_: bool) -> None:
    assert within(SEED_004, at(day)) is open_
    assert not within(SEED_004, at(day, "17:00"))  # and only 7:00–17:00 Moscow time
    assert within(SEED_004, at(day, "07:00")) is open_


def test_without_a_calendar_only_the_week_days_count() -> None:
    plain = WorkingHours("Europe/Moscow", WEEKDAYS, "07:00", "17:00")
    assert within(plain, at("2026-01-09"))  # a Friday
    assert not within(plain, at("2027-02-20"))  # a Saturday


def test_a_calendar_it_does_not_know_falls_back_to_the_week_days() -> None:
    unknown = WorkingHours("Europe/Moscow", WEEKDAYS, "07:00", "17:00", calendar="QQ")
    assert within(unknown, at("2026-01-09")) and not within(unknown, at("2027-02-20"))


def test_the_calendar_is_an_iso_country_code() -> None:
    raw = {"time_zone": "Europe/Moscow", "days": WEEKDAYS, "start": "07:00", "end": "17:00"}
    for bad in ("ru", "RUS", "", "R1"):
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert({**raw, "calendar": bad}, WorkingHours)
    assert msgspec.convert({**raw, "calendar": "RU"}, WorkingHours) == SEED_004
