"""Long messages folded: a text of more than FOLD_AT wrapped lines (at the bubble's width)
shows its first SHOWN lines, cut at a line's bottom and faded, and «Show all» under them;
unfolded, «Collapse» under the whole text (docs/chat.md, "Long messages").

A folded bubble lays out only the text's beginning (`beginning`: at most FOLD_AT + 2 lines
and BEGINNING characters): a chat of fifty 10 000-character messages opens in ~50 ms, not
the 124 ms their whole texts take (short ones: ~17 ms); the whole text is laid out when it
is unfolded (~9 ms for 10 000 characters, once). What the
specialist unfolded is kept per chat (`Folds`) while the window lives: scrolling, new
messages, another chat and back do not fold it again."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPen, QTextDocument

from ui.chat.bubble import Layout
from ui.common.text import marked

FOLD_AT: Final = 20
"""More wrapped lines than this fold: 20 lines of the default font are about 340 px, half
of a chat's usual height; a longer text hides the conversation around it."""
SHOWN: Final = 12
"""The lines a folded text shows: enough to tell what it is (a log's first entries, a
letter's opening), a third of the usual chat's height."""
BEGINNING: Final = 3000
"""Characters of a long text laid out while it is folded: 21 lines of the widest bubble
(640 px) hold about 2 000 of the default font; a text whose beginning makes fewer lines
(very narrow characters) is laid out whole to decide."""
FADE_LINES: Final = 1.0  # the last shown line fades into the bubble
GAP: Final = 4  # px between the text and the link under it
_LEFT: Final = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom).value)


class Folds:
    """The long messages unfolded by the specialist, per chat (the others are folded):
    plain data, no Qt."""

    def __init__(self) -> None:
        self._open: dict[int | None, set[str]] = {}

    def is_open(self, chat_id: int | None, key: str) -> bool:
        return key in self._open.get(chat_id, ())

    def set_open(self, chat_id: int | None, key: str, on: bool) -> None:
        keys = self._open.setdefault(chat_id, set())
        if on:
            keys.add(key)
        else:
            keys.discard(key)

    def toggle(self, chat_id: int | None, key: str) -> bool:
        """Unfolded if it was folded and back; whether it is unfolded now."""
        on = not self.is_open(chat_id, key)
        self.set_open(chat_id, key, on)
        return on


def beginning(text: str) -> str:
    """What a folded text lays out: at most FOLD_AT + 2 of its lines and BEGINNING
    characters (`text` itself when it is shorter)."""
    cut = min(len(text), BEGINNING)
    at = -1
    for _ in range(FOLD_AT + 2):
        at = text.find("\n", at + 1, cut)
        if at < 0:
            return text[:cut]
    return text[:at]


def lines_in(doc: QTextDocument) -> int:
    """The wrapped lines of a document (laid out now if it was not)."""
    doc.documentLayout().documentSize()  # the layout finished
    n = 0
    block = doc.begin()
    while block.isValid():
        n += block.layout().lineCount()
        block = block.next()
    return n


def _line(doc: QTextDocument, n: int) -> tuple[float, float, int]:
    """The n-th wrapped line (from 0): its top, its bottom, the position after it."""
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        lines = block.layout()
        if n < lines.lineCount():
            line = lines.lineAt(n)
            top = layout.blockBoundingRect(block).top() + line.y()
            return top, top + line.height(), block.position() + line.textStart() + line.textLength()
        n -= lines.lineCount()
        block = block.next()
    size = doc.size().height()
    return size, size, doc.characterCount() - 1


def shown_height(doc: QTextDocument) -> float:
    """A folded text's height: the bottom of its SHOWN-th line."""
    return _line(doc, SHOWN - 1)[1]


def shown_end(doc: QTextDocument) -> int:
    """Where a folded text is cut: the position (in the document) after its last shown line."""
    return _line(doc, SHOWN - 1)[2]


def y_of(doc: QTextDocument, position: int) -> float:
    """The top of the line holding `position` of the document."""
    block = doc.findBlock(position)
    if not block.isValid():
        return doc.size().height()
    lines = block.layout()
    line = lines.lineForTextPosition(position - block.position())
    top = doc.documentLayout().blockBoundingRect(block).top()
    return top + (line.y() if line.isValid() else 0.0)


def anchor_at(layout: Layout, doc: QTextDocument, pos: QPointF) -> str:
    """The link under `pos` in a bubble's text (none in the hidden part of a folded one)."""
    at = pos - layout.text_origin
    if layout.shown_h is not None and at.y() >= layout.shown_h:
        return ""
    return doc.documentLayout().anchorAt(at)


def hidden(placed: tuple[Layout, QTextDocument] | None, text: str, at: int) -> bool:
    """Whether the character `at` of the message's `text` is in its folded part."""
    if placed is None or placed[0].shown_h is None:
        return False
    return len(marked(text[:at])) >= shown_end(placed[1])


def text_y(placed: tuple[Layout, QTextDocument], text: str, at: int) -> float:
    """Where (in the view) the line holding the character `at` of the message's `text`
    starts."""
    layout, doc = placed
    return layout.text_origin.y() + y_of(doc, len(marked(text[:at])))


class ChatFold(QObject):
    """The link's words (a QObject: lupdate sees a plural only in `self.tr`)."""

    def more_text(self, lines: int, unfolded: bool) -> str:
        """«Collapse», or «Show all» with the count of the text's own lines when it has
        many (a pasted log: "Show all (312 lines)")."""
        if unfolded:
            return self.tr("Collapse")
        if lines > FOLD_AT:
            return self.tr("Show all (%n lines)", "", lines)
        return self.tr("Show all")


def paint_more(
    painter: QPainter,
    layout: Layout,
    text: str,
    font: QFont,
    colours: tuple[QColor, QColor],
    focused: bool,
) -> None:
    """The fade over a folded text's last shown line and the link under the text; the link
    is our own words drawn in their own box, so nothing in the message can reorder it.
    `colours`: the bubble's and the link's."""
    if layout.more is None:
        return
    bubble, link = colours
    painter.save()
    if layout.shown_h is not None:
        line = layout.more.height() - GAP  # one line of the text's font
        fade = QRectF(
            layout.text_origin.x(),
            layout.text_origin.y() + layout.shown_h - line * FADE_LINES,
            layout.more.width(),
            line * FADE_LINES,
        )
        gradient = QLinearGradient(QPointF(0, fade.top()), QPointF(0, fade.bottom()))
        clear = QColor(bubble)
        clear.setAlpha(0)
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(1.0, bubble)
        painter.fillRect(fade, gradient)
    painter.setFont(font)
    painter.setPen(link)
    painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    painter.drawText(layout.more, _LEFT, text)
    if focused:  # the keyboard's current message: Enter or Space toggles it
        width = painter.fontMetrics().horizontalAdvance(text)
        painter.setPen(QPen(link, 1, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        more = layout.more
        box = QRectF(more.left() - 3, more.top() + GAP - 1, width + 6, more.height() - GAP + 1)
        painter.drawRect(box)
    painter.restore()
