"""Long messages folded, through the real window against the real server: a client's pasted
log shows its first lines and «Show all (312 lines)»; a click (or Enter on it) unfolds it in
place and «Collapse» folds it back, the reader's place kept; the choice survives new messages
and another chat; a search's match in the folded part unfolds it; copy and quote take the
whole text; a 10 000-character line with no space, markup and direction controls stay
harmless (ui/chat/fold.py)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMenu

from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]

LOG = "\n".join(f"12:{i // 60:02d}:{i % 60:02d} ERROR [w{i % 7}] reset ({i})" for i in range(312))
WORDS = "договор счёт оплата принтер отчёт ошибка сервер обновление база пароль"
PROSE = (WORDS + " ") * 120 + "шпаргалка"  # 8 529 characters, the rare word at the end
SHOW_312 = ("Show all (312 lines)", "Показать полностью (312 строк)")
SHOW = ("Show all", "Показать полностью")
COLLAPSE = ("Collapse", "Свернуть")
HISTORY = [f"Сообщение №{i}" for i in range(30)]  # the chat scrolls before the long ones come
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _client(shown: Shown, live_server: Any, which: int = -1) -> tuple[dict[str, Any], Api]:
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][which]
    return user, Api(live_server.url).login(user["login"])


def _heard(shown: Shown, user: dict[str, Any], posted: dict[str, Any]) -> None:
    def last() -> bool:
        row = shown.wp.users.get(user["id"])
        return (
            row is not None
            and row.last_message is not None
            and (row.last_message.id == posted["id"])
        )

    shown.qtbot.waitUntil(last, timeout=20_000)


def _row(shown: Shown, text: str) -> int:
    model = shown.window.chat_model
    return next((r for r in range(model.rowCount()) if model.message_at(r).text == text), -1)


def _bubble(shown: Shown, row: int) -> Any:
    view = shown.window.chat_view
    index = view.model().index(row, 0)
    return view.chat_delegate.bubble_at(index, view.visualRect(index), view.font())


def _link(shown: Shown, row: int) -> str:
    """The words under the bubble: what the delegate paints under the text."""
    layout, _doc = _bubble(shown, row)
    message = shown.window.chat_model.message_at(row)
    words = shown.window.chat_view.chat_delegate.fold_words
    return str(words.more_text(message.text.count("\n") + 1, layout.shown_h is None))


def _sees_link(shown: Shown, row: int) -> bool:
    """The link is painted in the links' colour where it is."""
    view = shown.window.chat_view
    layout, _doc = _bubble(shown, row)
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    box = layout.more.toRect().intersected(view.viewport().rect())
    blue = QColor("#1558c0")
    return any(
        abs(image.pixelColor(x, y).blue() - blue.blue()) < 40 and image.pixelColor(x, y).red() < 90
        for x in range(box.left(), box.right(), 2)
        for y in range(box.top(), box.bottom())
    )


def _click_link(shown: Shown, row: int) -> None:
    view = shown.window.chat_view
    layout, _doc = _bubble(shown, row)
    at = QPoint(int(layout.more.left()) + 8, int(layout.more.center().y()))
    assert view.viewport().rect().contains(at), "the link is out of sight"
    shown.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def _open_with(shown: Shown, live_server: Any, *texts: str) -> dict[str, Any]:
    user, client = _client(shown, live_server)
    for text in texts:
        posted = client.post_message(user["chat_id"], text)
    _heard(shown, user, posted)
    shown.open_user(user["id"])
    shown.qtbot.waitUntil(lambda: _row(shown, texts[-1]) >= 0, timeout=10_000)
    return user


