"""The users list's filter over the prepared index (no Qt, no server): each option, options
together, with a query and with a streaming line's view, live changes, a directory's marks,
and the filter as the settings file keeps it."""

from __future__ import annotations

import dataclasses
from array import array
from datetime import date, timedelta

import pytest

from app.clients.userfilter import Only, UserFilter, birthday_days, flags_of
from app.clients.userindex import Placement, UserIndex, search_key
from app.core.domain import LastMessage, OpenTicket, Presence, Status, UserRow
from app.core.parse import Directory
from app.store.settings import Settings
from contract.clients import DirectoryFlag
from tests.app.rows import NOW, row

pytestmark = [pytest.mark.core, pytest.mark.clients]

ME = 7
TODAY = date.today()


def people() -> list[UserRow]:
    """Six users, one of each kind the filter tells apart, in display order."""
    base = [row(i, minutes_ago=i) for i in range(1, 7)]
    ticket = OpenTicket(90, ME, NOW)
    return [
        dataclasses.replace(base[0], open_ticket=ticket),  # 1: a ticket open on me
        dataclasses.replace(base[1], unread=3),  # 2: unread (and waiting: a client wrote)
        dataclasses.replace(  # 3: answered by a specialist
            base[2],
            last_message=LastMessage(30, "ok", NOW, "specialist"),
            presence=Presence.ONLINE,
        ),
        dataclasses.replace(  # 4: a birthday today, answered
            base[3],
            birth_date=TODAY.replace(year=1990) if (TODAY.month, TODAY.day) != (2, 29) else None,
            last_message=LastMessage(40, "ok", NOW, "specialist"),
        ),
        dataclasses.replace(  # 5: a colleague at work, answered
            base[4],
            colleague=True,
            status=Status.FREE,
            last_message=LastMessage(50, "ok", NOW, "specialist"),
        ),
        dataclasses.replace(  # 6: another company, open on a colleague
            base[5], open_ticket=OpenTicket(91, ME + 1, NOW)
        ),
    ]


def test_each_option_and_options_together() -> None:
    idx = UserIndex(1, me=ME)
    idx.load(people())
    assert idx.ids == [1, 2, 3, 4, 5, 6]

    def only(*options: Only) -> list[int]:
        idx.set_filter(UserFilter(frozenset(options)))
        return idx.ids

    assert only(Only.MINE) == [1]
    assert only(Only.UNREAD) == [2]
    assert only(Only.WAITING) == [1, 2, 6]  # a client's message is the last one
    assert only(Only.ONLINE) == [3, 5]  # a client user online, a colleague not Away
    if (TODAY.month, TODAY.day) != (2, 29):
        assert only(Only.BIRTHDAY) == [4]
    assert only(Only.UNREAD, Only.WAITING) == [2]
    assert only(Only.MINE, Only.UNREAD) == []
    idx.set_favourites([6, 3])
    assert only(Only.FAVOURITES) == [3, 6]
    assert only(Only.FAVOURITES, Only.WAITING) == [6]
    company = idx.row(6).company
    assert company is not None
    idx.set_filter(UserFilter().with_company(company.id, company.name))
    assert idx.ids == [6]
    idx.set_filter(UserFilter())
    assert idx.ids == [1, 2, 3, 4, 5, 6]


def test_the_filter_narrows_a_query_and_the_query_narrows_the_filter() -> None:
    idx = UserIndex(1, me=ME)
    idx.load(people())
    idx.set_filter(UserFilter(frozenset({Only.WAITING})))
    assert idx.search("user") == [1, 2, 6]
    assert idx.search("user6") == [6]
    assert idx.search("user1") == [1]
    assert idx.search("") == [1, 2, 6]


def test_a_streaming_line_filters_what_it_shows_my_list_and_favourites_included() -> None:
    rows = people()
    rows[5] = dataclasses.replace(  # 6: nothing for 100 days
        rows[5], last_message=LastMessage(60, "old", NOW - timedelta(days=100), "client")
    )
    idx = UserIndex(1, streaming=True, active_days=60, me=ME)
    idx.load(rows)
    assert idx.ids == [1, 2, 3, 4, 5]
    idx.set_filter(UserFilter(frozenset({Only.WAITING})))
    assert idx.ids == [1, 2]  # 6 is waiting too, but not shown by the streaming line
    assert idx.hidden == 0  # (the note speaks of the unfiltered list only)
    idx.set_pinned([6])
    assert idx.ids == [1, 2, 6]
    idx.set_pinned([])
    idx.set_favourites([6])
    assert idx.ids == [1, 2, 6]


