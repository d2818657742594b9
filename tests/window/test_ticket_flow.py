"""A ticket's flow through the window against the real server: who holds it (the list row
and the chat header), its life as quiet system lines in the chat, a colleague taking it
a moment before me said in words, nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from contract.tickets import Tier
from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_actions import (
    confirm_finish,
    nobody_takes_new_tickets,
    right_click,
    shown,
)
from tests.window.test_window import Shown
from ui.common.roles import STEP_ROLE, TICKET_ROLE
from ui.mainwindow.actions import MainAction
from ui.tickets.holder import HOLDERS

pytestmark = [*WINDOW_MARKS, pytest.mark.tickets]
__all__ = ["shown"]


def step_lines(w: Any) -> list[str]:
    model = w.chat_model
    found = (model.index(r, 0).data(STEP_ROLE) for r in range(model.rowCount()))
    return [line for line in found if line]


def last_step(w: Any) -> str:
    lines = step_lines(w)
    return lines[-1] if lines else ""


def row_ticket_text(w: Any, user_id: int) -> str:
    model = w.users_view.model()
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if index.data(0x0100 + 2) == user_id:  # USER_ID_ROLE
            return str((index.data(TICKET_ROLE) or ("", 0))[0])
    return ""


def row_level(w: Any, user_id: int) -> int:
    model = w.users_view.model()
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if index.data(0x0100 + 2) == user_id:  # USER_ID_ROLE
            return int((index.data(TICKET_ROLE) or ("", 0))[1])
    return -1


def test_holder_system_lines_and_a_ticket_taken_a_moment_before(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    quiet = [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ]
    user, second = quiet[-1], quiet[-2]
    nobody_takes_new_tickets(live_server.url)
    client = Api(live_server.url).login(user["login"])
    client.post_message(user["chat_id"], "Здравствуйте, вопрос по отчёту")
    shown.open_user(user["id"])
    # queued: the header and the row say how long it waits; the chat says how it opened
    qtbot.waitUntil(lambda: "0" in w.tickets.label.text(), timeout=15_000)
    assert row_ticket_text(w, user["id"]) == w.tickets.label.text()
    assert w.tickets.label.property("guard") == 0
    qtbot.waitUntil(lambda: len(step_lines(w)) >= 1, timeout=15_000)
    assert step_lines(w)[0] in ("Ticket opened by a message", "Обращение открыто сообщением")

    # the reply-time guard: amber at 3 minutes unanswered, red at 5 (the clock moved on)
    try:
        for minutes, level in ((1, 0), (4, 1), (6, 2)):
            HOLDERS.clock = lambda m=minutes: datetime.now(UTC) + timedelta(minutes=m)
            w.tickets.refresh()  # what its 30-second timer does
            assert w.tickets.label.property("guard") == level
            assert row_level(w, user["id"]) == level
        # a long wait reads at a glance, not as thousands of minutes
        for minutes, said in ((474, ("7 h 54 min", "7 ч 54 мин")), (8896, ("6 d 4 h", "6 д 4 ч"))):
            HOLDERS.clock = lambda m=minutes: datetime.now(UTC) + timedelta(minutes=m)
            w.tickets.refresh()
            assert w.tickets.label.text() in (f"Waits {said[0]}", f"Ждёт {said[1]}")
            assert row_ticket_text(w, user["id"]) == w.tickets.label.text()
    finally:
        HOLDERS.clock = lambda: datetime.now(UTC)

    # Start work: mine, and the chat says who took it
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.commands[MainAction.FINISH_TICKET].isEnabled, timeout=15_000)
    qtbot.waitUntil(lambda: len(step_lines(w)) >= 2, timeout=15_000)
    assert "Демидова А. С." in step_lines(w)[-1]
    # mine and unanswered: the header says both; the row only how long (its ring says
    # mine), so the company beside it is not squeezed out
    qtbot.waitUntil(
        lambda: w.tickets.label.text().startswith(("Your ticket · ", "Ваше обращение · ")),
        timeout=15_000,
    )
    mine = row_ticket_text(w, user["id"])
    assert mine.startswith(("unanswered ", "без ответа ")), mine
    assert w.tickets.label.text().endswith(mine)
    # finished (the user unanswered: asked first); the chat says so
    qtbot.mouseClick(w.finish_button, Qt.MouseButton.LeftButton)
    confirm_finish(qtbot, w)
    qtbot.waitUntil(lambda: len(step_lines(w)) >= 3, timeout=15_000)
    assert "Демидова А. С." in step_lines(w)[-1]

    # a colleague's ticket: their name on the row and in the header, no finishing it
    other = Api(live_server.url).login(second["login"])
    other.post_message(second["chat_id"], "Добрый день")
    orlov = Api(live_server.url).login("s.orlov")
    rows = shown.api.call("GET", f"/lines/{line_id}/users/{second['id']}")
    orlov.call("POST", f"/tickets/{rows['open_ticket']['id']}/take")
    shown.open_user(second["id"])
    qtbot.waitUntil(lambda: "Орлов С. В." in w.tickets.label.text(), timeout=15_000)
    assert "Орлов С. В." in row_ticket_text(w, second["id"])
    assert not w.commands[MainAction.FINISH_TICKET].isEnabled()
    assert not w.commands[MainAction.START_TICKET].isEnabled()


@pytest.fixture
def names_forgotten() -> None:
    """No colleague's name known before the window signs in (the names are the process's:
    an earlier test's window leaves them)."""
    HOLDERS.names.clear()


