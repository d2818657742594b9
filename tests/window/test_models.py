"""Models, delegates and text safety, without a server (qtmodeltester on every model)."""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from app.core.domain import (
    Author,
    CompanyRef,
    ConnectionState,
    Delivery,
    LastMessage,
    Message,
    OpenTicket,
    Status,
    UserRow,
)
from app.core.problems import ProblemCode
from tests.window.conftest import WINDOW_MARKS
from ui.chat.composer import Composer
from ui.chat.model import ChatModel
from ui.chat.view import ChatView
from ui.clients.users_delegate import UsersDelegate
from ui.clients.users_model import UsersModel
from ui.common import roles
from ui.common.problem_texts import TEXTS
from ui.common.roles import DISPLAY_ROLE, MESSAGE_ROLE, ROW_ROLE, USER_ID_ROLE
from ui.common.text import find_links, isolated, plain_document
from ui.mainwindow.parts import ConnectionIndicator

pytestmark = WINDOW_MARKS

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_roles_are_qts_own_values() -> None:
    """ui.common.roles spells Qt's roles as numbers (not to build `Qt` before the first paint)."""
    assert Qt.ItemDataRole.DisplayRole.value == roles.DISPLAY_ROLE
    assert Qt.ItemDataRole.ToolTipRole.value == roles.TOOLTIP_ROLE
    assert Qt.ItemDataRole.AccessibleTextRole.value == roles.ACCESSIBLE_ROLE
    assert Qt.ItemDataRole.UserRole.value < roles.ROW_ROLE


def row(i: int, **kw: object) -> UserRow:
    base: dict[str, object] = dict(
        id=i,
        chat_id=100 + i,
        full_name=f"Иванов Иван {i}",
        login=f"i.ivanov{i}",
        email=f"i{i}@example.ru",
        position="Бухгалтер",
        company=CompanyRef(1, "ООО Ромашка", ("7701234567",)),
        colleague=False,
        status=None,
        avatar_url=None,
        birth_date=None,
        mobile=False,
        last_message=None,
        unread=0,
        open_ticket=None,
    )
    base.update(kw)
    return UserRow(**base)  # type: ignore[arg-type]


class Rows:
    def __init__(self, n: int) -> None:
        self.rows = {i: row(i) for i in range(n)}

    def row(self, user_id: int) -> UserRow:
        return self.rows[user_id]


def msg(i: int, text: str = "", kind: str = "client", **kw: object) -> Message:
    return Message(
        id=i,
        chat_id=1,
        client_msg_id=f"c{i}",
        author=Author(
            7 if kind == "specialist" else 50, kind, "Анна" if kind != "client" else "Пётр"
        ),
        text=text or f"сообщение {i}",
        created_at=NOW + timedelta(minutes=i),
        **kw,  # type: ignore[arg-type]
    )


def test_users_model_passes_the_model_tester(qtmodeltester) -> None:
    model = UsersModel(Rows(30))
    model.reset(list(range(20)))
    qtmodeltester.check(model)
    model.move(5, 5, 0)
    model.insert(25, 3)
    qtmodeltester.check(model)


def test_users_model_reports_precisely(qtbot) -> None:
    source = Rows(10)
    model = UsersModel(source)
    model.reset(list(range(10)))
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsMoved, timeout=1000) as moved:
            model.move(7, 7, 0)
        assert moved.args[1:] == [7, 7, QModelIndex(), 0][:2] + moved.args[3:]  # rows 7..7
        assert model.ids()[:2] == (7, 0)
        with qtbot.waitSignal(model.rowsMoved, timeout=1000):
            model.move(0, 1, 9)  # downwards too
        assert model.ids()[-1] == 0
        source.rows[3] = row(3, unread=4)
        with qtbot.waitSignal(model.dataChanged, timeout=1000) as changed:
            model.changed(3)
        assert ROW_ROLE in changed.args[2]
        with qtbot.waitSignal(model.rowsInserted, timeout=1000):
            source.rows[42] = row(42)
            model.insert(42, 0)
    idx = model.index(0, 0)
    assert idx.data(USER_ID_ROLE) == 42
    assert idx.data(DISPLAY_ROLE) == "Иванов Иван 42"


def test_chat_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ChatModel()
    model.open(1, 1, [msg(i) for i in range(10, 20)], True)
    qtmodeltester.check(model)
    model.prepend([msg(i) for i in range(5, 10)], False)
    model.add(msg(30, kind="specialist"))
    model.update(msg(30, kind="specialist", delivery=Delivery.FAILED))
    qtmodeltester.check(model)
    assert model.rowCount() == 16
    assert model.index(0, 0).data(MESSAGE_ROLE).id == 5
    assert model.oldest_id() == 5


