"""A group of 500 through the window against the real server: made from the Group dialog
(five searches of 100 people, each checked with Space), opened from the groups section, and
its members listed in the dialog — a list view over a model (no widget per person), every
member there, the last one scrolled to and unchecked, which removes exactly that member."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QListView

import server.core.derived  # noqa: F401  (names and search text follow ORM writes)
from server.core.db import Database, parse_url
from server.core.models import ClientUser, LineUser
from tests.clients.test_users_list import LINE, Desk, desk
from tests.window.conftest import WINDOW_MARKS, run_async
from ui.groups.model import GROUP_ID_ROLE
from ui.mainwindow.actions import MainAction

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients, pytest.mark.chat]

BATCHES, PER_BATCH = 5, 100


async def _people(db_url: str, line_id: int) -> None:
    """500 more users of the line, their last names «ПартияK» for K in 0..4."""
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            users = [
                ClientUser(
                    login=f"party.{b}.{k}",
                    last_name=f"Партия{b}",
                    first_name=f"Участник{k:03d}",
                )
                for b in range(BATCHES)
                for k in range(PER_BATCH)
            ]
            session.add_all(users)
            await session.flush()
            session.add_all(LineUser(line_id=line_id, user_id=u.id) for u in users)
    finally:
        await db.close()


def _check_batch(qtbot: Any, desk: Desk, batch: int) -> None:
    """Search «ПартияK» and check each of the 100 found with Space."""
    dialog = desk.window.groups.dialog
    assert dialog is not None
    dialog.search.clear()
    dialog.search.insert(f"Партия{batch}")
    people = dialog.people

    def rows() -> list[int]:
        return [
            r
            for r in range(people.rowCount())
            if people.people[r].full_name.startswith(f"Партия{batch} ")
        ]

    qtbot.waitUntil(lambda: len(rows()) == PER_BATCH, timeout=15_000)
    for r in rows():
        index = people.index(r, 0)
        if index.data(10) != 2:
            dialog.view.setCurrentIndex(index)
            qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    assert all(people.index(r, 0).data(10) == 2 for r in rows())


def test_a_group_of_500_is_made_opened_and_its_members_listed(
    desk: Desk, qtbot: Any, live_server: Any
) -> None:
    w = desk.window
    line_id = desk.pick_line()
    run_async(qtbot, _people(live_server.db_url, line_id), timeout=60_000)
    desk.pick_line(next(ln.name for ln in desk.wp.lines if ln.id != line_id))
    desk.pick_line(LINE)
    qtbot.waitUntil(lambda: desk.wp.users.complete, timeout=30_000)
    first = desk.open_first_user()
    dialog = desk.group_dialog()
    for batch in range(BATCHES):
        _check_batch(qtbot, desk, batch)
    assert len(dialog.people.checked) == BATCHES * PER_BATCH + 1  # and the open user
    assert dialog.count.text() == "502 members with you"
    dialog.name.insert("Пятьсот")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    # made and open: the section has it, the chat's title names its members
    qtbot.waitUntil(lambda: w.groups.model.rowCount() == 1, timeout=20_000)
    group = w.groups.model.groups[0]
    assert len(group.members) == 502
    qtbot.waitUntil(lambda: w.groups.open_group_id == group.id, timeout=10_000)
    assert w.chat.bar.chat_subtitle.text().startswith("502 members")
    # opened again from the section after a user's chat
    w.users_view.setCurrentIndex(desk.row_of(first))
    qtbot.waitUntil(lambda: w.groups.open_group_id is None)
    rect = w.groups.view.visualRect(w.groups.model.index(0, 0))
    qtbot.mouseClick(w.groups.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.groups.model.index(0, 0).data(GROUP_ID_ROLE) == group.id
    qtbot.waitUntil(lambda: w.groups.open_group_id == group.id, timeout=10_000)
    # its members in the dialog: one list view over a model, every member checked
    w.commands[MainAction.GROUP].trigger()
    members = w.groups.dialog
    assert members is not None and members is not dialog and members.isVisible()
    people = members.people
    qtbot.waitUntil(lambda: people.rowCount() >= 501, timeout=15_000)
    assert len(people.checked) == 501  # everyone but me
    assert members.findChildren(QCheckBox) == []  # no widget per person
    assert members.findChildren(QListView) == [members.view]
    assert members.view.model() is people and members.view.uniformItemSizes()
    # the last one, scrolled to and unchecked: that member alone leaves
    last = people.row_of(*next(reversed(people.checked)))
    index = people.index(last, 0)
    members.view.scrollTo(index)
    assert members.view.visualRect(index).intersects(members.view.viewport().rect())
    members.view.setCurrentIndex(index)
    leaving = people.people[last]
    qtbot.keyClick(members.view, Qt.Key.Key_Space)
    assert members.count.text() == "501 members with you"
    qtbot.mouseClick(
        members.buttons.button(members.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: len(w.groups.model.groups[0].members) == 501, timeout=15_000)
    now = desk.api.call("GET", f"/groups/{group.id}")
    assert len(now["members"]) == 501
    assert (leaving.kind.value, leaving.id) not in {(m["kind"], m["id"]) for m in now["members"]}
