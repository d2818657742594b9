"""The users waiting for my answer float above the others (the reply-time guard, issue 9).

A view (`UserIndex.ids`) is its floating users first — those whose message is their chat's
last in a ticket that is mine or nobody's (`waits_for_me`, app/clients/userfilter.py) —
longest wait first (the oldest last message: what the row's "unanswered N min" counts), then
the others in the list's order. Pure functions over the index's lists: the floating users
are found in the flag column's bytes (few of 100 000), the others are the view's slices
between them (no pass in Python over the whole view).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from app.clients.usercolumns import UserColumns
from app.clients.userfilter import FOR_ME
from contract.clients import DirectoryFlag

__all__ = ["ALL", "back_place", "float_up", "floated", "wait_place"]

ALL: list[int] = []
"""(A marker for `floated`'s `positions`: the view is the whole order.)"""
_WAITING = int(DirectoryFlag.WAITING)


def floated(
    cols: UserColumns, ids: list[int], positions: list[int] | None
) -> tuple[list[int], list[float]]:
    """The view `ids` (at the order's ascending `positions`; `ALL`: every one; None: not
    known) with the users waiting for my answer floated to its top; and their times."""
    at: list[int] = []
    times: list[float] = []
    for p in cols.flagged(_WAITING, FOR_ME):  # few of 100 000
        if positions is ALL:
            i = p
        elif positions is not None:
            i = bisect_left(positions, p)
            if i == len(positions) or positions[i] != p:
                continue
        else:
            try:
                i = ids.index(cols.id_at(p))
            except ValueError:
                continue
        at.append(i)
        times.append(cols.last_at(p))
    return float_up(ids, at, times)


def float_up(ids: list[int], at: list[int], times: list[float]) -> tuple[list[int], list[float]]:
    """`ids` with the entries at the ascending indices `at` (their last message times
    `times`) moved to the top, oldest first; returns the new view and the floating users'
    times (ascending, aligned with its top)."""
    if not at:
        return ids, []
    top = sorted(zip(times, at, strict=True))
    view = [ids[i] for _, i in top]
    prev = 0
    for i in at:
        view += ids[prev:i]
        prev = i + 1
    view += ids[prev:]
    return view, [t for t, _ in top]


def wait_place(waits: list[float], at: float) -> int:
    """Where a user waiting since `at` goes among the floating ones (after those waiting as
    long or longer)."""
    return bisect_right(waits, at)


def back_place(ids: list[int], lo: int, pos_of: Callable[[int], int], pos: int) -> int:
    """Where a user at list order position `pos` goes back among the others (`ids[lo:]`,
    which are in the list's order)."""
    return bisect_left(ids, pos, lo=lo, key=pos_of)