def test_a_colleague_s_ticket_names_them_from_the_start(
    names_forgotten: None, shown: Shown
) -> None:
    """The colleagues come after the window attached to the workplace; their names reach
    the rows and the header then (before: every colleague's ticket read "With a colleague"
    until some colleague changed status)."""
    w = shown.window
    me = shown.api.call("GET", "/me")["id"]
    lines = shown.api.call("GET", "/lines")["items"]
    held = [
        (line["name"], u)
        for line in lines
        for u in shown.server_order(line["id"])
        if u["open_ticket"] and u["open_ticket"]["specialist_id"] not in (None, me)
    ]
    assert held, "the demo has tickets held by colleagues"
    line_name, user = held[0]
    shown.pick_line(line_name)
    holder = user["open_ticket"]["specialist_id"]
    colleagues = shown.api.call("GET", "/colleagues")["items"]
    full = next(c["full_name"] for c in colleagues if c["id"] == holder)
    last, first, *rest = full.split()
    short = f"{last} {first[0]}." + (f" {rest[0][0]}." if rest else "")
    shown.qtbot.waitUntil(lambda: short in row_ticket_text(w, user["id"]), timeout=15_000)
    shown.open_user(user["id"])
    assert short in w.tickets.label.text()
    assert w.tickets.label.text().startswith(("With ", "Ведёт "))


