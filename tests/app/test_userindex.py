"""The users list: order, move-to-top, the prepared search index (100 000 rows)."""

from __future__ import annotations

import dataclasses
from array import array
from datetime import timedelta

import pytest

from app.clients.userindex import Placement, UserIndex, search_key
from app.core.domain import LastMessage, UserRow
from app.core.parse import Directory
from tests.app.rows import NOW, row

pytestmark = pytest.mark.core


def test_sort_order_last_message_then_alphabetical() -> None:
    idx = UserIndex(1)
    idx.load(
        [
            row(1, "Яковлев", minutes_ago=None),
            row(2, "Борисов", minutes_ago=30),
            row(3, "Андреев", minutes_ago=None),
            row(4, "Владимиров", minutes_ago=5),
        ],
        sort=True,
    )
    assert idx.ids == [4, 2, 3, 1]


def test_touch_moves_to_top_and_reports_positions() -> None:
    idx = UserIndex(1)
    idx.load([row(i, minutes_ago=i) for i in range(1, 6)])
    assert idx.ids == [1, 2, 3, 4, 5]
    r = idx.row(4)
    lm = LastMessage(999, "new", NOW, "client")
    placed = idx.touch(dataclasses.replace(r, last_message=lm))
    assert (placed.old_pos, placed.new_pos) == (3, 0)
    assert idx.ids == [4, 1, 2, 3, 5]
    assert idx.order == [4, 1, 2, 3, 5]
    assert idx.row(4).last_message == lm
    placed = idx.touch(idx.row(4))
    assert (placed.old_pos, placed.new_pos) == (0, 0)


def test_touch_with_a_query_inserts_or_hides() -> None:
    idx = UserIndex(1)
    idx.load([row(1, "Анна"), row(2, "Борис"), row(3, "Анатолий")])
    assert idx.search("ан") == [1, 3]
    placed = idx.touch(idx.row(2))  # does not match: not shown
    assert placed.new_pos is None
    assert idx.ids == [1, 3]
    assert idx.order[0] == 2
    placed = idx.touch(idx.row(3))
    assert (placed.old_pos, placed.new_pos) == (1, 0)
    assert idx.ids == [3, 1]


def test_search_fields_and_terms() -> None:
    idx = UserIndex(1)
    idx.load([row(1, "Иванов Иван", login="ivanov"), row(2, "Петров Пётр", inn="5000000000")])
    assert idx.search("ИВАН") == [1]
    assert idx.search("user2@example") == [2]
    assert idx.search("5000000000") == [2]
    assert idx.search("ромашка иван") == [1]
    assert idx.search("ромашка") == [1, 2]
    assert idx.search("") == [1, 2]
    assert idx.search("нет такого") == []


def test_streaming_shows_active_users_and_searches_everyone() -> None:
    idx = UserIndex(1, streaming=True, active_days=7)
    old = 60 * 24 * 30  # a month ago, in minutes
    idx.load([row(1, "Анна", minutes_ago=5), row(2, "Алла", minutes_ago=old), row(3, "Ада")])
    assert idx.ids == [1]
    assert idx.search("а") == [1, 2, 3]
    idx.search("")
    # a first message from an inactive user: inserted at the top
    r3 = dataclasses.replace(idx.row(3), last_message=LastMessage(7, "hi", NOW, "client"))
    placed = idx.touch(r3)
    assert (placed.old_pos, placed.new_pos) == (None, 0)
    assert idx.ids == [3, 1]


def test_update_in_place() -> None:
    idx = UserIndex(1)
    idx.load([row(1), row(2)])
    assert idx.update(dataclasses.replace(idx.row(2), unread=3)) == Placement(1, 1)
    assert idx.row(2).unread == 3
    assert idx.update(row(99)) is None
    assert idx.find_by_chat(1002) == idx.row(2)