def _line(minute: float, n: int) -> Message:
    """A ticket's system line at this minute (as ui/tickets/steps.py makes them)."""
    return Message(
        id=None,
        chat_id=1,
        client_msg_id=f"step:{n}",
        author=Author(0, "specialist", ""),
        text=f"шаг {n}",
        created_at=NOW + timedelta(minutes=minute),
    )


def test_chat_model_keeps_system_lines_across_pages(qtmodeltester) -> None:
    """Each line shown once, in time order, while the page shown covers its time: older
    history on the server hides the lines before the oldest message, newer pages (a jump)
    those after the newest; a jump's reload keeps them."""
    model = ChatModel()
    model.open(1, 1, [msg(i) for i in range(10, 20)], True)
    for n, minute in enumerate((2.5, 12.5, 19.5, 25)):
        model.insert_step(_line(minute, n))
    keys = lambda: [model.message_at(r).client_msg_id for r in range(model.rowCount())]  # noqa: E731
    assert "step:0" not in keys() and keys().index("step:1") == keys().index("c12") + 1
    assert keys()[-1] == "step:3"
    model.prepend([msg(i) for i in range(0, 10)], False)
    assert keys().index("step:0") == keys().index("c2") + 1 and keys().count("step:0") == 1
    model.show_around([msg(i) for i in range(11, 16)], True, True, "c13")  # a jump
    assert keys() == ["c11", "c12", "step:1", "c13", "c14", "c15"]
    model.append_page([msg(i) for i in range(16, 20)], False)
    assert keys()[-3:] == ["c19", "step:2", "step:3"]
    assert len(keys()) == len(set(keys()))
    qtmodeltester.check(model)
    # nothing sent shown (only the outbox): an added page brings no second copy
    model.clear()
    model.open(1, 1, [dataclasses.replace(msg(0, kind="specialist"), id=None)], False)
    model.insert_step(_line(-5, 9))
    model.prepend([], False)
    assert keys().count("step:9") == 1


def test_unset_role_does_not_leak_none_refcount() -> None:
    """STYLE.md 6: PySide6 6.12.0 on 3.11 crashes (none_dealloc) on this pattern."""
    users = UsersModel(Rows(3))
    users.reset([0, 1, 2])
    chat = ChatModel()
    chat.open(1, 1, [msg(1)], False)
    unset = int(Qt.ItemDataRole.UserRole.value) + 99
    for model in (users, chat):
        index = model.index(0, 0)
        for _ in range(100):  # warm up
            index.data(unset)
        before = sys.getrefcount(None)
        for _ in range(20_000):
            assert index.data(unset) is None
        after = sys.getrefcount(None)
        assert abs(after - before) < 100, (before, after)


def test_markup_is_plain_text_and_only_https_mailto_link() -> None:
    text = (
        "<img src=file:///etc/passwd> <b>x</b> https://example.ru/a?b=1, mailto:a@b.ru "
        "file:///etc http://x.ru javascript:alert(1)"
    )
    doc = plain_document(text)
    assert doc.toPlainText() == text
    assert "<img" not in doc.toHtml().replace("&lt;img", "")
    urls = [u for _s, _e, u in find_links(text)]
    assert urls == ["https://example.ru/a?b=1", "mailto:a@b.ru"]


def shown_as_tooltip(tip: str) -> str:
    """What a tooltip shows: Qt renders it as HTML when it guesses rich text."""
    doc = QTextDocument()
    if QtGui.Qt.mightBeRichText(tip):  # type: ignore[attr-defined]
        doc.setHtml(tip)
    else:
        doc.setPlainText(tip)
    return doc.toPlainText()


def test_server_text_in_tooltips_is_shown_as_characters(qtbot) -> None:
    evil = "<img src=file:///etc/passwd>"
    source = Rows(1)
    source.rows[0] = row(0, full_name=evil, company=CompanyRef(1, "<b>ООО</b>", ()))
    model = UsersModel(source)
    model.reset([0])
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    lines = [evil, "Бухгалтер", "<b>ООО</b>"]
    # each line the model's (people's text: marked, isolated), then the tooltip's own isolate
    assert shown_as_tooltip(tip).splitlines() == ["\u2068" + isolated(t) + "\u2069" for t in lines]
    indicator = ConnectionIndicator()
    qtbot.addWidget(indicator)
    indicator.show_state(ConnectionState.OFFLINE, evil, None)
    said = shown_as_tooltip(indicator.toolTip()).splitlines()
    assert said[0] == isolated(evil)  # then the click hint


