"""A line chosen again shows the last time's first rows from the cache at once; until the
server's list arrives, searching finds the users who joined the line since — in the users
list and in the Group dialog — through the real window against the real server.

The cached rows were taken for the whole line (`complete`): a search meanwhile looked in them
only, and found nobody new. tests/clients/test_group_of_500.py met it as a flake (1 run in
~20: its Group dialog searched the 32 cached users before the 532 came, and found none of the
500 new «ПартияK» people); here the server's list is held, so it happens every time."""

from __future__ import annotations

from typing import Any

import pytest

import server.core.derived  # noqa: F401  (names and search text follow ORM writes)
from server.core.db import Database, parse_url
from server.core.models import ClientUser, LineUser
from tests.app.workplaces import hold_replies
from tests.clients.test_users_list import LINE, Desk, desk
from tests.window.conftest import WINDOW_MARKS, run_async

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients, pytest.mark.chat]

NEWCOMER = "Новоприбывшая"


async def _joins(db_url: str, line_id: int) -> int:
    """A user joins the line (on the server only): their id."""
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            user = ClientUser(login="newcomer.1", last_name=NEWCOMER, first_name="Вера")
            session.add(user)
            await session.flush()
            session.add(LineUser(line_id=line_id, user_id=user.id))
            return int(user.id)
    finally:
        await db.close()


def test_a_line_shown_from_the_cache_finds_who_joined_it_since(
    desk: Desk, qtbot: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = desk.window
    line_id = desk.pick_line()
    run_async(qtbot, desk.wp._session.writes.join())  # its first rows cached (a task's write)
    newcomer = run_async(qtbot, _joins(live_server.db_url, line_id))
    desk.pick_line(next(ln.name for ln in desk.wp.lines if ln.id != line_id))
    assert desk.wp.api is not None
    held = hold_replies(monkeypatch, desk.wp.api, "all_users")
    try:
        desk.pick_line(LINE)  # the cached rows, at once
        run_async(qtbot, held.server_answered())  # the server's list read, not handed over
        assert newcomer not in w.users_model.ids()
        # the Group dialog's search finds them (the server is asked)
        desk.open_first_user()
        dialog = desk.group_dialog()
        dialog.search.insert(NEWCOMER)
        people = dialog.people
        qtbot.waitUntil(
            lambda: newcomer in {p.id for p in people.people if NEWCOMER in p.full_name},
            timeout=10_000,
        )
        dialog.close()
        # so does the users list's
        desk.type_search(NEWCOMER)
        qtbot.waitUntil(lambda: list(w.users_model.ids()) == [newcomer], timeout=10_000)
        desk.type_search("")
        qtbot.waitUntil(lambda: w.users_model.rowCount() > 1, timeout=5_000)
        assert not desk.wp.users.complete  # nothing takes the cached rows for the line
    finally:
        held.release()
    qtbot.waitUntil(lambda: desk.wp.users.complete, timeout=15_000)
    assert newcomer in desk.wp.users