def test_searching_and_lifting_among_100000_users() -> None:
    """What the index answers over a 100 000-user line (how fast: `make bench`,
    client.search_keystroke — timing here would only measure the machine's load)."""
    rows = [
        row(i, minutes_ago=i if i < 5000 else None, company=("Ромашка" if i % 3 else "Лютик"))
        for i in range(100_000)
    ]
    idx = UserIndex(1, streaming=True, active_days=60)
    idx.load(rows)
    assert len(idx.ids) == 5000
    for q in ("п", "по", "пол", "поль", "лютик", "user9999", "7701234567123", "ромашка 12"):
        assert idx.search(q), q
    assert idx.search("user99999") == [99_999]
    assert len(idx.search("лютик")) == 33_334
    idx.search("")
    newest = LastMessage(1, "x", NOW + timedelta(seconds=1), "client")
    placed = idx.touch(dataclasses.replace(idx.row(99_999), last_message=newest))
    assert (placed.old_pos, placed.new_pos) == (None, 0)
    assert idx.ids[0] == 99_999


def _directory(rows: list[UserRow]) -> Directory:
    """What GET /lines/{id}/directory gives, for these rows (in display order)."""
    return Directory(
        ids=array("i", [r.id for r in rows]),
        chat_ids=array("i", [r.chat_id for r in rows]),
        last_at=array(
            "d", [r.last_message.created_at.timestamp() if r.last_message else 0.0 for r in rows]
        ),
        keys=[search_key(r) for r in rows],
    )


def test_a_directory_holds_ids_and_rows_come_lazily() -> None:
    rows = [row(1, "Анна", minutes_ago=5), row(2, "Борис"), row(3, "Вера"), row(4, "Глеб")]
    idx = UserIndex(1, rows_kept=2)
    misses: list[int] = []
    idx.on_miss = lambda _index: misses.append(1)
    idx.load_directory(_directory(rows))
    assert idx.ids == [1, 2, 3, 4] and len(idx) == 4 and 3 in idx
    assert idx.chat_id(3) == 1003 and idx.user_by_chat(1004) == 4
    with pytest.raises(KeyError):
        idx.row(3)
    with pytest.raises(KeyError):
        idx.row(3)  # asked once until fetched
    assert misses == [1]
    assert idx.take_wanted(10) == [3]
    assert idx.take_wanted(10) == []
    assert idx.fetched([3], [rows[2]]) == [rows[2]]
    assert idx.row(3) == rows[2]
    idx.fetched([1, 2], [rows[0], rows[1]])
    assert idx.get(3) is None  # the LRU keeps 2 rows
    assert idx.rows() == [rows[0], rows[1]]
    assert idx.search("вера") == [3]
    assert idx.matching("глеб") == [4] and idx.ids == [3]
    assert idx.matching(" ") == [1, 2, 3, 4]


def test_a_row_fetched_while_a_message_lifted_it_is_fetched_again() -> None:
    """The row's fetch started, then a message lifted the user: the fetched row is older
    than the message, so it is not kept but wanted again (the next fetch brings the new one)."""
    rows = [row(1, "Анна", minutes_ago=5), row(2, "Борис"), row(3, "Вера")]
    idx = UserIndex(1)
    idx.load_directory(_directory(rows))
    with pytest.raises(KeyError):
        idx.row(3)
    assert idx.take_wanted(10) == [3]
    since = idx.revision
    idx.touch_id(3, NOW.timestamp() + 1)  # the message, while the fetch is on its way
    assert idx.fetched([3], [rows[2]], since) == []
    assert idx.get(3) is None
    assert idx.take_wanted(10) == [3]
    newer = dataclasses.replace(rows[2], unread=1)
    assert idx.fetched([3], [newer], idx.revision) == [newer]
    assert idx.row(3) == newer
    # a change the server announced for a row not held here: the same
    with pytest.raises(KeyError):
        idx.row(1)
    since = idx.revision
    assert idx.take_wanted(10) == [1]
    idx.changed_elsewhere(1)
    assert idx.fetched([1], [rows[0]], since) == [] and idx.take_wanted(10) == [1]
    idx.changed_elsewhere(12345)  # not on the list: nothing to remember
    assert 12345 not in idx._changed
    # an unchanged row fetched is kept at once
    with pytest.raises(KeyError):
        idx.row(2)
    since = idx.revision
    assert idx.take_wanted(10) == [2]
    assert idx.fetched([2], [rows[1]], since) == [rows[1]]


