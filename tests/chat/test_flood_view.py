"""What keeps a flood cheap (docs/chat.md), checked without a server: new messages inserted
once a frame (the first at once), row heights kept — and measured again when the width or
the message changes —, and a changed row repainted alone (the chat's and the users list's)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QRect

from tests.benchmarks.chat_view_child import message
from tests.window.conftest import WINDOW_MARKS
from tests.window.test_models import Rows
from ui.chat.model import ChatModel
from ui.chat.view import ChatView
from ui.clients.users_delegate import UsersDelegate
from ui.clients.users_model import UsersModel
from ui.common.rows_view import RowsView

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]


def shown_chat(qtbot: Any, count: int = 30) -> tuple[ChatModel, ChatView]:
    model = ChatModel()
    view = ChatView(model)
    qtbot.addWidget(view)
    view.resize(600, 500)
    view.show()
    qtbot.waitExposed(view)
    model.open(50, 1, [message(i) for i in range(count)], False)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    return model, view


def test_messages_of_one_frame_are_inserted_once(qtbot: Any) -> None:
    model, view = shown_chat(qtbot)
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    for i in range(30, 36):
        model.add(message(i))
    assert inserts == [(30, 30)]  # the first at once; the frame's others wait for its end
    assert model.rowCount() == 31
    model.add(message(33))  # again, while waiting: still once
    qtbot.waitUntil(lambda: model.rowCount() == 36, timeout=2_000)
    assert inserts == [(30, 30), (31, 35)]
    keys = [model.message_at(r).client_msg_id for r in range(30, 36)]  # type: ignore[union-attr]
    assert keys == [f"m{i}" for i in range(30, 36)]  # in order, each once
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())  # and the chat still at its bottom
    # a message asked for while it waits (a quote's original) is shown first
    model.add(message(36))
    model.add(message(37))
    assert model.row_of("m37") == 37 and model.rowCount() == 38


def test_heights_are_kept_and_measured_again_on_width_or_edit(qtbot: Any) -> None:
    model, view = shown_chat(qtbot)
    delegate = view.chat_delegate
    row = 29
    index = model.index(row, 0)
    height = view.visualRect(index).height()
    assert delegate.known_height("m29") == height
    longer = replace(message(29), text="длинное слово " * 25)  # (60 would fold at 400 px)
    with qtbot.waitSignal(model.dataChanged):
        model.update(longer)
    qtbot.waitUntil(lambda: view.visualRect(model.index(row, 0)).height() > height + 40)
    wide = view.visualRect(model.index(row, 0)).height()
    view.resize(400, 500)  # narrower: the long message takes more lines
    qtbot.waitUntil(lambda: view.visualRect(model.index(row, 0)).height() > wide + 20)


def settle() -> None:
    """Posted updates, layouts (zero timers) and paints, done: a few passes of the loop."""
    for _ in range(3):
        QCoreApplication.processEvents()


class Painted:
    """The rows a delegate painted (its paint wrapped on the instance)."""

    def __init__(self, delegate: Any) -> None:
        self.rows: list[int] = []
        paint = delegate.paint

        def counted(painter: Any, option: Any, index: QModelIndex) -> None:
            self.rows.append(index.row())
            paint(painter, option, index)

        delegate.paint = counted


def test_a_changed_row_is_repainted_alone(qtbot: Any) -> None:
    # the users list: RowsView repaints the changed row, not the whole list laid out again
    source = Rows(30)
    users = UsersModel(source)
    view = RowsView()
    qtbot.addWidget(view)
    view.setModel(users)
    view.setUniformItemSizes(True)
    delegate = UsersDelegate(view)
    view.setItemDelegate(delegate)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    users.reset(list(range(30)))
    qtbot.waitUntil(lambda: view.visualRect(users.index(3, 0)).height() > 0)
    settle()  # the first paint done
    painted = Painted(view.itemDelegate())
    users.changed(3)
    settle()
    assert set(painted.rows) == {3}, painted.rows
    users.changed(29)  # not on screen: nothing painted
    settle()
    assert set(painted.rows) == {3}, painted.rows

    # the chat: a delivery tick repaints that bubble, not the whole chat
    model, chat = shown_chat(qtbot)
    settle()
    bubbles = Painted(chat.chat_delegate)
    model.update(replace(message(28), text=message(28).text))  # same height
    settle()
    assert set(bubbles.rows) == {28}, bubbles.rows
    assert chat.visualRect(model.index(28, 0)) != QRect()


def test_a_message_just_sent_shows_at_once_with_those_waiting(qtbot: Any) -> None:
    model, _view = shown_chat(qtbot)
    model.add(message(30))
    model.add(message(31))  # waits for the frame's end
    assert model.rowCount() == 31
    own = replace(message(32), author=replace(message(32).author, id=7, kind="specialist"))
    model.add(own)
    assert model.rowCount() == 33  # in order: the waiting one, then the sent one
    assert [model.message_at(r).client_msg_id for r in (30, 31, 32)] == ["m30", "m31", "m32"]  # type: ignore[union-attr]