def test_live_changes_keep_the_marks_and_new_matches_come_in_at_the_top() -> None:
    idx = UserIndex(1, me=ME)
    idx.load(people())
    idx.set_filter(UserFilter(frozenset({Only.UNREAD})))
    assert idx.ids == [2]
    # a message to 4: unread now, so it comes in at the top
    r4 = idx.row(4)
    placed = idx.touch(
        dataclasses.replace(r4, unread=1, last_message=LastMessage(41, "?", NOW, "client"))
    )
    assert (placed.old_pos, placed.new_pos) == (None, 0)
    assert idx.ids == [4, 2]
    # 2 read: stays in view until the filter changes (the list does not jump)
    assert idx.update(dataclasses.replace(idx.row(2), unread=0)) == Placement(1, 1)
    assert idx.ids == [4, 2]
    idx.set_filter(UserFilter(frozenset({Only.UNREAD, Only.WAITING})))
    assert idx.ids == [4]
    # a user whose row is not held: the message's flags move with the lift
    idx.touch_id(3, NOW.timestamp() + 1, set_flags=DirectoryFlag.UNREAD | DirectoryFlag.WAITING)
    assert idx.ids == [3, 4]


def test_a_directory_brings_the_marks_of_users_never_loaded() -> None:
    rows = people()
    marks = [UserIndex(1, me=ME).marks_of(r) for r in rows]
    d = Directory(
        ids=array("i", [r.id for r in rows]),
        chat_ids=array("i", [r.chat_id for r in rows]),
        last_at=array("d", [0.0] * len(rows)),
        keys=[search_key(r) for r in rows],
        flags=array("B", [m.flags for m in marks]),
        company_ids=array("i", [m.company_id for m in marks]),
        birthdays=array("H", [m.birthday for m in marks]),
    )
    idx = UserIndex(1, me=ME)
    idx.load_directory(d)
    idx.set_filter(UserFilter(frozenset({Only.ONLINE})))
    assert idx.ids == [3, 5]
    assert idx.get(3) is None  # no row was needed
    # user 3 went offline, 4 has a ticket on me now: rows not held, marks follow
    idx.set_flags(3, clear_flags=DirectoryFlag.ONLINE)
    idx.set_flags(4, set_flags=DirectoryFlag.MINE)
    idx.set_filter(UserFilter(frozenset({Only.MINE})))
    assert idx.ids == [1, 4]
    idx.set_filter(UserFilter(frozenset({Only.ONLINE})))
    assert idx.ids == [5]


def test_flags_follow_the_row() -> None:
    r = people()[0]
    assert flags_of(r, ME) == DirectoryFlag.MINE | DirectoryFlag.WAITING
    assert flags_of(r, ME + 1) == DirectoryFlag.WAITING


def test_29_february_people_have_a_birthday_on_28_february_of_common_years() -> None:
    assert birthday_days(date(2027, 2, 28)) == (228, 229)
    assert birthday_days(date(2028, 2, 28)) == (228,)
    assert birthday_days(date(2028, 2, 29)) == (229,)


def test_a_kept_filter_survives_nonsense() -> None:
    f = UserFilter(frozenset({Only.UNREAD, Only.ONLINE}), 12, "ООО Ромашка")
    assert UserFilter.from_json(f.to_json()) == f
    assert UserFilter.from_json({"only": ["unread", "bogus", 3], "company_id": "x"}) == UserFilter(
        frozenset({Only.UNREAD})
    )
    assert UserFilter.from_json("nonsense") == UserFilter()
    assert not UserFilter()


def test_the_settings_keep_a_filter_per_line_and_upgrade_older_files(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "settings.json"
    path.write_text('{"version": 2, "actuality_days": 30}', encoding="utf-8")
    s = Settings.load(path)
    assert s.user_filters == {}
    assert s.actuality_days == 30
    s.user_filters = {"5": UserFilter(frozenset({Only.MINE})).to_json()}
    s.save()
    again = Settings.load(path)
    assert UserFilter.from_json(again.user_filters["5"]) == UserFilter(frozenset({Only.MINE}))
    path.write_text('{"version": 4, "user_filters": [1, 2]}', encoding="utf-8")
    assert Settings.load(path).user_filters == {}
