"""Names from people in the window's one-line places, against the real server: a user's
name with newlines, a company's with a direction override, painted by the real list
delegate and the chat's bubble header — one line each, the override shown as a mark, the
company filter's tooltip characters, not markup (a read-only review found each)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QStyleOptionViewItem

from app.core.domain import ConnectionState
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.common.roles import MESSAGE_ROLE, ROW_ROLE

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
LINE = "Техподдержка"
RLO = "\u202e"
THREE_LINES = "Первая строка\nВторая строка\nТретья строка"


class Recorder(QPainter):
    """A painter that keeps what the delegate writes: (the rectangle, its flags, the text)."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[tuple[QRect, int, str]] = []

    def drawText(self, *args: Any) -> Any:
        if len(args) == 3 and isinstance(args[2], str):
            box = args[0].toRect() if isinstance(args[0], QRectF) else QRect(args[0])
            self.texts.append((box, int(args[1]), args[2]))
        return super().drawText(*args)


def _db(live_server: Any) -> sqlite3.Connection:
    return sqlite3.connect(live_server.db_url.removeprefix("sqlite:///"))


@pytest.fixture
def hostile(live_server: Any) -> dict[str, int]:
    """Before sign-in, as an administrator might have typed them: two users of the line."""
    db = _db(live_server)
    with db:
        (a, company), (b, _) = db.execute(
            "SELECT cu.id, cu.company_id FROM client_users cu"
            " JOIN line_users lu ON lu.user_id = cu.id JOIN lines l ON l.id = lu.line_id"
            " WHERE l.name = ? AND cu.specialist_id IS NULL ORDER BY cu.id LIMIT 2",
            (LINE,),
        ).fetchall()
        db.execute("UPDATE client_users SET full_name = ? WHERE id = ?", (THREE_LINES, a))
        db.execute("UPDATE client_users SET full_name = ? WHERE id = ?", (f"Петров {RLO}анна", b))
        db.execute(
            "UPDATE companies SET name = ? WHERE id = ?", (f"ООО {RLO}Ромашка\nстрока 2", company)
        )
    db.close()
    return {"a": a, "b": b, "company": company}


@pytest.fixture
def shown(qtbot: Any, live_server: Any, make_workplace: Any, hostile: Any) -> Iterator[Any]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as w:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(lambda: w.connection.state is ConnectionState.CONNECTED, timeout=15_000)
        qtbot.waitUntil(lambda: w.line_combo.findText(LINE) >= 0, timeout=15_000)
        pos = w.line_combo.findText(LINE)
        w.line_combo.setCurrentIndex(pos)
        w.line_combo.activated.emit(pos)
        line_id = int(w.line_combo.itemData(pos))
        qtbot.waitUntil(
            lambda: (
                wp.users.line_id == line_id
                and w.users_model.position(hostile["a"]) >= 0
                and w.users_model.position(hostile["b"]) >= 0
            ),
            timeout=15_000,
        )
        yield w, wp


def _painted(w: Any, user_id: int) -> list[tuple[QRect, int, str]]:
    model, view = w.users_model, w.users_view
    index = model.index(model.position(user_id), 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 320, view.itemDelegate().sizeHint(option, index).height())
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    view.itemDelegate().paint(painter, option, index)
    painter.end()
    return painter.texts


def _fits(w: Any, drawn: list[tuple[QRect, int, str]]) -> None:
    for box, flags, text in drawn:
        assert "\n" not in text and RLO not in text, repr(text)
        needs = QFontMetrics(w.users_view.font()).boundingRect(box, flags, text).height()
        assert needs <= box.height() + 2, (text, needs, box)


def test_a_name_and_a_company_are_one_line_in_the_list_with_the_override_shown(
    shown: Any, hostile: dict[str, int]
) -> None:
    w, _wp = shown
    drawn = _painted(w, hostile["a"])
    _fits(w, drawn)
    texts = [t for _, _, t in drawn]
    assert any("Первая строка Вторая" in t for t in texts), texts  # one line, elided
    assert any("ООО [RLO]" in t for t in texts), texts  # the company: marked, not obeyed
    drawn = _painted(w, hostile["b"])
    _fits(w, drawn)
    assert any("Петров [RLO]анна" in t for _, _, t in drawn)


def test_a_name_with_newlines_is_one_line_over_its_bubble(
    shown: Any, hostile: dict[str, int], live_server: Any, qtbot: Any
) -> None:
    """The bubble's header is one line: a three-line name showed only its second."""
    w, _wp = shown
    row = w.users_model.index(w.users_model.position(hostile["a"]), 0).data(ROW_ROLE)
    client = Api(live_server.url).login(row.login)
    client.post_message(row.chat_id, "Вопрос")
    w.users_view.setCurrentIndex(w.users_model.index(w.users_model.position(hostile["a"]), 0))
    model = w.chat_model

    def asked() -> Any:
        found = (model.index(r, 0).data(MESSAGE_ROLE) for r in range(model.rowCount()))
        return next((m for m in found if m is not None and m.text == "Вопрос"), None)

    qtbot.waitUntil(lambda: asked() is not None, timeout=15_000)
    message = asked()
    header = w.chat_view.itemDelegate().header_text(message)
    assert "\n" not in header and "Первая строка Вторая строка Третья строка" in header


def test_a_company_in_the_filter_tooltip_is_characters(shown: Any, qtbot: Any) -> None:
    w, wp = shown
    markup = '<b>ООО</b> <img src=file:///etc/passwd> <a href="file:///etc">Ромашка</a>'
    controls = w.users.filter
    company = wp.users.row(wp.users.ids[0]).company
    assert company is not None
    controls._company_chosen(company.id, markup)
    qtbot.waitUntil(lambda: wp.users.filter.company_id == company.id, timeout=10_000)
    controls.refresh()
    doc = QTextDocument()
    doc.setHtml(controls.button.toolTip())
    assert markup in doc.toPlainText()
