"""Another line chosen while a user of the old line only is open, through the real window
against the real server: their chat closes, and with it everything else shown of them — the
info panel empties, every command for a user is off until one is chosen (a review found the
panel still showing them and Call, Connect and Group enabled with no user open)."""

from __future__ import annotations

from typing import Any

from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_window import Shown, shown
from ui.mainwindow.actions import MainAction

pytestmark = WINDOW_MARKS
__all__ = ["shown"]

NO_USER = ("Choose a user in the list", "Выберите пользователя в списке")


def test_another_line_leaves_no_user_shown_and_no_command_for_one(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    lines = {ln["name"]: ln["id"] for ln in shown.api.call("GET", "/lines")["items"]}
    other = "Бухгалтерия 1С"
    there = shown.server_order(lines[other])
    here_only = [u for u in shown.server_order(line_id) if not u["colleague"]]
    user = next(u for u in here_only if u["id"] not in {t["id"] for t in there})
    shown.open_user(user["id"])
    panel = w.info_panel
    qtbot.waitUntil(lambda: panel.values["login"].text() == user["login"], timeout=10_000)
    calls = [MainAction.CALL_USER, MainAction.CONNECT_REMOTE, MainAction.GROUP]
    qtbot.waitUntil(lambda: all(w.commands[k].isEnabled() for k in calls), timeout=10_000)

    shown.pick_line(other)
    qtbot.waitUntil(lambda: w.chat_model.chat_id is None, timeout=10_000)
    assert w.desk.user_id is None
    assert panel.user_id is None and panel.placeholder.text() in NO_USER
    shown_of_them = {k: v.text() for k, v in panel.values.items() if v.text()}
    assert shown_of_them == {}, "the info panel still shows the user"
    company = panel.sections["company"].fields.values
    assert not any(v.text() for v in company.values())
    on = [c.text() for c in w.commands.for_user() if c.isEnabled()]
    assert on == [], f"enabled with no user open: {on}"
    buttons = w.chat.bar.buttons
    assert not any(buttons[k].isEnabled() and buttons[k].isVisibleTo(w) for k in calls)

    # a user of the new line writes (their row changes): still no user open, nothing on
    writer = next(u for u in there if not u["colleague"])
    Api(live_server.url).login(writer["login"]).post_message(writer["chat_id"], "Добрый день!")

    def written() -> bool:
        row = w.desk.row(writer["id"])
        return (
            row is not None
            and row.last_message is not None
            and (row.last_message.text == "Добрый день!")
        )

    qtbot.waitUntil(written, timeout=10_000)
    qtbot.wait(200)  # the window's own handlers of the change have run
    assert [c.text() for c in w.commands.for_user() if c.isEnabled()] == []
    # a user chosen: theirs again
    shown.open_user(writer["id"])
    qtbot.waitUntil(lambda: all(w.commands[k].isEnabled() for k in calls), timeout=10_000)
    qtbot.waitUntil(lambda: panel.values["login"].text() == writer["login"], timeout=10_000)


def test_the_info_panel_with_nobody_open_shows_a_quiet_word_not_empty_sections(
    shown: Shown, qtbot: Any
) -> None:
    """A review found the panel, with no user open (another line just chosen), still showing
    its sections' headers («Контакты», «Компания»…) with nothing under them."""
    w = shown.window
    panel = w.info_panel
    line_id = shown.pick_line()
    lines = {ln["name"]: ln["id"] for ln in shown.api.call("GET", "/lines")["items"]}
    other = "Бухгалтерия 1С"
    there = {u["id"] for u in shown.server_order(lines[other])}
    user = next(
        u for u in shown.server_order(line_id) if not u["colleague"] and u["id"] not in there
    )
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: panel.values["login"].text() == user["login"], timeout=10_000)
    headers = [s.header for s in panel.sections.values() if s.isVisibleTo(w)]
    assert headers and all(h.isVisibleTo(w) for h in headers)
    assert panel.name.isVisibleTo(w)

    shown.pick_line(other)
    qtbot.waitUntil(lambda: w.desk.user_id is None and panel.user_id is None, timeout=10_000)
    # the placeholder alone: no header, no name, no photo
    seen = [s.header.text() for s in panel.sections.values() if s.header.isVisibleTo(w)]
    assert seen == [], f"empty sections shown: {seen}"
    assert panel.placeholder.isVisibleTo(w) and panel.placeholder.text() in NO_USER
    assert not panel.name.isVisibleTo(w) and not panel.photo.isVisibleTo(w)
    # quiet, and in the panel's middle (once the panel's layout, a posted event, has run)
    middle = panel.viewport().rect().center().y()
    box = panel.placeholder.geometry
    qtbot.waitUntil(lambda: box().top() < middle < box().bottom(), timeout=5_000)
    assert panel.placeholder.palette().color(panel.placeholder.foregroundRole()) != (
        panel.name.palette().color(panel.name.foregroundRole())
    )

    # a user chosen again: theirs, with the sections back
    theirs = {u["id"]: u for u in shown.server_order(lines[other]) if not u["colleague"]}
    writer = theirs[next(i for i in w.users_model.ids() if i in theirs)]
    shown.open_user(writer["id"])
    qtbot.waitUntil(lambda: panel.values["login"].text() == writer["login"], timeout=10_000)
    assert not panel.placeholder.isVisibleTo(w) and panel.name.isVisibleTo(w)
    assert panel.sections["contacts"].header.isVisibleTo(w)
