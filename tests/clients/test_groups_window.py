"""Groups through the real window against the real server, as two specialists meet them:
demo makes a group with a user of the line, a user of another of her lines and a colleague
(the Group button, the people found by typing, checked with Space), writes in it; the
colleague's window lists the group live, opens it, sees the message and answers, and demo
sees the answer live. The name is shown as typed: markup and a bidi override stay text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.core.domain import ConnectionState
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from tests.window.test_actions import right_click
from tests.window.test_window import Shown
from ui.common.text import isolated
from ui.groups.model import GROUP_ID_ROLE
from ui.mainwindow.actions import MainAction
from ui.mainwindow.window import MainWindow

pytestmark = [*WINDOW_MARKS, pytest.mark.clients, pytest.mark.chat]

NAME = "<b>Отчёт</b> \u202eквартал"  # markup and a right-to-left override


def _signed_in(qtbot: Any, wp: Any, url: str, login: str) -> Iterator[MainWindow]:
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(url, login, "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield window


@pytest.fixture
def two(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[tuple[Shown, Shown]]:
    """demo's window and s.orlov's (a colleague: another specialist of the company)."""
    demo_wp, orlov_wp = make_workplace("demo"), make_workplace("orlov")
    for demo_window in _signed_in(qtbot, demo_wp, live_server.url, "demo"):
        for orlov_window in _signed_in(qtbot, orlov_wp, live_server.url, "s.orlov"):
            yield (
                Shown(qtbot, demo_window, demo_wp, Api(live_server.url).login("demo")),
                Shown(qtbot, orlov_window, orlov_wp, Api(live_server.url).login("s.orlov")),
            )


def _send(qtbot: Any, w: MainWindow, text: str) -> None:
    w.composer.setFocus()
    w.composer.setPlainText(text)
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)


def _texts(w: MainWindow) -> list[str]:
    m = w.chat_model
    return [msg.text for r in range(m.rowCount()) if (msg := m.message_at(r)) is not None]


def _check(qtbot: Any, w: MainWindow, name_part: str) -> None:
    """Find someone in the dialog by typing, and check them with Space."""
    dialog = w.groups.dialog
    assert dialog is not None
    dialog.search.clear()
    dialog.search.insert(name_part)  # (Cyrillic as an input method puts it)
    people = dialog.people

    def found() -> int:
        return next(
            (r for r in range(people.rowCount()) if name_part in people.people[r].full_name), -1
        )

    qtbot.waitUntil(lambda: found() >= 0, timeout=10_000)
    index = people.index(found(), 0)
    dialog.view.setCurrentIndex(index)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    assert index.data(10) == 2  # checked


def test_a_group_made_written_in_and_answered_live(two: tuple[Shown, Shown], qtbot: Any) -> None:
    demo, orlov = two
    w = demo.window
    line_id = demo.pick_line()
    user = next(u for u in demo.server_order(line_id) if not u["colleague"])
    demo.open_user(user["id"])
    # the command is in the users list's menu and in the function bar
    menu = right_click(qtbot, w, user["id"])
    assert w.commands[MainAction.GROUP] in menu.actions()
    menu.hide()
    button = w.chat.bar.buttons[MainAction.GROUP]
    qtbot.waitUntil(button.isVisible, timeout=5_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.groups.dialog is not None and w.groups.dialog.isVisible())
    dialog = w.groups.dialog
    assert dialog is not None
    assert [p.id for p in dialog.people.checked.values()] == [user["id"]]  # the open user
    _check(qtbot, w, "Орлов")
    # a user of another of my lines, found by the server as I type
    lines = {ln["name"]: ln["id"] for ln in demo.api.call("GET", "/lines")["items"]}
    here = {u["id"] for u in demo.server_order(line_id)}
    elsewhere = next(
        u
        for u in demo.server_order(lines["Бухгалтерия 1С"])
        if not u["colleague"] and u["id"] not in here
    )
    _check(qtbot, w, elsewhere["full_name"])
    dialog.name.insert(NAME)
    assert dialog.count.text() in ("4 members with you", "4 участника с вами")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )

    # made: in the section, and open in the chat pane, its name as typed
    qtbot.waitUntil(lambda: w.groups.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(
        lambda: w.chat.other_chat_id is not None and w.composer.isEnabled(), timeout=10_000
    )
    assert w.chat_title.text() == isolated(NAME)  # the override marked, kept in its place
    assert w.tickets.label.text() == ""  # nothing about the user whose chat was open
    # no user is open meanwhile: the commands for a user wait, the info panel is empty
    assert not w.commands[MainAction.START_TICKET].isEnabled() and w.start_button.isHidden()
    assert w.info_panel.placeholder.isVisibleTo(w) and w.info_panel.placeholder.text() in (
        "Choose a user in the list",
        "Выберите пользователя в списке",
    )
    assert w.chat_title.textFormat() == Qt.TextFormat.PlainText
    shown_name = w.groups.model.index(0, 0).data()
    assert "[RLO]" in shown_name and "<b>Отчёт</b>" in shown_name  # marked, never markup
    _send(qtbot, w, "Коллеги, посмотрите отчёт")

    # the colleague's window lists it live; he opens it and sees the message
    o = orlov.window
    qtbot.waitUntil(lambda: o.groups.model.rowCount() == 1, timeout=15_000)
    group_id = o.groups.model.index(0, 0).data(GROUP_ID_ROLE)
    rect = o.groups.view.visualRect(o.groups.model.index(0, 0))
    qtbot.mouseClick(o.groups.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert o.groups.open_group_id == group_id
    qtbot.waitUntil(lambda: "Коллеги, посмотрите отчёт" in _texts(o), timeout=15_000)
    _send(qtbot, o, "Смотрю")
    qtbot.waitUntil(lambda: "Смотрю" in _texts(w), timeout=15_000)  # demo sees it live
    # back to the user: their chat and their commands again
    demo.open_user(user["id"])
    assert w.chat.other_chat_id is None and w.groups.open_group_id is None
    qtbot.waitUntil(w.commands[MainAction.START_TICKET].isEnabled, timeout=10_000)
    # a specialist outside the group does not see it (the server's side: tests/server)
    outsider = Api(demo.api.url).login("a.morozov")
    assert outsider.call("GET", "/groups") == {"items": []}


def _group(group_id: int, name: str, members: int) -> Any:
    from datetime import UTC, datetime

    from contract.groups import Group, Member
    from contract.types import AccountKind

    people = [Member(AccountKind.CLIENT, i + 1, f"Участник {i}") for i in range(members)]
    return Group(group_id, name, group_id * 10, 1, 1, people, datetime.now(UTC))


def test_the_groups_and_people_models_pass_the_model_tester(qtmodeltester: Any) -> None:
    from app.groups.part import Candidate
    from contract.types import AccountKind
    from ui.groups.dialog import PeopleModel
    from ui.groups.model import GroupsModel

    groups = GroupsModel()
    qtmodeltester.check(groups)
    groups.set_groups((_group(3, NAME, 500), _group(1, "Первая", 2)))
    qtmodeltester.check(groups)
    assert groups.index(0, 0).data() == isolated(NAME)
    tip = groups.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<p>") and "&lt;" not in tip  # members' names, escaped, then "and N more"
    groups.set_groups((_group(4, "Новая", 1), _group(3, "Переименована", 500)))  # one in, one out
    assert [g.id for g in groups.groups] == [4, 3]
    assert groups.index(1, 0).data() == isolated("Переименована")
    qtmodeltester.check(groups)
    people = PeopleModel()
    people.checked[(AccountKind.CLIENT, 7)] = Candidate(AccountKind.CLIENT, 7, "Выбранный", "")
    people.show(
        [
            Candidate(AccountKind.SPECIALIST, 2, "Коллега", ""),
            Candidate(AccountKind.CLIENT, 7, "Выбранный", ""),
        ]
    )
    qtmodeltester.check(people)
    assert [p.id for p in people.people] == [7, 2]  # the checked first, once
    assert people.setData(people.index(1, 0), 2, 10)
    assert set(people.checked) == {(AccountKind.CLIENT, 7), (AccountKind.SPECIALIST, 2)}


def test_a_late_answer_to_an_older_search_does_not_replace_the_newer(qtbot: Any) -> None:
    """The dialog's searches answer out of order (the first one, for everybody, asks more):
    an answer for a query the field no longer holds is dropped — it once reset the list
    while a specialist checked the rows of the newer one (test_group_of_500 failed once)."""
    from PySide6.QtWidgets import QWidget

    from app.groups.part import Candidate
    from contract.types import AccountKind
    from ui.groups.dialog import GroupDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[str] = []
    dialog = GroupDialog(parent, asked.append)
    dialog.search.insert("Партия1")
    newer = [Candidate(AccountKind.CLIENT, i, f"Партия1 {i}", "") for i in range(3)]
    dialog.show_found("Партия1", newer)
    dialog.show_found("", [Candidate(AccountKind.SPECIALIST, 9, "Все подряд", "")])
    assert [p.id for p in dialog.people.people] == [0, 1, 2]
    qtbot.waitUntil(lambda: asked == ["Партия1"])  # asked once, after typing rests


def test_the_creator_renames_a_group_and_a_member_sees_it_live(
    two: tuple[Shown, Shown], qtbot: Any
) -> None:
    demo, orlov = two
    w, o = demo.window, orlov.window
    line_id = demo.pick_line()
    user = next(u for u in demo.server_order(line_id) if not u["colleague"])
    orlov_id = orlov.api.call("GET", "/me")["id"]
    made = demo.api.call(
        "POST",
        "/groups",
        {
            "line_id": line_id,
            "name": "Отчёт",
            "user_ids": [user["id"]],
            "specialist_ids": [orlov_id],
        },
    )
    # both see it (live); the member opens its chat
    qtbot.waitUntil(lambda: w.groups.model.row_of(made["id"]) >= 0, timeout=15_000)
    qtbot.waitUntil(lambda: o.groups.model.row_of(made["id"]) >= 0, timeout=15_000)
    o.groups.open_group(made["id"])
    qtbot.waitUntil(lambda: o.chat_title.text() == isolated("Отчёт"), timeout=10_000)
    # a member who is not its creator: the Group command says so, no dialog
    o.commands[MainAction.GROUP].trigger()
    assert o.groups.dialog is None
    # the creator: the Group command in its chat, the name changed in the dialog
    w.groups.open_group(made["id"])
    qtbot.waitUntil(lambda: w.chat_title.text() == isolated("Отчёт"), timeout=10_000)
    w.commands[MainAction.GROUP].trigger()
    dialog = w.groups.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.name.isReadOnly() and dialog.name.text() == "Отчёт"
    dialog.name.clear()
    dialog.name.insert(NAME)  # (Cyrillic as an input method puts it)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    # the member's section and open chat follow live, the name as typed (never markup)
    qtbot.waitUntil(lambda: o.chat_title.text() == isolated(NAME), timeout=15_000)
    row = o.groups.model.row_of(made["id"])
    assert o.groups.model.index(row, 0).data() == isolated(NAME)
    assert w.chat_title.text() == isolated(NAME)
    got = demo.api.call("GET", f"/groups/{made['id']}")
    assert got["name"] == NAME and len(got["members"]) == 3  # the members as they were