def test_problem_texts_match_the_core() -> None:
    """Every code the core can say has its words, written once, as short sentences."""
    assert set(TEXTS) == set(ProblemCode)
    texts = list(TEXTS.values())
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert (text[0].isupper() and text.rstrip("…").endswith((".", "…"))) or text.endswith("…")


def test_delegates_paint_every_state(qtbot) -> None:
    """Paint rows and bubbles of every kind into an image: nothing raises, heights are sane."""
    view = QListView()
    qtbot.addWidget(view)
    source = Rows(4)
    source.rows[0] = row(
        0,
        last_message=LastMessage(1, "Здравствуйте!\nВторая строка", NOW, "client"),
        unread=3,
        open_ticket=OpenTicket(1, 7),
        birth_date=date.today().replace(year=1990),
        mobile=True,
    )
    source.rows[1] = row(1, colleague=True, status=Status.DND, position="Инженер")
    model = UsersModel(source)
    model.reset([0, 1, 2, 3])
    view.setModel(model)
    delegate = UsersDelegate(view)
    delegate.my_id = 7
    view.setItemDelegate(delegate)
    view.resize(320, 400)
    image = QImage(320, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    for r in range(4):
        opt = QStyleOptionViewItem()
        opt.initFrom(view)
        opt.rect = view.visualRect(model.index(r, 0))
        opt.widget = view
        delegate.paint(painter, opt, model.index(r, 0))
        assert delegate.sizeHint(opt, model.index(r, 0)).height() >= 56
    painter.end()

    chat = ChatModel()
    chat.open(1, 1, [msg(1, "<b>жирный?</b> https://example.ru"), msg(2, kind="specialist")], False)
    chat.add(msg(3, kind="specialist", delivery=Delivery.SENDING))
    chat.add(msg(4, kind="specialist", delivery=Delivery.FAILED))
    chat_view = ChatView(chat)
    qtbot.addWidget(chat_view)
    chat_view.resize(500, 600)
    chat_view.show()
    qtbot.waitExposed(chat_view)
    chat_view.grab()
    assert chat_view.chat_delegate.footer_text(chat.message_at(3)).startswith("Not delivered")
    # clicking the failed bubble asks for a retry
    rect = chat_view.visualRect(chat.index(3, 0))
    with qtbot.waitSignal(chat_view.sig_retry, timeout=1000) as retry:
        qtbot.mouseClick(
            chat_view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(rect.right() - 30, rect.center().y()),
        )
    assert retry.args == ["c4"]


def test_composer_enter_sends_shift_enter_breaks(qtbot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.insertPlainText("первая")  # QTest types ASCII only
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    composer.insertPlainText("вторая")
    with qtbot.waitSignal(composer.sig_send, timeout=1000) as sent:
        qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent.args == ["первая\nвторая"]
    assert composer.toPlainText() == ""


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_language_choice(lang: str, monkeypatch) -> None:
    from ui.common import i18n

    monkeypatch.setenv("LINEDESK_LANG", lang)
    assert i18n.choose_language() == lang


def test_too_long_text_stays_in_the_composer(qtbot: object) -> None:
    from ui.chat.composer import MAX_CHARS

    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.sig_send.connect(sent.append)
    text = "я" * (MAX_CHARS + 1)
    composer.setPlainText(text)
    with qtbot.waitSignal(composer.sig_too_long) as blocker:
        qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert blocker.args == [MAX_CHARS + 1]
    assert sent == [] and composer.toPlainText() == text
    composer.setPlainText("я" * MAX_CHARS)
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == ["я" * MAX_CHARS] and composer.toPlainText() == ""


def test_invisible_text_is_not_sent(qtbot: object) -> None:
    """Zero-width spaces, direction marks and spaces alone would be an empty bubble: Enter
    sends nothing and leaves them (the server refuses such a text too)."""
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.sig_send.connect(sent.append)
    for text in ("   ", "\u200b\u200b\u200b", " \u200f\u2800\ufeff\n"):
        composer.setPlainText(text)
        qtbot.keyClick(composer, Qt.Key.Key_Return)
        assert sent == [] and composer.toPlainText() == text
    composer.setPlainText("\u200bда")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == ["\u200bда"]