def test_a_long_message_is_folded_and_the_link_unfolds_and_folds_it_in_place(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    view = w.chat_view
    _open_with(shown, live_server, *HISTORY, LOG, "Вот лог за вчера")
    row = _row(shown, LOG)
    index = view.model().index(row, 0)
    qtbot.waitUntil(lambda: view.viewport().rect().contains(_bubble(shown, row)[0].more.toRect()))
    layout, doc = _bubble(shown, row)
    assert layout.shown_h is not None and _link(shown, row) in SHOW_312
    assert _sees_link(shown, row)
    assert view.visualRect(index).height() < view.viewport().height() / 2
    assert doc.toPlainText().startswith(LOG.split("\n")[0])  # its first lines

    top = view.visualRect(index).top()
    _click_link(shown, row)
    layout, doc = _bubble(shown, row)
    assert layout.shown_h is None and _link(shown, row) in COLLAPSE
    assert view.visualRect(index).top() == top  # no jump: its top stayed
    assert doc.toPlainText().endswith("(311)")  # the whole text
    assert view.visualRect(index).height() > 4 * view.viewport().height()

    # read down to its end: «Collapse» under it, the message's top far above the view
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.visualRect(index).bottom() - view.viewport().height() // 2)
    link_y = _bubble(shown, row)[0].more.top()
    assert view.visualRect(index).top() < 0 and _sees_link(shown, row)
    _click_link(shown, row)
    layout, _doc = _bubble(shown, row)
    assert layout.shown_h is not None  # folded, and what was under it did not move:
    assert abs(layout.more.top() - link_y) <= 1  # the link stays under the pointer

    # the keyboard: the arrows move the current message, Enter unfolds, Space folds
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.currentIndex().row() == row
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert _bubble(shown, row)[0].shown_h is None
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert _bubble(shown, row)[0].shown_h is not None


def test_the_choice_is_kept_across_new_messages_and_another_chat(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    view = w.chat_view
    user = _open_with(shown, live_server, *HISTORY, LOG, PROSE)
    log, prose = _row(shown, LOG), _row(shown, PROSE)
    view.scrollTo(view.model().index(log, 0))
    _click_link(shown, log)
    assert _bubble(shown, log)[0].shown_h is None
    assert _bubble(shown, prose)[0].shown_h is not None  # per message: the other stays folded

    client = Api(live_server.url).login(user["login"])
    client.post_message(user["chat_id"], "И ещё одно")
    qtbot.waitUntil(lambda: _row(shown, "И ещё одно") >= 0, timeout=10_000)
    assert _bubble(shown, _row(shown, LOG))[0].shown_h is None

    other = next(u for u in shown.server_order(shown.wp.users.line_id) if not u["colleague"])
    shown.open_user(other["id"])
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: _row(shown, "И ещё одно") >= 0, timeout=10_000)
    assert _bubble(shown, _row(shown, LOG))[0].shown_h is None
    assert _bubble(shown, _row(shown, PROSE))[0].shown_h is not None


def test_a_search_match_in_the_folded_part_unfolds_it_and_shows_the_match(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    view = w.chat_view
    _open_with(shown, live_server, *HISTORY, PROSE, "Там в конце важное")
    assert _bubble(shown, _row(shown, PROSE))[0].shown_h is not None
    qtbot.keyClick(w.composer, Qt.Key.Key_F, CTRL_SHIFT)
    panel = w.chat.jumps.panel
    panel.field.insert("шпаргалка")  # (QTest types ASCII only)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)

    from ui.chat import fold

    def match_in_sight() -> bool:
        row = _row(shown, PROSE)
        placed = _bubble(shown, row) if row >= 0 else None
        if placed is None or placed[0].shown_h is not None:
            return False
        y = fold.text_y(placed, PROSE, PROSE.index("шпаргалка"))
        return 0 <= y < view.viewport().height()

    qtbot.waitUntil(match_in_sight, timeout=5_000)


def _copy_and_quote(shown: Shown, qtbot: Any, text: str) -> None:
    w = shown.window
    view = w.chat_view
    row = _row(shown, text)
    assert _bubble(shown, row)[0].shown_h is not None  # folded
    index = view.model().index(row, 0)
    view.scrollTo(index)
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menu = next(m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible())
    copy = next(a for a in menu.actions() if a.text() in ("Copy text", "Копировать текст"))
    copy.trigger()
    menu.close()
    assert QGuiApplication.clipboard().text() == text
    qtbot.keyClick(w.composer, Qt.Key.Key_Q, CTRL_SHIFT)  # the newest from the client
    bar = w.chat.quote_bar
    assert bar.message is not None and bar.message.text == text
    assert bar.text.toPlainText() == text.strip()
    assert bar.fragment() == ""  # nothing selected: all of it is quoted


def test_copy_and_quote_take_the_whole_text(shown: Shown, qtbot: Any, live_server: Any) -> None:
    w = shown.window
    _open_with(shown, live_server, LOG)
    _copy_and_quote(shown, qtbot, LOG)
    w.composer.setPlainText("Посмотрел лог")
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (r := _row(shown, "Посмотрел лог")) >= 0 and w.chat_model.message_at(r).id,
        timeout=15_000,
    )
    quote = w.chat_model.message_at(_row(shown, "Посмотрел лог")).quote
    assert quote is not None and not quote.fragment and quote.text == LOG


def _crop(shown: Shown, rect: QRect) -> QImage:
    view = shown.window.chat_view
    view.viewport().repaint()
    return view.viewport().grab(rect).toImage()


def test_hostile_text_stays_harmless(shown: Shown, qtbot: Any, live_server: Any) -> None:
    w = shown.window
    view = w.chat_view
    no_space = "Ш" * 10_000
    markup = "\n".join(f"<b>{i}</b><img src=file:///etc/passwd>" for i in range(40))
    spoof = "\u202e" + ("exe.txt " * 300).strip()
    literal = "[RLO]" + ("exe.txt " * 300).strip()
    _open_with(shown, live_server, *HISTORY, no_space, markup, spoof, literal)
    width = w.width()
    row = _row(shown, no_space)
    view.scrollTo(view.model().index(row, 0))
    _click_link(shown, row)
    layout, doc = _bubble(shown, row)
    assert layout.shown_h is None and doc.toPlainText() == no_space  # unfolded, all of it
    assert view.horizontalScrollBar().maximum() == 0 and w.width() == width
    assert layout.bubble.right() <= view.viewport().width()
    assert doc.size().width() <= layout.bubble.width()  # wrapped inside the bubble

    layout, doc = _bubble(shown, _row(shown, markup))
    assert layout.shown_h is not None and doc.toPlainText().startswith("<b>0</b><img src=")

    # the controls are shown as marks: the spoofed preview and its link draw exactly as
    # the same text with "[RLO]" typed in it
    images = []
    for text in (spoof, literal):
        view.scrollTo(view.model().index(_row(shown, text), 0))
        layout, _doc = _bubble(shown, _row(shown, text))
        preview = QRect(
            layout.text_origin.toPoint(),
            QPoint(int(layout.more.right()), int(layout.more.bottom())),
        )
        images.append(_crop(shown, preview))
        assert _link(shown, _row(shown, text)) in SHOW
    assert images[0] == images[1]


def test_the_link_speaks_russian_and_english_with_right_plurals(qapp: Any) -> None:
    from PySide6.QtCore import QLocale

    from ui.chat.fold import ChatFold
    from ui.common import i18n

    words, locale = ChatFold(), QLocale()
    counts = (21, 22, 25, 101, 104, 111, 312)
    try:
        i18n.switch(qapp, "ru")
        assert [words.more_text(n, False) for n in counts] == [
            f"Показать полностью ({n} {form})"
            for n, form in zip(
                counts,
                ("строка", "строки", "строк", "строка", "строки", "строк", "строк"),
                strict=True,
            )
        ]
        assert words.more_text(3, False) == "Показать полностью"  # few lines: no count
        assert words.more_text(312, True) == "Свернуть"
        i18n.switch(qapp, "en")
        assert [words.more_text(n, False) for n in (21, 312)] == [
            "Show all (21 lines)",
            "Show all (312 lines)",
        ]
        assert words.more_text(3, False) == "Show all"
        assert words.more_text(312, True) == "Collapse"
    finally:
        i18n.uninstall(qapp)
        QLocale.setDefault(locale)


def test_a_quote_of_an_unfolded_long_message_shows_its_beginning(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    import uuid

    from tests.chat.test_quotes_window import click_quote

    w = shown.window
    view = w.chat_view
    user = _open_with(shown, live_server, *HISTORY, LOG)
    row = _row(shown, LOG)
    view.scrollTo(view.model().index(row, 0))
    _click_link(shown, row)
    client = Api(live_server.url).login(user["login"])
    original = w.chat_model.message_at(row)
    client.call(
        "PUT",
        f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
        {"text": "Это про лог выше", "quote_id": original.id},
    )
    qtbot.waitUntil(lambda: _row(shown, "Это про лог выше") >= 0, timeout=10_000)
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        click_quote(shown, _row(shown, "Это про лог выше"))

    def at_its_beginning() -> bool:
        r = _row(shown, LOG)
        return r >= 0 and abs(view.visualRect(view.model().index(r, 0)).top()) <= 1

    qtbot.waitUntil(at_its_beginning, timeout=5_000)
    assert _bubble(shown, _row(shown, LOG))[0].shown_h is None  # still unfolded
