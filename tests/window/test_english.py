"""The interface in English (an English locale, or the Settings' language page): the
window's own words carry no Russian, and dates and quotation marks are written the English
way. (Data from the server — names, companies, the demo's Russian lines — stays as it is.)"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from tests.window.tour_shot import widget_texts

pytestmark = WINDOW_MARKS
CYRILLIC = re.compile("[\u0400-\u04ff«»]")


def test_english_dates_and_quotes(english: None) -> None:
    from PySide6.QtCore import QLocale, QTime

    from ui.chat.files import size_words
    from ui.common import when
    from ui.common.text import quoted

    moment = datetime(2026, 9, 28, 10, 32)
    assert when.date_text(moment.date()) == "28 Sep 2026"
    clock = QLocale().toString(QTime(10, 32), QLocale.FormatType.ShortFormat)  # 10:32 AM (US)
    assert when.date_time_text(moment) == f"28 Sep 2026 {clock}"
    assert when.day_month_text(date(2026, 12, 1)) == "1 Dec"
    assert when.short_date_text(date(2025, 12, 1)) == "1 Dec 25"
    assert quoted("Бухгалтерия 1С") == "“Бухгалтерия 1С”"
    assert size_words(1536 * 1024) == "1.5\u00a0MB"


def test_russian_dates_and_quotes(russian: None) -> None:
    from ui.chat.files import size_words
    from ui.common import when
    from ui.common.text import quoted

    moment = datetime(2026, 9, 28, 10, 32)
    assert when.date_time_text(moment) == "28.09.2026 10:32"
    assert when.day_month_text(date(2026, 12, 1)) == "01.12"
    assert when.short_date_text(date(2025, 12, 1)) == "01.12.25"
    assert quoted("Бухгалтерия 1С") == "«Бухгалтерия 1С»"
    assert size_words(1536 * 1024) == "1,5\u00a0МБ"


def chrome(window: Any) -> list[str]:
    """The window's own words: its commands, buttons, fields' hints, tips and menus (not
    labels, combo boxes or lists: those show the server's data)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QMenu

    said: list[str] = [window.tray.menu.title()]
    for a in window.findChildren(QAction):
        said += [a.text(), a.toolTip()]
    for a in window.tray.menu.actions() + window.status_menu.actions():
        said += [a.text(), a.toolTip()]
    data = {window.status_area.me_button}  # my name
    for b in window.findChildren(QAbstractButton):
        if b not in data:
            said += [b.text(), b.toolTip()]
    said += [e.placeholderText() for e in window.findChildren(QLineEdit)]
    said += [m.title() for m in window.findChildren(QMenu)]
    return [s for s in said if s]


def test_an_english_window_speaks_english(
    english: None, qtbot: Any, live_server: Any, make_workplace: Any
) -> None:
    from app.core.domain import ConnectionState
    from tests.window.test_window import Shown
    from ui.common.roles import STEP_ROLE
    from ui.mainwindow.actions import MainAction
    from ui.tickets.quick_replies import TEXT_ROLE

    wp = make_workplace("demo")
    with window_on(qtbot, wp) as w:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(lambda: w.connection.state is ConnectionState.CONNECTED, timeout=15_000)
        shown = Shown(qtbot, w, wp, Api(live_server.url).login("demo"))
        line_id = shown.pick_line()
        user = next(u for u in shown.server_order(line_id) if u.get("birth_date"))
        shown.open_user(user["id"])
        w.commands[MainAction.START_TICKET].trigger()  # a ticket's step among the messages

        def steps() -> list[str]:
            rows = (w.chat_model.index(r, 0) for r in range(w.chat_model.rowCount()))
            return [i.data(STEP_ROLE) for i in rows if i.data(STEP_ROLE)]

        qtbot.waitUntil(lambda: any(" the ticket" in s for s in steps()), timeout=15_000)
        russian = [s for s in chrome(w) if CYRILLIC.search(s)]
        assert russian == [], russian
        born = w.info_panel.values["birth_date"].text()
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", born), born
        for widget in (w.tray.menu, w.status_menu, w.menuBar()):
            russian = [s for s in widget_texts(widget) if CYRILLIC.search(s)]
            assert russian == [], russian
        # the house's quick replies in English too (the user's name filled in is theirs)
        w.commands[MainAction.QUICK_REPLY].trigger()
        qtbot.waitUntil(lambda: w.tickets.quick_palette is not None, timeout=5_000)
        items = w.tickets.quick_palette.items
        house = [items.item(r).data(TEXT_ROLE) for r in range(items.count())]
        assert len(house) >= 10 and "Hello, $name!" in house
        russian = [s for s in house if CYRILLIC.search(s)]
        assert russian == [], russian
        w.tickets.quick_palette.reject()


def test_a_problem_said_in_full_shows_no_server_words_under_it() -> None:
    """The server explains in English whatever the interface's language: under words that
    say it all its line would repeat them (or speak another language); a refusal's generic
    words keep it (what exactly the server refused). tests/window/test_problem_words.py
    drives the window."""
    from app.core.problems import ProblemCode
    from ui.common.problem_texts import problem_detail

    said = "the online monitor is for supervisors"
    assert problem_detail(ProblemCode.SUPERVISORS_ONLY, said) == ""
    assert problem_detail(ProblemCode.SERVER_ERROR, "the server failed") == ""
    assert problem_detail(ProblemCode.BAD_REQUEST, "q: too short") == "q: too short"
