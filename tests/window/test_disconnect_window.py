"""Disconnecting a user from the line in the window, against the real server (seed 004: "on a
repeated breach such users are disconnected from the support lines (ban, black list)"): the
user's context menu asks first with the reason; a dropped connection is said in words and the
reason kept for the next try; done, the row, the chat's header, the composer and the info
panel say it, the chat shows the step and the ticket is finished, the user's next message is
refused in words; «Restore to the line» lifts it; a colleague's disconnection arrives live."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.chat.xvfb import run_on_xvfb
from tests.window.conftest import WINDOW_MARKS, Api
from tests.window.test_actions import right_click, shown
from tests.window.test_ticket_flow import step_lines
from tests.window.test_window import Shown
from ui.mainwindow.actions import MainAction

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
__all__ = ["shown"]
REASON = "Повторное нарушение делового стиля после предупреждения"
REFUSED = ("The user is disconnected from this line", "Пользователь отключён от этой линии")
SAID = ("disconnected the user from the line", "отключил(а) пользователя от линии")


def row_of(shown: Shown, user_id: int) -> Any:
    return shown.wp.users.get(user_id)


def test_disconnect_from_the_line_and_restore(shown: Shown, qtbot: Any, live_server: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [
        u
        for u in shown.server_order(line_id)
        if not u["colleague"] and u["open_ticket"] is None and u["chat_id"]
    ][-5]
    client = Api(live_server.url).login(user["login"])
    client.post_message(user["chat_id"], "Да сколько можно ждать?!")
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).open_ticket is not None, timeout=15_000)
    disconnect = w.commands[MainAction.DISCONNECT_USER]
    restore = w.commands[MainAction.RESTORE_USER]
    reach = [w.commands[MainAction.CALL_USER], w.commands[MainAction.CONNECT_REMOTE]]
    qtbot.waitUntil(disconnect.isEnabled, timeout=15_000)
    assert all(c.isEnabled() for c in reach)
    assert not restore.isEnabled() and not w.composer.isReadOnly()

    def ask(reason_before: str) -> Any:
        menu = right_click(qtbot, w, user["id"])
        assert disconnect in menu.actions() and disconnect.isEnabled()
        assert restore in menu.actions() and not restore.isEnabled()
        qtbot.mouseClick(
            menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(disconnect).center()
        )
        qtbot.waitUntil(lambda: w.disconnection.dialog is not None, timeout=5_000)
        dialog = w.disconnection.dialog
        assert dialog.reason() == reason_before
        return dialog

    # the connection drops as it is asked: said in words, nothing changed, the reason kept
    api = shown.wp.api
    real, api.server_url = api.server_url, "http://127.0.0.1:9"  # nothing listens there
    try:
        dialog = ask("")
        assert not dialog.ok.isEnabled()
        dialog.editor.insertPlainText(" \u200b ")  # spaces and an invisible one: no reason
        assert not dialog.ok.isEnabled()
        dialog.editor.selectAll()
        dialog.editor.insertPlainText(REASON)  # typed (QTest cannot click Cyrillic keys)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        banner = w.chat.banner
        qtbot.waitUntil(lambda: banner.isVisible() and banner.label.text() != "", timeout=15_000)
        qtbot.waitUntil(disconnect.isEnabled, timeout=15_000)
    finally:
        api.server_url = real
    assert row_of(shown, user["id"]).disconnected is None
    # again: the reason is still there; this time it is done
    dialog = ask(REASON)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is not None, timeout=15_000)
    gone = row_of(shown, user["id"]).disconnected
    assert gone.reason == REASON and gone.by_id == shown.wp.me.id
    label = w.disconnection.label
    assert label.isVisible() and gone.by_name.split()[0] in label.text()
    assert REASON in label.toolTip()
    assert w.composer.isReadOnly() and user["full_name"] in w.composer.placeholderText()
    assert not w.chat.send_button.isEnabled() and not w.chat.attach_button.isEnabled()
    w.composer.setPlainText("Черновик ответа")  # typed before: Enter sends nothing, it stays
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    assert w.composer.toPlainText() == "Черновик ответа"
    section = w.info_panel.sections["disconnected"]
    assert section.isVisible() and REASON in section.reason.text()
    assert gone.by_name in section.who.text() and section.restore.isEnabled()
    assert restore.isEnabled() and not disconnect.isEnabled()
    for command in reach:  # the server would refuse them: they say why instead
        assert not command.isEnabled() and command.toolTip() in REFUSED, command.toolTip()
    qtbot.waitUntil(lambda: any(s in " ".join(step_lines(w)) for s in SAID), timeout=15_000)
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).open_ticket is None, timeout=15_000)
    # the user's next message: refused in words, nothing written
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.post_message(user["chat_id"], "Ау?")
    assert refused.value.code == 403
    assert "disconnected from this support line" in json.loads(refused.value.read())["detail"]
    # «Restore to the line» in the info panel: all as before
    qtbot.mouseClick(section.restore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is None, timeout=15_000)
    qtbot.waitUntil(lambda: not section.isVisible() and not label.isVisible(), timeout=5_000)
    assert not w.composer.isReadOnly() and disconnect.isEnabled() and not restore.isEnabled()
    assert w.chat.send_button.isEnabled() and w.chat.attach_button.isEnabled()
    assert all(c.isEnabled() and c.toolTip() not in REFUSED for c in reach)
    assert w.composer.toPlainText() == "Черновик ответа"  # nothing lost
    assert client.post_message(user["chat_id"], "Извините.")["text"] == "Извините."
    # a colleague of the line disconnects them: this window learns it live
    colleague = Api(live_server.url).login("s.orlov")  # serves this line too
    path = f"/lines/{line_id}/users/{user['id']}/disconnection"
    colleague.call("PUT", path, {"reason": "Грубость в чате"})
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is not None, timeout=15_000)
    qtbot.waitUntil(
        lambda: "Грубость в чате" in label.toolTip() and label.isVisible(), timeout=5_000
    )
    assert not any(c.isEnabled() for c in reach)
    restore.trigger()  # from the context menu's command
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is None, timeout=15_000)
    qtbot.waitUntil(lambda: all(c.isEnabled() for c in reach), timeout=5_000)


def test_disconnect_for_a_day_says_until_when(shown: Shown, qtbot: Any) -> None:
    """«For a day» in the dialog (seed 004: a temporary block until the cause is put right):
    the server takes the end, the header and the info panel say until when."""
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"] and u["chat_id"]][-7]
    shown.open_user(user["id"])
    disconnect = w.commands[MainAction.DISCONNECT_USER]
    qtbot.waitUntil(disconnect.isEnabled, timeout=15_000)
    disconnect.trigger()
    qtbot.waitUntil(lambda: w.disconnection.dialog is not None, timeout=5_000)
    dialog = w.disconnection.dialog
    assert dialog.how_long.currentData() is None  # until restored, unless chosen
    spans = [dialog.how_long.itemData(i) for i in range(dialog.how_long.count())]
    dialog.how_long.setCurrentIndex(spans.index(dt.timedelta(days=1)))
    dialog.editor.insertPlainText("Аномальная нагрузка от учётной записи обмена")
    asked = dt.datetime.now(dt.UTC)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is not None, timeout=15_000)
    gone = row_of(shown, user["id"]).disconnected
    assert gone.until is not None
    assert abs(gone.until - (asked + dt.timedelta(days=1))) < dt.timedelta(minutes=1)
    ends = gone.until.astimezone().strftime("%d.%m.%Y %H:%M")
    section = w.info_panel.sections["disconnected"]
    assert section.until.isVisible() and ends in section.until.text()
    assert ends in w.disconnection.label.text()
    w.commands[MainAction.RESTORE_USER].trigger()
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is None, timeout=15_000)


def test_the_account_blocked_on_my_other_line_too(shown: Shown, qtbot: Any) -> None:
    """A user on another line I serve: the dialog names it and offers it (the account blocked,
    seed 004); checked, the other line's row says it when that line is chosen."""
    w = shown.window
    line_id = shown.pick_line()
    mine = {
        int(w.line_combo.itemData(i)): w.line_combo.itemText(i) for i in range(w.line_combo.count())
    }
    user, other = next(
        (u, o)
        for u in shown.server_order(line_id)
        if not u["colleague"] and u["chat_id"] and u["disconnected"] is None
        for o in shown.api.call("GET", f"/lines/{line_id}/users/{u['id']}")["other_lines"]
        if o["id"] in mine
    )
    shown.open_user(user["id"])
    disconnect = w.commands[MainAction.DISCONNECT_USER]
    qtbot.waitUntil(disconnect.isEnabled, timeout=15_000)
    qtbot.waitUntil(  # the info panel has their card (their lines)
        lambda: (
            w.disconnection._card is not None and w.disconnection._card.card.row.id == user["id"]
        ),
        timeout=15_000,
    )
    disconnect.trigger()
    qtbot.waitUntil(lambda: w.disconnection.dialog is not None, timeout=5_000)
    dialog = w.disconnection.dialog
    assert dialog.everywhere.isVisibleTo(dialog) and not dialog.everywhere.isChecked()
    assert other["name"] in dialog.everywhere.text()
    qtbot.mouseClick(dialog.everywhere, Qt.MouseButton.LeftButton)
    assert dialog.everywhere.isChecked()
    dialog.editor.insertPlainText("Аномальная нагрузка от учётной записи обмена")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row_of(shown, user["id"]).disconnected is not None, timeout=15_000)
    there = shown.api.call("GET", f"/lines/{other['id']}/users/{user['id']}")
    assert there["disconnected"] is not None and there["disconnected"]["line_id"] == other["id"]
    shown.pick_line(mine[other["id"]])
    qtbot.waitUntil(
        lambda: (
            row_of(shown, user["id"]) is not None
            and row_of(shown, user["id"]).disconnected is not None
        ),
        timeout=15_000,
    )
    assert row_of(shown, user["id"]).disconnected.reason.startswith("Аномальная нагрузка")


