"""The users list as a new specialist meets it, through the real window against the real
server: loading, the title, search (е = ё, highlighted, special characters), × bringing the
list back as it was, my list on a streaming line, the marks' tooltips, client users'
presence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

from app.core.domain import ConnectionState, Presence
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.common.roles import ROW_ROLE
from ui.mainwindow.actions import MainAction
from ui.mainwindow.window import MainWindow

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

LINE = "Техподдержка"  # 32 users: every user listed


class Desk:
    def __init__(self, qtbot: Any, window: MainWindow, wp: Any, api: Api, url: str) -> None:
        self.qtbot, self.window, self.wp, self.api, self.url = qtbot, window, wp, api, url

    def pick_line(self, name: str = LINE, *, wait_rows: bool = True) -> int:
        w = self.window
        self.qtbot.waitUntil(lambda: w.line_combo.findText(name) >= 0, timeout=15_000)
        pos = w.line_combo.findText(name)
        line_id = int(w.line_combo.itemData(pos))
        if self.wp.current_line_id != line_id:  # (signing in loads the first line itself)
            w.line_combo.setCurrentIndex(pos)
            w.line_combo.activated.emit(pos)
        if wait_rows:
            self.qtbot.waitUntil(
                lambda: self.wp.users.line_id == line_id and w.users_model.rowCount() > 0,
                timeout=15_000,
            )
        return line_id

    def type_search(self, text: str) -> None:
        w = self.window
        w.search.setFocus()
        w.search.clear()
        if text.isascii():
            self.qtbot.keyClicks(w.search, text)
        else:  # (QTest types ASCII only: Cyrillic goes in as an input method would put it)
            w.search.insert(text)

    def names(self) -> list[str]:
        m = self.window.users_model
        return [m.index(r, 0).data() for r in range(m.rowCount())]

    def row_of(self, user_id: int) -> Any:
        m = self.window.users_model
        return m.index(m.position(user_id), 0)

    def open_first_user(self) -> int:
        """The chat of the list's first user opened, as a click on its row does; its id."""
        w = self.window
        first: int = w.users_model.ids()[0]
        w.users_view.setCurrentIndex(self.row_of(first))
        self.qtbot.waitUntil(lambda: w.desk.user_id == first)
        return first

    def group_dialog(self) -> Any:
        """The Group command's dialog (from the chat open now), shown."""
        w = self.window
        w.commands[MainAction.GROUP].trigger()
        dialog = w.groups.dialog
        assert dialog is not None and dialog.isVisible()
        return dialog


@pytest.fixture
def desk(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Desk]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Desk(qtbot, window, wp, Api(live_server.url).login("demo"), live_server.url)


def test_title_names_the_program_once(desk: Desk) -> None:
    w = desk.window
    assert w.windowTitle() == "LineDesk — Демидова Анна Сергеевна"
    # no display name: the platform adds nothing after it (QPlatformWindow::formatWindowTitle)
    assert QGuiApplication.applicationDisplayName() in ("", QGuiApplication.applicationName())