def open_transfer(qtbot: Any, w: Any) -> Any:
    qtbot.mouseClick(w.chat.bar.buttons[MainAction.TRANSFER_TICKET], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.tickets.transfer_dialog is not None, timeout=15_000)
    dialog = w.tickets.transfer_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def test_transfer_to_a_free_colleague_and_one_who_just_stopped_being_free(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()  # Техподдержка: demo, a.morozov, i.sokolov, s.orlov
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-3]
    nobody_takes_new_tickets(live_server.url)
    orlov = Api(live_server.url).login("s.orlov")
    orlov.call("PUT", "/me/status", {"status": "free"})
    shown.open_user(user["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    transfer = w.commands[MainAction.TRANSFER_TICKET]
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)

    # the dialog: the Free colleague can be chosen, the others are greyed with why
    dialog = open_transfer(qtbot, w)
    assert not dialog.again.isVisible()  # never transferred: no advice against it
    people = dialog.people
    texts = [people.item(r).text() for r in range(people.count())]
    assert any("Орлов" in t and (" из " in t or " of " in t) for t in texts), texts
    greyed = [
        people.item(r)
        for r in range(people.count())
        if not people.item(r).flags() & Qt.ItemFlag.ItemIsEnabled
    ]
    assert greyed and all(item.toolTip() for item in greyed)
    # by keyboard: type to find, ↓ into the list, a note, Transfer
    dialog.search.insert("орл")  # typed (QTest cannot click Cyrillic keys)
    assert [people.item(r).isHidden() for r in range(people.count())].count(False) == 1
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.chosen() is not None and dialog.ok.isEnabled()
    dialog.note.setPlainText("Клиент ждёт сверку")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Орлов С. В." in w.tickets.label.text(), timeout=15_000)
    qtbot.waitUntil(lambda: "Клиент ждёт сверку" in step_lines(w)[-1], timeout=15_000)
    assert not transfer.isEnabled()
    # handed back to me: transferring it again is advised against (seed 000, 4.10)
    shown.api.call("PUT", "/me/status", {"status": "free"})
    ticket = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")["open_ticket"]["id"]
    me = shown.api.call("GET", "/me")["id"]
    orlov.call("POST", f"/tickets/{ticket}/transfer", {"specialist_id": me})
    shown.api.call("PUT", "/me/status", {"status": "busy_new"})
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)
    dialog = open_transfer(qtbot, w)
    assert dialog.again.isVisible()
    assert any(s in dialog.again.text() for s in ("no more than once", "не более одного раза"))
    dialog.reject()

    # another user's ticket: Орлов stops being Free while I choose him — refused in words,
    # the ticket stays mine
    other = [u for u in shown.server_order(line_id) if not u["colleague"]][-4]
    shown.open_user(other["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)
    dialog = open_transfer(qtbot, w)
    dialog.search.insert("орл")  # typed (QTest cannot click Cyrillic keys)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    orlov.call("PUT", "/me/status", {"status": "away"})
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    banner = w.chat.banner
    said = ("no longer Free", "уже не «Свободен»")
    qtbot.waitUntil(
        lambda: banner.isVisible() and any(s in banner.label.text() for s in said),
        timeout=15_000,
    )
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)
    assert w.tickets.label.text().startswith(("Your ticket", "Ваше обращение"))
    card = shown.api.call("GET", f"/lines/{line_id}/users/{other['id']}")
    assert card["open_ticket"]["specialist_id"] == shown.api.call("GET", "/me")["id"]


def test_quick_replies_fill_the_user_s_name_and_keep_my_own(
    russian: None, shown: Shown, qtbot: Any
) -> None:
    """(In Russian: the house's snippets are in the interface's language.)"""
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-5]
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: w.chat_model.user_id == user["id"], timeout=15_000)
    name = " ".join(user["full_name"].split()[1:])  # first name and patronymic (seed 000, 4.4)
    w.activateWindow()
    w.composer.setFocus()
    # Ctrl+K: the palette; Enter at once: "request received" (one keystroke away)
    qtbot.keyClick(w.composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is not None, timeout=5_000)
    qtbot.keyClick(w.tickets.quick_palette.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is None, timeout=5_000)
    assert w.composer.toPlainText() == (
        f"{name}, добрый день! Ваше обращение получено. Отвечу через несколько минут."
    )
    # type to filter: the closing thanks, with the name; my own snippet kept and offered
    w.composer.setPlainText("Проверил настройки обмена, $name.")
    qtbot.keyClick(w.composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is not None, timeout=5_000)
    palette = w.tickets.quick_palette
    qtbot.mouseClick(palette.keep, Qt.MouseButton.LeftButton)
    palette.filter.insert("обмена")  # typed (QTest cannot click Cyrillic keys)
    visible = [palette.items.item(r) for r in range(palette.items.count())]
    shown_now = [i.text() for i in visible if not i.isHidden()]
    assert shown_now == [f"Проверил настройки обмена, {name}."]
    palette.filter.clear()
    palette.filter.insert("оцен")  # the request for a rating (seed 001), before finishing
    shown_now = [i.text() for i in visible if not i.isHidden()]
    assert len(shown_now) == 1 and shown_now[0].startswith(f"{name}, спасибо за обращение!")
    palette.filter.clear()
    palette.filter.insert("линия")  # seed 000, 4.9: a question for another line
    shown_now = [i.text() for i in visible if not i.isHidden()]
    assert [t.split(",")[0] for t in shown_now] == [name, name]
    assert "переведу" in shown_now[0] and "подключить" in shown_now[1]
    qtbot.keyClick(palette.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is None, timeout=5_000)
    assert shown.wp.settings.quick_replies == ["Проверил настройки обмена, $name."]