def test_the_dialog_offers_other_lines_only_when_there_are(qtbot: Any) -> None:
    from ui.disconnect.dialog import DisconnectDialog

    alone = DisconnectDialog("Пётр")
    qtbot.addWidget(alone)
    assert not alone.everywhere.isVisibleTo(alone) and alone.also_lines() == []
    spoof = "Бухгалтерия\u202eанигатС"  # a line's name is shown as text, its direction kept
    both = DisconnectDialog("Пётр", also=[(2, "R&D"), (5, spoof)])
    qtbot.addWidget(both)
    assert both.everywhere.isVisibleTo(both)
    assert "R&&D" in both.everywhere.text() and "\u2068" in both.everywhere.text()
    assert both.everywhere.shortcut().isEmpty()  # "&D" is no Alt+D
    assert both.also_lines() == []
    both.everywhere.setChecked(True)
    assert both.also_lines() == [2, 5]


def test_the_list_and_the_chat_of_a_disconnected_user_look_finished(tmp_path: Path) -> None:
    """Under Xvfb (real fonts), in Russian: two users of «Техподдержка» disconnected, one open."""
    result = run_on_xvfb("tests.window.disconnect_shot", tmp_path)
    assert result["platform"] == "xcb"
    assert result["label"].startswith("Отключён от линии: \u2068Демидова А. С.\u2069")  # isolated
    assert result["read_only"] and "ответы здесь не доставляются" in result["placeholder"]
    assert result["restore"] == "Вернуть на линию"
    for name in ("disconnected-window", "disconnected-list"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0


def test_a_hostile_name_and_reason_stay_text(qtbot: Any) -> None:
    """A user's name with markup and a right-to-left override: the dialog asking before the
    disconnection shows it as characters, and the override cannot reorder the question
    around it (shown as a mark, the name isolated). The header's line and the info panel's
    section are plain labels of the same isolated words."""
    from PySide6.QtCore import Qt

    from ui.disconnect.dialog import DisconnectDialog

    name = "<b>Иванов</b> \u202eанна<img src=file:///etc/passwd>"
    dialog = DisconnectDialog(name)
    qtbot.addWidget(dialog)
    ask = dialog.findChild(type(dialog.why), "disconnectAsk")
    assert ask is not None and ask.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Иванов</b>" in ask.text() and "\u202e" not in ask.text()  # the override: a mark
    assert "\u2068" in ask.text() and "\u2069" in ask.text()  # the name isolated