def test_a_line_loading_says_loading_not_nobody(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    seen: list[str] = []
    label = w.users.users_empty

    def look() -> None:  # after the pane's own handler (connected first)
        if label.isVisibleTo(w):
            seen.append(label.text())

    w.users_model.modelReset.connect(look)
    qtbot.waitUntil(lambda: len(desk.wp.lines) > 1 and w.users_model.rowCount() > 0)
    other = next(ln for ln in desk.wp.lines if ln.id != desk.wp.current_line_id)
    line_id = desk.pick_line(other.name, wait_rows=False)
    look()
    assert set(seen) == {"Loading users…"}
    qtbot.waitUntil(lambda: desk.wp.users.line_id == line_id and w.users_model.rowCount() > 0)
    assert "No users on this line" not in seen
    assert not label.isVisible()


def test_search_folds_yo_highlights_and_x_brings_the_list_back(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line_id = desk.pick_line()
    before = list(w.users_model.ids())
    bar = w.users_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    kept_scroll = bar.value()
    kept_row = w.users_view.indexAt(QPoint(5, 5)).data(ROW_ROLE).id
    # «Берёзка» is a company of the demo data: «березка» finds its people
    everyone = desk.api.call("GET", f"/lines/{line_id}/users?limit=500")["items"]

    def text_of(u: dict[str, Any]) -> str:
        c = u["company"] or {"name": "", "inns": []}
        parts = [u["full_name"], u["login"], u["email"] or "", c["name"], *c["inns"]]
        return "\n".join(parts).lower().replace("ё", "е")

    berezka = {u["id"] for u in everyone if "березка" in text_of(u)}
    desk.type_search("березка")
    qtbot.waitUntil(lambda: set(w.users_model.ids()) == berezka, timeout=10_000)
    assert berezka, "the demo line has users of «Берёзка»"
    desk.type_search("БЕРЁЗКА")
    qtbot.waitUntil(lambda: set(w.users_model.ids()) == berezka, timeout=10_000)
    # a part of a name: highlighted where it is in the name
    some = next(u for u in everyone if not u["colleague"])
    part = some["full_name"].split()[0][1:4].lower()
    desk.type_search(part)
    qtbot.waitUntil(lambda: some["id"] in w.users_model.ids(), timeout=10_000)
    assert w.users.users_delegate.terms == (part.replace("ё", "е"),)
    from ui.clients.row_marks import highlight_spans

    spans = highlight_spans(some["full_name"], w.users.users_delegate.terms)
    assert spans and some["full_name"][spans[0][0] : spans[0][1]].lower() == part
    # × (the clear button does what Esc does): the list exactly as it was, where it was
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == before, timeout=10_000)
    assert bar.value() == kept_scroll
    assert w.users_view.indexAt(QPoint(5, 5)).data(ROW_ROLE).id == kept_row


@pytest.mark.parametrize("query", ['"', "%", "\\", "_", "   ", "'; --", '100%\\_"'])
def test_awkward_searches_behave(desk: Desk, qtbot: Any, query: str) -> None:
    w = desk.window
    desk.pick_line()
    everything = list(w.users_model.ids())
    desk.type_search(query)
    if not query.strip():
        qtbot.waitUntil(lambda: list(w.users_model.ids()) == everything)
        assert not w.users.users_empty.isVisible()
        return
    qtbot.waitUntil(lambda: w.users_model.rowCount() == 0, timeout=10_000)
    assert w.users.users_empty.isVisible()
    assert w.users.users_empty.text() == "Nobody found"
    assert desk.wp.connection is ConnectionState.CONNECTED  # no server failure behind it


def test_marks_tell_what_they_mean(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    desk.pick_line()
    view, delegate = w.users_view, w.users.users_delegate
    with_birthday = [
        (r, row)
        for r in range(w.users_model.rowCount())
        if (row := w.users_model.index(r, 0).data(ROW_ROLE)) is not None and row.birth_date
    ]
    assert with_birthday
    r, row = with_birthday[0]
    view.scrollTo(w.users_model.index(r, 0))
    from ui.clients.users_delegate import _layout

    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(w.users_model.index(r, 0))
    marks = _layout(delegate._fonts_for(option.font), option.rect, row)
    assert marks.birthday is not None
    spot = marks.birthday.center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, spot, view.viewport().mapToGlobal(spot))
    assert delegate.helpEvent(event, view, option, w.users_model.index(r, 0))
    tip = QToolTip.text()
    born = row.birth_date
    today = date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert born.strftime("%d.%m.%Y") in tip and str(age) in tip
    from ui.clients.row_marks import birthday_tip

    assert ("today" in birthday_tip(row, born.replace(year=today.year))) is True
    mobile = [
        row
        for r in range(w.users_model.rowCount())
        if (row := w.users_model.index(r, 0).data(ROW_ROLE)) is not None and row.mobile
    ]
    if mobile:
        row = mobile[0]
        index = desk.row_of(row.id)
        option.rect = view.visualRect(index)
        marks = _layout(delegate._fonts_for(option.font), option.rect, row)
        assert marks.mobile is not None
        spot = marks.mobile.center().toPoint()
        event = QHelpEvent(QEvent.Type.ToolTip, spot, view.viewport().mapToGlobal(spot))
        assert delegate.helpEvent(event, view, option, index)
        assert QToolTip.text() == "Signed in on a phone"


def test_client_users_show_their_presence(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    line_id = desk.pick_line()
    user = next(
        u
        for u in desk.api.call("GET", f"/lines/{line_id}/users?limit=500")["items"]
        if not u["colleague"]
    )
    shown = w.users_model.index(w.users_model.position(user["id"]), 0).data(ROW_ROLE)
    assert shown.presence is Presence.OFFLINE
    client = Api(desk.url).login(user["login"])
    with qtbot.waitSignal(w.users_model.dataChanged, timeout=10_000):
        client.call("PUT", "/me/presence", {"presence": "online"})
    qtbot.waitUntil(
        lambda: desk.row_of(user["id"]).data(ROW_ROLE).presence is Presence.ONLINE,
        timeout=10_000,
    )
    client.call("PUT", "/me/presence", {"presence": "away"})
    qtbot.waitUntil(
        lambda: desk.row_of(user["id"]).data(ROW_ROLE).presence is Presence.AWAY, timeout=10_000
    )


def test_streaming_line_says_so_and_keeps_a_found_user_on_my_list(desk: Desk, qtbot: Any) -> None:
    w = desk.window
    streaming = [ln for ln in desk.wp.lines if ln.streaming]
    assert streaming, "the demo data has a streaming line"
    line = streaming[0]
    desk.pick_line(line.name)
    qtbot.waitUntil(
        lambda: (
            desk.wp.users.line_id == line.id
            and desk.wp.users.complete
            and len(desk.wp.users) == line.user_count
        ),
        timeout=30_000,
    )
    users = desk.wp.users
    qtbot.waitUntil(w.users.streaming_note.isVisible, timeout=10_000)
    hidden = line.user_count - w.users_model.rowCount()
    assert hidden > 0
    assert str(hidden) in w.users.streaming_note.text()
    assert "60" in w.users.streaming_note.text()
    # a user the list leaves out, found by login
    shown = set(w.users_model.ids())
    everyone = desk.api.call("GET", f"/lines/{line.id}/directory")
    absent = next(i for i in everyone["ids"] if i not in shown)
    login = desk.api.call("GET", f"/lines/{line.id}/rows?ids={absent}")["items"][0]["login"]
    desk.type_search(login)
    qtbot.waitUntil(lambda: absent in w.users_model.ids(), timeout=10_000)
    index = desk.row_of(absent)
    w.users_view.setCurrentIndex(index)
    qtbot.waitUntil(lambda: w.desk.user_id == absent)
    # the context menu offers it (with every command for the user and the copy commands)
    menu = w.users.user_menu
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "Add to my list" in texts
    assert {"Copy name", "Copy login", "Copy phone"} <= set(texts)
    for command in w.commands.for_user():
        assert command in menu.actions()
    add = w.commands[MainAction.ADD_TO_MY_LIST]
    qtbot.waitUntil(add.isEnabled)
    add.trigger()
    qtbot.waitUntil(
        lambda: desk.api.call("GET", f"/lines/{line.id}/my-list")["ids"] == [absent],
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: absent in desk.wp.users.pinned, timeout=10_000)
    assert desk.wp.users is users
    # copy login (the menu opened again, as a person does): the clipboard has it. The login
    # comes with the user's row or card; on a loaded machine the card may still be on its
    # way when the menu opens — the command is enabled when it arrives (never a dead click)
    menu.aboutToShow.emit()
    copy_login = next(a for a in menu.actions() if a.objectName() == "copyLoginAction")
    qtbot.waitUntil(copy_login.isEnabled, timeout=10_000)
    copy_login.trigger()
    assert QGuiApplication.clipboard().text() == login
    # × : the list as before, and the user I added is in it
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: absent in w.users_model.ids(), timeout=10_000)
    assert shown <= set(w.users_model.ids())
    assert str(hidden - 1) in w.users.streaming_note.text()
    # taken off again: gone from the list after the server said so
    w.users_view.setCurrentIndex(desk.row_of(absent))
    menu.aboutToShow.emit()
    assert add.text() == "Remove from my list"
    add.trigger()
    qtbot.waitUntil(lambda: absent not in w.users_model.ids(), timeout=10_000)
    assert desk.api.call("GET", f"/lines/{line.id}/my-list")["ids"] == []
