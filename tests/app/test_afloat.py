"""The users waiting for my answer float above the others, longest wait first (issue 9, the
reply-time guard), in the prepared index (no Qt, no server): on loading, with a query and a
filter, and live — a message, an answer, a ticket taken by a colleague or put back in the
queue — for rows held and for users known only from the directory."""

from __future__ import annotations

import dataclasses
from array import array
from datetime import timedelta

import pytest

from app.clients.userfilter import Only, UserFilter
from app.clients.userindex import Placement, UserIndex, search_key
from app.core.domain import LastMessage, OpenTicket, UserRow
from app.core.parse import Directory
from contract.clients import DirectoryFlag
from tests.app.rows import NOW, row

pytestmark = [pytest.mark.core, pytest.mark.clients, pytest.mark.tickets]

ME, COLLEAGUE = 7, 8


def answered(r: UserRow, minutes_ago: float) -> UserRow:
    at = NOW - timedelta(minutes=minutes_ago)
    return dataclasses.replace(r, last_message=LastMessage(r.id * 10 + 1, "ok", at, "specialist"))


def held(r: UserRow, holder: int | None) -> UserRow:
    return dataclasses.replace(r, open_ticket=OpenTicket(r.id + 100, holder, NOW))


def line() -> list[UserRow]:
    """Eight users in the list's order (newest message first): 2, 4 and 7 wait for me."""
    r = [row(i, minutes_ago=i) for i in range(1, 9)]
    return [
        answered(held(r[0], ME), 1),  # 1: mine, answered
        held(r[1], ME),  # 2: mine, waiting 2 min
        held(r[2], COLLEAGUE),  # 3: a colleague's, waiting
        held(r[3], None),  # 4: queued, waiting 4 min
        r[4],  # 5: waiting, no open ticket
        answered(held(r[5], None), 6),  # 6: queued, answered
        held(r[6], ME),  # 7: mine, waiting 7 min
        answered(r[7], 8),  # 8
    ]


def message(r: UserRow, author: str = "client") -> UserRow:
    lm = LastMessage(r.id * 10 + 5, "?", NOW + timedelta(seconds=1), author)
    return dataclasses.replace(r, last_message=lm)


def test_waiting_users_float_longest_wait_first_with_a_query_and_a_filter() -> None:
    idx = UserIndex(1, me=ME)
    idx.load(line())
    assert idx.ids == [7, 4, 2, 1, 3, 5, 6, 8]
    assert idx.search("пользователь 00000") == [7, 4, 2, 1, 3, 5, 6, 8]
    assert idx.search("user4") == [4]
    idx.search("")
    idx.set_filter(UserFilter(frozenset({Only.WAITING})))
    assert idx.ids == [7, 4, 2, 3, 5]
    idx.set_filter(UserFilter(frozenset({Only.WAITING_ME})))  # "waiting for me"
    assert idx.ids == [7, 4, 2]
    idx.search("user2")
    assert idx.ids == [2]


def test_a_message_floats_the_row_and_the_answer_puts_it_back_in_its_place() -> None:
    idx = UserIndex(1, me=ME)
    idx.load(line())
    # 1 (mine) writes again: it waits now, the shortest of all — below 2
    placed = idx.touch(message(idx.row(1)))
    assert placed == Placement(3, 3) and idx.ids == [7, 4, 2, 1, 3, 5, 6, 8]
    # 8 (no ticket yet) writes: the top of the others until a ticket says whose it is
    assert idx.touch(message(idx.row(8))) == Placement(7, 4)
    assert idx.ids == [7, 4, 2, 1, 8, 3, 5, 6]
    # its ticket is mine: it floats, below those waiting longer (it stays where it is)
    assert idx.update(held(idx.row(8), ME)) == Placement(4, 4)
    assert idx.ids == [7, 4, 2, 1, 8, 3, 5, 6]
    # I answer 7: the top of the others (its last message is the newest)
    assert idx.touch(message(idx.row(7), "specialist")) == Placement(0, 4)
    assert idx.ids == [4, 2, 1, 8, 7, 3, 5, 6]
    # a colleague takes 4 from the queue: back in its place among the others (by its message)
    assert idx.update(held(idx.row(4), COLLEAGUE)) == Placement(0, 5)
    assert idx.ids == [2, 1, 8, 7, 3, 4, 5, 6]
    # … and puts it back in the queue: it floats again, the longest wait
    assert idx.update(held(idx.row(4), None)) == Placement(5, 0)
    assert idx.ids == [4, 2, 1, 8, 7, 3, 5, 6]
    # the ticket of 3 (a colleague's) comes to me: it floats
    assert idx.update(held(idx.row(3), ME)) == Placement(5, 1)
    assert idx.ids == [4, 3, 2, 1, 8, 7, 5, 6]


def test_users_known_from_the_directory_move_with_their_flags() -> None:
    rows = line()
    probe = UserIndex(1, me=ME)
    marks = [probe.marks_of(r) for r in rows]
    d = Directory(
        ids=array("i", [r.id for r in rows]),
        chat_ids=array("i", [r.chat_id for r in rows]),
        last_at=array("d", [r.last_message.created_at.timestamp() for r in rows if r.last_message]),
        keys=[search_key(r) for r in rows],
        flags=array("B", [m.flags for m in marks]),
        company_ids=array("i", [m.company_id for m in marks]),
        birthdays=array("H", [m.birthday for m in marks]),
    )
    idx = UserIndex(1, me=ME)
    idx.load_directory(d)
    assert idx.ids == [7, 4, 2, 1, 3, 5, 6, 8]
    # a client's message to 6 (queued): it floats, the shortest wait
    waiting = DirectoryFlag.WAITING
    assert idx.touch_id(6, NOW.timestamp() + 1, set_flags=waiting) == Placement(6, 3)
    # an answer: back to the top of the others
    assert idx.touch_id(6, NOW.timestamp() + 2, clear_flags=waiting) == Placement(3, 3)
    assert idx.ids == [7, 4, 2, 6, 1, 3, 5, 8]
    # a colleague takes 2 (a ticket event): back in its place
    mine = DirectoryFlag.MINE | DirectoryFlag.UNHELD
    assert idx.set_flags(2, clear_flags=mine) == Placement(2, 4)
    assert idx.ids == [7, 4, 6, 1, 2, 3, 5, 8]
    # 5's new ticket waits in the queue: it floats
    assert idx.set_flags(5, set_flags=DirectoryFlag.UNHELD) == Placement(6, 1)
    assert idx.ids == [7, 5, 4, 6, 1, 2, 3, 8]
    assert idx.set_flags(99, set_flags=DirectoryFlag.UNHELD) is None
