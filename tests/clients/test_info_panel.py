"""The info panel through the real window against the real server (seed 001_…): contacts,
each copyable, the phone into the dialer; the company with every INN and its responsible
specialists (status, a click opens their chat); support parameters with what ends within
30 days in amber; shared groups; the user's region and local time, ticking, with the note
outside 9–18; sections that collapse and are remembered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

from app.core.domain import ConnectionState
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.common.text import preview_line
from ui.mainwindow.window import MainWindow
from ui.side.section import AMBER

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]

LINE = "Бухгалтерия 1С"


class Panel:
    def __init__(self, qtbot: Any, window: MainWindow, wp: Any, api: Api) -> None:
        self.qtbot, self.window, self.wp, self.api = qtbot, window, wp, api
        self.line_id = 0

    def pick_line(self, name: str = LINE) -> int:
        w = self.window
        self.qtbot.waitUntil(lambda: w.line_combo.findText(name) >= 0, timeout=15_000)
        pos = w.line_combo.findText(name)
        line_id = int(w.line_combo.itemData(pos))
        if self.wp.current_line_id != line_id:
            w.line_combo.setCurrentIndex(pos)
            w.line_combo.activated.emit(pos)
        self.qtbot.waitUntil(
            lambda: self.wp.users.line_id == line_id and w.users_model.rowCount() > 0,
            timeout=15_000,
        )
        self.line_id = line_id
        return line_id

    def cards(self) -> Iterator[dict[str, Any]]:
        users = self.api.call("GET", f"/lines/{self.line_id}/users?limit=500")["items"]
        for u in users:
            yield self.api.call("GET", f"/lines/{self.line_id}/users/{u['id']}")

    def open(self, user_id: int) -> None:
        """As the specialist does: search for them, choose the row."""
        w = self.window
        card = self.api.call("GET", f"/lines/{self.line_id}/users/{user_id}")
        w.search.setFocus()
        w.search.clear()
        w.search.insert(card["login"])
        self.qtbot.waitUntil(lambda: w.users_model.position(user_id) >= 0, timeout=10_000)
        w.users_view.setCurrentIndex(w.users_model.index(w.users_model.position(user_id), 0))
        panel = w.info_panel
        self.qtbot.waitUntil(
            lambda: (
                panel.values["login"].text() == card["login"]
                and panel.sections["region"].isVisibleTo(panel)
            ),
            timeout=10_000,
        )

    def section(self, key: str) -> Any:
        return self.window.info_panel.sections[key]


@pytest.fixture
def panel(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Panel]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        p = Panel(qtbot, window, wp, Api(live_server.url).login("demo"))
        p.pick_line()
        yield p


def test_contacts_are_copied_and_the_phone_goes_to_the_dialer(panel: Panel, qtbot: Any) -> None:
    card = next(c for c in panel.cards() if c["phone"] and c["email"] and c["position"])
    panel.open(card["id"])
    values = panel.window.info_panel.values
    assert values["email"].text() == card["email"]
    assert values["position"].text() == card["position"]
    assert values["phone"].text() == card["phone"]
    assert all(v.textFormat() is Qt.TextFormat.PlainText for v in values.values())
    contacts = panel.section("contacts")
    QGuiApplication.clipboard().clear()
    button = contacts.fields.copy_buttons["email"]
    # a drawn icon, not a symbol the desktop's font may lack (DejaVu has no "⧉")
    assert button.text() == "" and not button.icon().isNull()
    qtbot.mouseClick(contacts.fields.copy_buttons["email"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == card["email"]
    qtbot.mouseClick(contacts.fields.copy_buttons["login"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == card["login"]
    # the value's context menu copies too
    (copy,) = values["birth_date"].actions()
    copy.trigger()
    born = date.fromisoformat(card["birth_date"])
    assert QGuiApplication.clipboard().text() == f"{born:%d.%m.%Y}"
    # a click on the phone: the number is in the dialer (no PBX here: it says so too)
    with qtbot.waitSignal(panel.window.desk.sig_dial, timeout=5_000) as dialled:
        qtbot.mouseClick(values["phone"], Qt.MouseButton.LeftButton)
    assert dialled.args == [card["phone"]]
    calls = panel.window.calls
    qtbot.waitUntil(lambda: calls.dialer is not None and calls.dialer.isVisible())
    assert calls.dialer is not None
    assert calls.dialer.number.text() == card["phone"]
    calls.dialer.close()


def test_company_inns_and_responsible_specialists_open_their_chat(panel: Panel, qtbot: Any) -> None:
    card = next(
        c
        for c in panel.cards()
        if c["company"] and any(p["user_id"] for p in c["company"]["responsible"])
    )
    panel.open(card["id"])
    company = panel.section("company")
    assert company.fields.values["company"].text() == card["company"]["name"]
    assert company.fields.values["inn"].text() == ", ".join(card["company"]["inns"])
    view = company.responsible_view
    assert view.isVisibleTo(panel.window)
    people = card["company"]["responsible"]
    rows = range(view.model().rowCount())
    shown = [view.model().index(r, 0).data().replace("\u00a0", " ") for r in rows]  # no-break
    assert len(shown) == len(people)
    statuses = {"free": "Free", "away": "Away", "busy_new": "Busy", "dnd": "Do not disturb"}
    tips = [view.model().index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(len(people))]
    for text, tip, person in zip(shown, tips, people, strict=True):
        # «Кузнецов Д. А. · Busy»: the status fits the panel; the full name is in the tooltip
        surname, *given = person["full_name"].split()
        assert f"{surname} {' '.join(g[0] + '.' for g in given)}" in text
        assert statuses[person["status"]] in text
        assert person["full_name"] in tip
    row = next(i for i, p in enumerate(people) if p["user_id"])
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    target = people[row]["user_id"]
    qtbot.waitUntil(lambda: panel.window.chat_model.user_id == target, timeout=10_000)
    qtbot.waitUntil(lambda: panel.window.info_panel.values["login"].text() != card["login"])


def test_what_ends_within_30_days_is_amber(panel: Panel, qtbot: Any) -> None:
    today = date.today()

    def soon(value: str | None) -> bool:
        return value is not None and 0 <= (date.fromisoformat(value) - today).days <= 30

    cards = list(panel.cards())
    its = next(
        c for c in cards if c["company"] and any(soon(p["expires"]) for p in c["company"]["params"])
    )
    panel.open(its["id"])
    texts, amber = support_rows(panel)
    for param in its["company"]["params"]:
        shown = f"{preview_line(param['tag'])}: {preview_line(param['value'])}"
        assert any(t.startswith(shown) for t in texts)
    assert any(t.startswith(preview_line("Договор 1С:ИТС")[:-1]) and "Ends on" in t for t in amber)
    assert not any("Тариф" in t for t in amber)  # a parameter with no end
    access = next(c for c in cards if soon(c["access_until"]))
    panel.open(access["id"])
    texts, amber = support_rows(panel)
    assert any("Access to this line" in t for t in amber)


def test_support_parameters_that_wrap_are_shown_whole_at_every_width(
    panel: Panel, qtbot: Any
) -> None:
    """The list was as tall as its rows times the first row's height: rows that wrapped to
    two lines pushed the last ones out of it, with no scroll bar to reach them."""
    card = max(
        (c for c in panel.cards() if c["company"]), key=lambda c: len(c["company"]["params"])
    )
    assert len(card["company"]["params"]) >= 4
    panel.open(card["id"])
    w = panel.window
    view = panel.section("support").view
    model = view.model()

    def laid_out() -> list[Any]:
        return [view.visualRect(model.index(r, 0)) for r in range(model.rowCount())]

    def whole() -> bool:
        rects = laid_out()
        inside = all(r.top() >= 0 and r.bottom() < view.viewport().height() for r in rects)
        return bool(rects) and inside and view.height() == rects[-1].bottom() + 1

    users, middle, side = w.splitter.sizes()
    for width in (220, 420, 260):  # narrow: rows wrap; wide: the list shrinks back
        w.splitter.setSizes([users, middle + side - width, width])
        qtbot.waitUntil(lambda at=width: view.width() < at, timeout=5_000)
        qtbot.waitUntil(whole, timeout=5_000)
        if width == 220:
            heights = {r.height() for r in laid_out()}
            assert len(heights) > 1, "some rows wrap to more lines than others"


def support_rows(panel: Panel) -> tuple[list[str], list[str]]:
    """Every row of the support parameters, and the amber ones."""
    model = panel.section("support").view.model()
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    amber = QColor(AMBER)
    return [i.data() for i in rows], [
        i.data() for i in rows if i.data(Qt.ItemDataRole.ForegroundRole) == amber
    ]


def test_shared_groups_listed_and_opened(panel: Panel, qtbot: Any) -> None:
    cards = list(panel.cards())
    alone = cards[0]
    panel.open(alone["id"])
    groups = panel.section("groups")
    qtbot.waitUntil(lambda: groups.empty.isVisibleTo(panel.window))
    assert groups.empty.text() == "No shared groups"
    # a group with another user: theirs is listed, its member count with it
    user = cards[1]
    name = "<b>Закрытие года</b> \u202e"
    made = panel.api.call(
        "POST", "/groups", {"line_id": panel.line_id, "name": name, "user_ids": [user["id"]]}
    )
    panel.open(user["id"])
    qtbot.waitUntil(lambda: groups.view.isVisibleTo(panel.window), timeout=10_000)
    model = groups.view.model()
    assert model.rowCount() == 1
    text = model.index(0, 0).data()
    assert "\u202e" not in text and "[RLO]" in text  # the override is marked…
    assert "<b>Закрытие года</b>" in text and "members: 2" in text  # …and markup is text
    rect = groups.view.visualRect(model.index(0, 0))
    qtbot.mouseClick(groups.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.window.chat.other_chat_id == made["chat_id"], timeout=10_000)


def test_local_time_ticks_and_says_when_it_is_outside_working_hours(
    panel: Panel, qtbot: Any
) -> None:
    card = next(c for c in panel.cards() if c["time_zone"] == "Asia/Novosibirsk")
    panel.open(card["id"])
    region = panel.section("region")
    label = region.fields.values["local_time"]
    assert label.text().endswith("(UTC+7, Asia/Novosibirsk)")
    # 10:59 there, then 11:00: the label moves on by itself
    moment = [datetime(2026, 12, 7, 3, 59, 30, tzinfo=UTC)]
    region.now = lambda: moment[0]
    qtbot.waitUntil(lambda: label.text().startswith("10:59"), timeout=3_000)
    assert not region.note.isVisibleTo(panel.window)
    moment[0] += timedelta(seconds=40)
    qtbot.waitUntil(lambda: label.text().startswith("11:00"), timeout=3_000)
    # 19:30 there: outside 9–18
    moment[0] = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)
    qtbot.waitUntil(lambda: region.note.isVisibleTo(panel.window), timeout=3_000)
    assert "Outside working hours" in region.note.text()


def test_collapsed_sections_are_remembered(panel: Panel, qtbot: Any) -> None:
    card = next(panel.cards())
    panel.open(card["id"])
    info = panel.window.info_panel
    support, region = info.sections["support"], info.sections["region"]
    qtbot.mouseClick(support.header, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(region.header, Qt.MouseButton.LeftButton)
    assert not support.content.isVisibleTo(panel.window)
    assert panel.wp.settings.info_collapsed == ["support", "region"]
    qtbot.mouseClick(region.header, Qt.MouseButton.LeftButton)  # opened again
    assert region.content.isVisibleTo(panel.window)
    # the next start: the settings file as saved, the panel as left
    from app.store.settings import Settings
    from ui.side.info_panel import InfoPanel

    again = InfoPanel()
    qtbot.addWidget(again)
    again.remember(Settings.load(panel.wp.settings.path))
    assert again.sections["support"].collapsed
    assert not again.sections["region"].collapsed
    assert not again.sections["contacts"].collapsed


def test_a_user_whose_row_is_not_here_says_loading_until_the_card_arrives(
    panel: Panel, qtbot: Any
) -> None:
    w = panel.window
    streaming = next(line for line in panel.wp.lines if line.streaming)
    panel.pick_line(streaming.name)
    everyone = panel.api.call("GET", f"/lines/{panel.line_id}/directory")["ids"]
    absent = next(i for i in everyone if w.desk.row(i) is None)  # never painted: not held
    w.open_user(absent)  # as a notification's click does
    assert w.info_panel.name.text() == "Loading…"  # not "Choose a user in the list"
    card = panel.api.call("GET", f"/lines/{panel.line_id}/users/{absent}")
    qtbot.waitUntil(lambda: card["full_name"] in w.info_panel.name.text(), timeout=10_000)