def test_a_directory_that_was_on_its_way_keeps_the_newer_places() -> None:
    """Streaming lines: the active users are shown, the directory of everyone is asked for,
    a message lifts a user meanwhile — the directory (older) must not put them back."""
    rows = [row(1, "Анна", minutes_ago=5), row(2, "Борис", minutes_ago=9), row(3, "Вера")]
    idx = UserIndex(1, streaming=True)
    idx.load(rows[:2])
    since = idx.revision
    newer = LastMessage(99, "ещё вопрос", NOW + timedelta(minutes=1), "client")
    idx.touch(dataclasses.replace(rows[1], unread=1, last_message=newer))
    assert idx.order[0] == 2
    idx.load_directory(_directory(rows), since)
    assert idx.order[:2] == [2, 1] and 3 in idx
    assert idx.row(2).unread == 1  # the row kept here stays
    # what changed before the directory was asked for: the directory's order wins
    idx2 = UserIndex(1, streaming=True)
    idx2.load(rows[:2])
    idx2.touch_id(1, NOW.timestamp() - 3600)  # an old move
    since2 = idx2.revision
    idx2.load_directory(_directory(rows), since2)
    assert idx2.order == [r.id for r in rows]


def test_a_message_lifts_a_user_whose_row_is_not_here() -> None:
    rows = [row(1, "Анна", minutes_ago=5), row(2, "Борис Ракитин"), row(3, "Вера Ракитина")]
    idx = UserIndex(1)
    idx.load_directory(_directory(rows))
    assert idx.search("ракит") == [2, 3]
    placed = idx.touch_id(3, NOW.timestamp() + 1)
    assert (placed.old_pos, placed.new_pos) == (1, 0)
    assert idx.order == [3, 1, 2]
    assert idx.search("ракитина") == [3]  # narrowed over the order as it is now
    assert idx.search("") == [3, 1, 2]
    assert idx.touch_id(99, 0.0) == Placement(None, None)


def test_narrowing_a_query_gives_what_a_fresh_search_gives() -> None:
    idx = UserIndex(1)
    idx.load([row(i) for i in range(300)])
    for q in ("user", "user1", "user1 ", "user1 рома", "user1 ромашка 1"):
        narrowed = idx.search(q)
        assert narrowed == idx.matching(q), q
    idx.search("")
    assert idx.search("user29") == idx.matching("user29")


def test_a_card_fetched_before_a_local_change_does_not_undo_it() -> None:
    idx = UserIndex()
    unread = dataclasses.replace(row(1, minutes_ago=1), unread=3)
    idx.load([unread, row(2)])
    since = idx.revision  # the card of user 1 is asked for now …
    idx.update(dataclasses.replace(unread, unread=0))  # … the chat is read meanwhile …
    assert not idx.put(unread, since)  # … and the card's older row arrives
    assert idx.row(1).unread == 0
    # a card asked for after the change is taken
    newer = dataclasses.replace(unread, unread=0, mobile=True)
    idx.put(newer, idx.revision)
    assert idx.row(1).mobile


def test_a_server_search_s_rows_join_once_each() -> None:
    """A server search's page (500 rows) joins a 100 000-user index in one look at the ids,
    not a scan per row (≈ 250 ms per keystroke before): each new user once, however often
    the batch names it; one held already is left as it is."""
    idx = UserIndex(1)
    idx.load([row(i, minutes_ago=i) for i in range(1, 100_001)])
    batch = [row(i, f"Петрова {i}") for i in range(100_001, 100_501)]
    idx.add([*batch, batch[0], row(7, "Другое имя")])
    assert len(idx) == 100_500
    assert idx.order[-500:] == [r.id for r in batch]
    assert idx.search("другое") == []  # user 7 was held: not taken again
    assert idx.search("петрова")[:3] == [100_001, 100_002, 100_003]
    idx.add([row(100_501, "Один")])  # a newcomer alone
    assert 100_501 in idx and len(idx) == 100_501