def test_the_online_monitor_is_for_supervisors_and_live(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    import sqlite3

    w = shown.window
    line_id = shown.pick_line()
    monitor = w.commands[MainAction.ONLINE_MONITOR]
    # not a supervisor: refused in words, no window
    monitor.trigger()
    banner = w.chat.banner
    said = ("for supervisors", "для руководителей")
    qtbot.waitUntil(lambda: any(s in banner.label.text() for s in said), timeout=15_000)
    assert w.monitor.dialog is None
    # the administrator gives the right (the admin cabinet is not this program: its table)
    db = sqlite3.connect(live_server.db_url.removeprefix("sqlite:///"))
    with db:
        db.execute(
            "INSERT INTO ticket_specialists (specialist_id, capacity, supervisor) "
            "SELECT id, 5, 1 FROM specialists WHERE login = 'demo'"
        )
    db.close()
    monitor.trigger()
    qtbot.waitUntil(
        lambda: w.monitor.dialog is not None and w.monitor.dialog.isVisible(), timeout=15_000
    )
    dialog = w.monitor.dialog
    assert dialog.table.rowCount() == 4  # Техподдержка's specialists
    queued_before = dialog.summary.text()
    # live: a user writes, nobody takes new ones — the queue grows on the monitor
    nobody_takes_new_tickets(live_server.url)
    user = next(
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    )
    Api(live_server.url).login(user["login"]).post_message(user["chat_id"], "Жду ответа")
    qtbot.waitUntil(lambda: dialog.summary.text() != queued_before, timeout=15_000)
    dialog.close()


def test_busy_for_new_tickets_shows_the_line_s_queue(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    from app.core.domain import Status
    from tests.window.conftest import run_async

    w = shown.window
    line_id = shown.pick_line()
    label = w.monitor.queue_label
    assert label.isHidden()
    nobody_takes_new_tickets(live_server.url)  # demo included: the window hears it
    qtbot.waitUntil(lambda: label.isVisible() and label.text() != "", timeout=15_000)
    queued = shown.api.call("GET", f"/lines/{line_id}/load")["queued"]
    assert label.text().endswith(f": {queued}")
    # a user writes: the queue grows, the bar follows
    user = next(
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    )
    Api(live_server.url).login(user["login"]).post_message(user["chat_id"], "Ждём")
    qtbot.waitUntil(lambda: label.text().endswith(f": {queued + 1}"), timeout=15_000)
    run_async(qtbot, shown.wp.set_status(Status.FREE))
    qtbot.waitUntil(label.isHidden, timeout=15_000)


def test_to_the_vendor_s_second_line_and_back(shown: Shown, qtbot: Any, live_server: Any) -> None:
    w = shown.window
    line_id = shown.pick_line("1С:Вендор — вторая линия")  # demo first line, s.orlov second
    user = [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ][-1]
    nobody_takes_new_tickets(live_server.url)
    orlov = Api(live_server.url).login("s.orlov")
    orlov.call("PUT", "/me/status", {"status": "free"})
    shown.open_user(user["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    transfer = w.commands[MainAction.TRANSFER_TICKET]
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)

    # the first row hands it to the second line; the vendor's specialist is marked so
    dialog = open_transfer(qtbot, w)
    people = dialog.people
    first = people.item(0).text()
    assert first in ("To the second line (vendor)", "На вторую линию (вендору)"), first
    marked = [people.item(r).text() for r in range(1, people.count())]
    assert any("Орлов" in t and ("second line" in t or "вторая линия" in t) for t in marked)
    people.setFocus()
    qtbot.keyClick(people, Qt.Key.Key_Home)
    assert dialog.target() == (None, Tier.SECOND, None) and dialog.ok.isEnabled()
    dialog.note.setPlainText("Ошибка платформы")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    # routed within the second line: its Free specialist holds it, the chat says where
    qtbot.waitUntil(lambda: "Орлов С. В." in w.tickets.label.text(), timeout=15_000)
    said = ("second line (vendor)", "вторую линию (вендору)")
    qtbot.waitUntil(lambda: any(s in last_step(w) for s in said), timeout=15_000)
    assert "Ошибка платформы" in last_step(w)
    assert not transfer.isEnabled()
    # the vendor hands it back: nobody Free at the first line, it waits there, said so
    ticket = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")["open_ticket"]["id"]
    orlov.call("POST", f"/tickets/{ticket}/transfer", {"tier": "first"})
    back = ("back to the first line", "обратно на первую линию")
    qtbot.waitUntil(lambda: any(s in last_step(w) for s in back), timeout=15_000)


def test_a_comment_on_the_ticket_set_edited_and_a_colleague_s(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ][-6]
    shown.open_user(user["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    command = w.commands[MainAction.COMMENT_TICKET]
    qtbot.waitUntil(command.isEnabled, timeout=15_000)
    said = ("commented on the ticket", "комментарий к обращению")

    def comment(text: str, before: str, by_key: bool = False) -> None:
        if by_key:  # Ctrl+Shift+C in the message field
            w.activateWindow()
            w.composer.setFocus()
            modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            qtbot.keyClick(w.composer, Qt.Key.Key_C, modifiers)
        else:  # the user's context menu
            menu = right_click(qtbot, w, user["id"])
            assert command in menu.actions()
            where = menu.actionGeometry(command).center()
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=where)
        qtbot.waitUntil(lambda: w.tickets.comment_dialog is not None, timeout=5_000)
        dialog = w.tickets.comment_dialog
        assert dialog.editor.toPlainText() == before and not dialog.save.isEnabled()
        dialog.editor.selectAll()
        dialog.editor.insertPlainText(text)  # typed (QTest cannot click Cyrillic keys)
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: any(s in last_step(w) for s in said) and text in last_step(w),
            timeout=15_000,
        )

    comment("Перезвонить после 15:00", "", by_key=True)
    comment("Перезвонили, ждём выгрузку", "Перезвонить после 15:00")  # edited
    # a colleague's comment arrives live; the next edit starts from it
    ticket = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")["open_ticket"]["id"]
    colleague = Api(live_server.url).login("s.orlov")  # serves this line too
    colleague.call("PUT", f"/tickets/{ticket}/comment", {"text": "Выгрузку проверила"})
    qtbot.waitUntil(lambda: "Выгрузку проверила" in last_step(w), timeout=15_000)
    comment("Всё готово", "Выгрузку проверила")


def test_the_guard_s_minutes_are_the_line_s_own(shown: Shown, qtbot: Any, live_server: Any) -> None:
    from sqlalchemy import create_engine, insert, select

    from server.core.models import Line
    from server.tickets.models import LineSettings

    w = shown.window
    shown.pick_line("Бухгалтерия 1С")
    qtbot.waitUntil(lambda: (HOLDERS.amber, HOLDERS.red) == (3, 5), timeout=15_000)
    engine = create_engine(live_server.db_url)  # the administrator's setting
    try:
        with engine.begin() as db:
            tech = db.scalar(select(Line.id).where(Line.name == "Техподдержка"))
            db.execute(
                insert(LineSettings).values(
                    line_id=tech, guard_amber_minutes=1, guard_red_minutes=2
                )
            )
    finally:
        engine.dispose()
    line_id = shown.pick_line()  # Техподдержка
    qtbot.waitUntil(lambda: (HOLDERS.amber, HOLDERS.red) == (1, 2), timeout=15_000)
    user = [
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    ][-7]
    Api(live_server.url).login(user["login"]).post_message(user["chat_id"], "Жду ответа")
    shown.open_user(user["id"])
    unanswered = ("unanswered", "без ответа")  # the message is here: the user waits
    qtbot.waitUntil(
        lambda: any(s in row_ticket_text(w, user["id"]) for s in unanswered), timeout=15_000
    )
    try:
        for seconds, level in ((30, 0), (90, 1), (150, 2)):
            HOLDERS.clock = lambda s=seconds: datetime.now(UTC) + timedelta(seconds=s)
            w.tickets.refresh()  # what its 30-second timer does
            assert w.tickets.label.property("guard") == level
            assert row_level(w, user["id"]) == level
    finally:
        HOLDERS.clock = lambda: datetime.now(UTC)


def test_without_an_open_ticket_nobody_waits(shown: Shown, qtbot: Any) -> None:
    """A user whose last word is theirs but who has no open ticket (a "thank you" after a
    finished ticket, old history) shows no "unanswered" and no guard colour: a red that
    stays for days would drown the five-minute red of those who do wait."""
    w = shown.window
    line_id = shown.pick_line()
    quiet = [
        u
        for u in shown.server_order(line_id)
        if u["open_ticket"] is None
        and not u["colleague"]
        and (u["last_message"] or {}).get("author_kind") == "client"
    ]
    assert quiet, "the demo has users whose last word, long ago, is theirs"
    for user in quiet[:5]:
        qtbot.waitUntil(lambda u=user: row_level(w, u["id"]) != -1, timeout=15_000)
        assert row_level(w, user["id"]) == 0
        text = row_ticket_text(w, user["id"])
        assert "unanswered" not in text and "без ответа" not in text, text


def test_to_another_line_the_user_is_on(shown: Shown, qtbot: Any, live_server: Any) -> None:
    """The dialog offers the serving company's other lines the user is connected to (seed
    001: a transfer to another line of the serving company); chosen, the ticket is routed
    there with the note and leaves this line's row."""
    w = shown.window
    other = shown.pick_line("Бухгалтерия 1С")  # streaming: not every user is listed
    other_ids = {u["id"] for u in shown.server_order(other)}
    line_id = shown.pick_line()  # Техподдержка: every user listed
    user = next(
        u
        for u in reversed(shown.server_order(line_id))
        if u["id"] in other_ids and not u["colleague"] and u["open_ticket"] is None
    )
    nobody_takes_new_tickets(live_server.url)
    shown.open_user(user["id"])
    qtbot.waitUntil(w.start_button.isVisible, timeout=15_000)
    qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    transfer = w.commands[MainAction.TRANSFER_TICKET]
    qtbot.waitUntil(transfer.isEnabled, timeout=15_000)
    card = lambda: w.tickets._card  # noqa: E731  (the open user's card, with their lines)
    qtbot.waitUntil(lambda: card() is not None and card().row.id == user["id"], timeout=15_000)

    dialog = open_transfer(qtbot, w)
    people = dialog.people
    rows = [people.item(r).text() for r in range(people.count())]
    said = ("To the line “\u2068Бухгалтерия 1С\u2069”", "На линию «\u2068Бухгалтерия 1С\u2069»")
    lines = [r for r in rows if r in said]  # the line's name isolated in our words
    assert lines, rows
    people.setCurrentRow(rows.index(lines[0]))
    assert dialog.target() == (None, None, other) and dialog.ok.isEnabled()
    dialog.note.setPlainText("Вопрос по обмену")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown.wp.users.get(user["id"]).open_ticket is None, timeout=15_000)
    there = shown.api.call("GET", f"/lines/{other}/users/{user['id']}")["open_ticket"]
    assert there is not None and there["specialist_id"] is None  # queued there
