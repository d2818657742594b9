"""The users list's order as a test expects it: the server's order with the users waiting for
my answer floated above the others, longest wait first (app/clients/afloat.py)."""

from __future__ import annotations

from typing import Any

from app.clients.userfilter import flags_of, waits_for_me
from app.core import parse
from app.core.domain import UserRow


def floated(rows: list[UserRow], me: int) -> list[int]:
    """The ids of `rows` (the server's order) with those waiting for `me` floated up."""
    waiting = [r for r in rows if waits_for_me(flags_of(r, me))]
    waiting.sort(key=lambda r: r.last_message.created_at.timestamp() if r.last_message else 0.0)
    top = {r.id for r in waiting}
    return [r.id for r in waiting] + [r.id for r in rows if r.id not in top]


def floated_items(items: list[dict[str, Any]], me: int) -> list[int]:
    """`floated` over the server's JSON rows."""
    return floated([parse.user_row(i) for i in items], me)


def newest(wp: Any, model: Any, user_id: int) -> bool:
    """Is the row where a user with the newest message goes: the top of the users not
    waiting for my answer, or — waiting itself — the last of those (the shortest wait)?"""
    n, pos = wp.users.afloat, model.position(user_id)
    return pos >= 0 and n - 1 <= pos <= n


def on_top(users: Any, user_id: int) -> bool:
    """`newest` in a `UserIndex`'s view (the core's, no window)."""
    if user_id not in users.ids:
        return False
    n, pos = users.afloat, users.ids.index(user_id)
    return n - 1 <= pos <= n
