"""The reply-time guard's order, through the window against the real server (issue 9): the
users waiting for my answer (their message the last, in a ticket that is mine or in the
queue) float above the others, longest wait first; a client writes → the row moves up among
them; I answer → it goes back to its place; a colleague takes a queued ticket → back too.
Each a move of the row, never a reset of the list; the filter "Waiting for me"."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.clients.userfilter import Only, flags_of, waits_for_me
from app.core import parse
from app.core.domain import UserRow
from tests.app.order import floated
from tests.clients.test_filter import tick
from tests.clients.test_users_list import Desk, desk
from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_actions import nobody_takes_new_tickets

__all__ = ["desk"]

pytestmark = [*WINDOW_MARKS, pytest.mark.clients, pytest.mark.tickets]


def server_rows(desk: Desk, line_id: int) -> list[UserRow]:
    items = desk.api.call("GET", f"/lines/{line_id}/users?limit=500")["items"]
    return [parse.user_row(r) for r in items]


def test_waiting_users_float_up_and_go_back_when_answered(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    model = w.users_model
    me = desk.api.call("GET", "/me")["id"]
    line_id = desk.pick_line()
    rows = server_rows(desk, line_id)
    qtbot.waitUntil(lambda: list(model.ids()) == floated(rows, me), timeout=10_000)
    afloat = [r.id for r in rows if waits_for_me(flags_of(r, me))]
    assert afloat, "the demo line has users waiting for me (queued tickets)"

    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    # a quiet user (no ticket, not waiting) writes; nobody is Free: the ticket is queued
    nobody_takes_new_tickets(desk.url)
    quiet = [
        r
        for r in rows
        if not r.colleague and r.open_ticket is None and not flags_of(r, me) & 2  # not waiting
    ]
    user = quiet[-1]
    place = list(model.ids()).index(user.id)
    assert place > len(afloat)
    Api(desk.url).login(user.login).post_message(user.chat_id, "Добрый день, жду ответа")
    # it floats: below those waiting longer, above everyone else
    qtbot.waitUntil(lambda: model.position(user.id) == len(afloat), timeout=15_000)
    assert list(model.ids())[: len(afloat)] == [i for i in floated(rows, me) if i in afloat]

    # the filter "Waiting for me": the floating users only
    tick(desk, Only.WAITING_ME.value)
    qtbot.waitUntil(lambda: set(model.ids()) == {*afloat, user.id}, timeout=5_000)
    assert list(model.ids())[-1] == user.id  # the shortest wait
    tick(desk, Only.WAITING_ME.value)
    qtbot.waitUntil(lambda: len(model.ids()) == len(rows), timeout=5_000)
    assert model.position(user.id) == len(afloat)
    resets.clear()

    # I answer the one waiting longest, from the window: back to its place — the top of
    # the others (its last message, my answer, is the newest)
    first = model.ids()[0]
    w.users_view.setCurrentIndex(model.index(0, 0))
    qtbot.waitUntil(
        lambda: w.chat_model.user_id == first and w.composer.isEnabled(), timeout=15_000
    )
    w.composer.setFocus()
    w.composer.insertPlainText("Добрый день! Смотрю.")
    with qtbot.waitSignal(model.rowsMoved, timeout=15_000):
        qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.position(first) == len(afloat), timeout=15_000)
    assert model.position(user.id) == len(afloat) - 1  # still waiting, now the shortest

    # another quiet user writes (queued: it floats, the shortest wait)
    other = quiet[-2]
    Api(desk.url).login(other.login).post_message(other.chat_id, "Здравствуйте")
    qtbot.waitUntil(lambda: model.position(other.id) == len(afloat), timeout=15_000)
    # a colleague takes the queued ticket of one waiting longer: back in its place
    queued = next(
        r
        for r in rows
        if r.id in afloat
        and r.id != first
        and r.open_ticket is not None
        and r.open_ticket.specialist_id is None
    )
    assert queued.open_ticket is not None
    Api(desk.url).login("s.orlov").call("POST", f"/tickets/{queued.open_ticket.id}/take")
    qtbot.waitUntil(lambda: model.position(queued.id) >= len(afloat), timeout=15_000)
    # the list as the server's order floated afresh: what the moves made of it
    assert list(model.ids()) == floated(server_rows(desk, line_id), me)
    assert resets == []  # moves, never a reset
