"""What a bubble shows besides its text: the attached file's box (with an image's
thumbnail) and the quoted message's block. Painted for ui/chat/delegate.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.core.domain import FileRef, Quote
from ui.common.text import marked, one_line

if TYPE_CHECKING:
    from ui.chat.delegate import ChatDelegate

FILE_PAD = 6
FILE_BG = QColor(255, 255, 255, 150)
LINK = QColor("#1558c0")
NAME = QColor("#3b6fd4")
SEPARATOR = QColor("#6b7078")
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)


def file_lines(file: FileRef) -> tuple[str, str]:
    """The file's box: its name (one line, marks for direction controls: a name of three
    lines showed only its middle one; not cut here — the painter elides its middle, so the
    extension stays seen), then size · type."""
    from ui.chat.files import size_words

    kind = file.content_type.partition(";")[0] or "application/octet-stream"
    return "📄 " + marked(
        " ".join(file.name.split())
    ), f"{size_words(file.size)} · {one_line(kind)}"


def paint_file(
    d: ChatDelegate, painter: QPainter, box: QRectF, file: FileRef, thumb: QImage | None
) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(FILE_BG)
    painter.drawRoundedRect(box, 6.0, 6.0)
    name, details = file_lines(file)
    inner = box.adjusted(FILE_PAD, FILE_PAD, -FILE_PAD, -FILE_PAD)
    if thumb is not None:
        painter.drawImage(QPointF(inner.left(), inner.top()), thumb)
        inner.setTop(inner.top() + thumb.height() + FILE_PAD)
    h = d._small_m.height()
    painter.setFont(d._bold)
    painter.setPen(LINK)
    painter.drawText(
        QRectF(inner.left(), inner.top(), inner.width(), h),
        _ALIGN_LEFT,
        d._bold_m.elidedText(name, Qt.TextElideMode.ElideMiddle, int(inner.width())),
    )
    painter.setFont(d._small)
    painter.setPen(SEPARATOR)
    painter.drawText(QRectF(inner.left(), inner.top() + h, inner.width(), h), _ALIGN_LEFT, details)


def paint_quote(d: ChatDelegate, painter: QPainter, box: QRectF, quote: Quote) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(FILE_BG)
    painter.drawRect(box)
    painter.setBrush(NAME)
    painter.drawRect(QRectF(box.left(), box.top(), 3, box.height()))
    inner = box.adjusted(FILE_PAD + 3, FILE_PAD, -FILE_PAD, -FILE_PAD)
    h = d._small_m.height()
    painter.setFont(d._small)
    painter.setPen(NAME)
    w = int(inner.width())
    name, text = quote_lines(quote)
    painter.drawText(
        QRectF(inner.left(), inner.top(), inner.width(), h),
        _ALIGN_LEFT,
        d._small_m.elidedText(name, Qt.TextElideMode.ElideRight, w),
    )
    painter.setPen(SEPARATOR)
    painter.drawText(
        QRectF(inner.left(), inner.top() + h, inner.width(), h),
        _ALIGN_LEFT,
        d._small_m.elidedText(text, Qt.TextElideMode.ElideRight, w),
    )


def quote_lines(quote: Quote) -> tuple[str, str]:
    """A quote as shown: its author, then its text on one line (controls as marks); a
    fragment of the message between "…"."""
    if quote.deleted:
        gone = QCoreApplication.translate("ChatDelegate", "The original message was deleted")
        return one_line(quote.author_name), gone
    text = marked(" ".join(quote.text.split()))
    return one_line(quote.author_name), f"…{text}…" if quote.fragment else text
