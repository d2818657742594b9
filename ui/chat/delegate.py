"""Paints chat messages as bubbles; heights cached per (message, width) (STYLE.md 8).

A flood keeps this cheap (docs/chat.md): QListView lays every row out again for each inserted
one, so a row's height is answered from `_rows` while the row's message, the one above it,
the width and the unread mark are the same objects as when it was measured; and a bubble's
geometry is kept per (message, width) so that painting it again does not lay its text out
again (two or three QTextDocument layouts a bubble otherwise)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem

from app.core.domain import Delivery, FileRef, Message
from ui.chat.attachments import FILE_PAD, paint_file, paint_quote
from ui.chat.bubble import Layout, moved
from ui.chat.model import ChatModel, day_text, message_key
from ui.common.roles import MESSAGE_ROLE, STEP_ROLE
from ui.common.text import is_allowed_url, marked, plain_document

_Index = QModelIndex | QPersistentModelIndex

OUTER_V = 3
OUTER_H = 12
PAD_H = 11
PAD_V = 7
RADIUS = 10.0
OWN_BG = QColor("#dcebff")
THEIR_BG = QColor("#f1f2f4")
FAILED = QColor("#c62828")
LINK = QColor("#1558c0")
NAME = QColor("#3b6fd4")
_DOC_CACHE_SIZE = 400
_LAYOUT_CACHE_SIZE = 400
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
_ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


SEPARATOR_H = 26  # a date or "unread" line above a bubble
SEPARATOR = QColor("#6b7078")
HIGHLIGHT = QColor("#fff1a8")  # the message jumped to (a search hit, a quoted one)
UNREAD = QColor("#3b6fd4")


class ChatDelegate(QStyledItemDelegate):
    sig_link_activated = Signal(str)
    """An allowed (https:/mailto:) link in a message was clicked: the URL."""
    sig_file_clicked = Signal(object, QPoint)
    """A message's file box was clicked: the FileRef, where (global)."""
    sig_step_clicked = Signal(str, QPoint)
    """A quiet line (a ticket's step, a call's line) was clicked: its key, where (global)."""
    sig_quote_clicked = Signal(int)
    """A message's quote was clicked: the quoted message's id."""
    sig_retry_requested = Signal(str)
    """A failed own message was clicked: its client_msg_id."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.my_id: int | None = None
        self.thumbnails: Callable[[FileRef], QImage | None] | None = None
        """Where the thumbnails of received images come from (ui/chat/thumbs.py)."""
        self._docs: OrderedDict[str, tuple[str, QTextDocument]] = OrderedDict()
        self._heights: dict[tuple[str, int, int], int] = {}
        self.chat_model: ChatModel | None = None  # set by the view: rows read directly
        # key → (message, the message above, width, unread mark, height): see the docstring
        self._rows: dict[str, tuple[Message, Message | None, int, str | None, int]] = {}
        # (key, width, separators) → (message, its layout at (0, 0), its text's width)
        self._layouts: OrderedDict[tuple[str, int, int], tuple[Message, Layout, float]] = (
            OrderedDict()
        )
        self._font_key = ""
        self._small = QFont()
        self._small_m = QFontMetrics(self._small)
        self._bold = QFont()
        self._bold_m = QFontMetrics(self._bold)

    # -- texts shown around the bubble --------------------------------------
    def footer_text(self, message: Message) -> str:
        local = message.created_at.astimezone()
        fmt = "%H:%M" if local.date() == datetime.now().astimezone().date() else "%d.%m.%Y %H:%M"
        time = local.strftime(fmt)
        if not self.is_own(message):
            return time
        if message.delivery is Delivery.SENDING:
            return time + "  " + self.tr("sending…")
        if message.delivery is Delivery.FAILED:
            return self.tr("Not delivered. Click to retry")
        return time + "  ✓"

    def separators(self, index: _Index) -> tuple[str, ...]:
        """The lines drawn above this message: its date when the day changes, and
        "Unread messages" above the first one the specialist had not read."""
        model = index.model()
        message = index.data(MESSAGE_ROLE)
        if not isinstance(model, ChatModel) or not isinstance(message, Message):
            return ()
        found: list[str] = []
        day = message.created_at.astimezone().date()
        previous = model.message_at(index.row() - 1)
        if previous is None or previous.created_at.astimezone().date() != day:
            found.append(day_text(day))
        if model.unread_from is not None and message_key(message) == model.unread_from:
            found.append(self.tr("Unread messages"))
        return tuple(found)

    def thumbnail(self, file: FileRef) -> QImage | None:
        return self.thumbnails(file) if self.thumbnails is not None else None

    def is_own(self, message: Message) -> bool:
        return message.author.kind == "specialist"

    def header_text(self, message: Message) -> str:
        if message.author.kind == "specialist" and message.author.id == self.my_id:
            return ""
        return marked(message.author.full_name)

    # -- caches ----------------------------------------------------------
    def _ensure_fonts(self, font: QFont) -> None:
        if font.key() == self._font_key:
            return
        self._font_key = font.key()
        self._small = QFont(font)
        self._small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self._small_m = QFontMetrics(self._small)
        self._bold = QFont(font)
        self._bold.setWeight(QFont.Weight.DemiBold)
        self._bold_m = QFontMetrics(self._bold)
        self._docs.clear()
        self.forget_heights()

    def _doc(self, message: Message, font: QFont, text_width: float) -> QTextDocument:
        key = message_key(message)
        text = self.tr("Message deleted") if message.deleted else message.text
        cached = self._docs.get(key)
        if cached is None or cached[0] != text:
            doc = plain_document(marked(text), LINK)
            if message.deleted:  # said by the window, not written by anyone: italic
                font = QFont(font)
                font.setItalic(True)
            doc.setDefaultFont(font)
            self._docs[key] = (text, doc)
            while len(self._docs) > _DOC_CACHE_SIZE:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
            doc = cached[1]
        if doc.textWidth() != text_width:
            doc.setTextWidth(text_width)
        return doc

    def forget_heights(self) -> None:
        self._heights.clear()
        self._rows.clear()
        self._layouts.clear()

    def forget_height(self, key: str) -> None:
        """A message changed in place (deleted, edited): measured again."""
        for cached in [k for k in self._heights if k[0] == key]:
            del self._heights[cached]
        for placed in [k for k in self._layouts if k[0] == key]:
            del self._layouts[placed]
        self._rows.pop(key, None)

    def known_height(self, key: str) -> int | None:
        """The height last measured for the message `key` (None: not measured)."""
        row = self._rows.get(key)
        return None if row is None else row[4]

    def forget(self) -> None:
        """Drop the caches (a new chat)."""
        self._docs.clear()
        self.forget_heights()

    # -- geometry ----------------------------------------------------------
    def _layout(
        self, message: Message, rect: QRect, font: QFont, above: int = 0
    ) -> tuple[Layout, QTextDocument]:
        self._ensure_fonts(font)
        width = rect.width()
        max_bubble = max(120.0, min(width * 0.75, 640.0))
        text_w = max_bubble - 2 * PAD_H
        doc = self._doc(message, font, text_w)
        ideal = min(text_w, doc.idealWidth() + 1)
        doc.setTextWidth(ideal)
        header = self.header_text(message)
        header_w = self._bold_m.horizontalAdvance(header) if header else 0
        footer = self.footer_text(message)
        footer_w = self._small_m.horizontalAdvance(footer)
        inner_w = min(text_w, max(ideal, header_w, footer_w))
        if inner_w > ideal:
            doc.setTextWidth(inner_w)
        header_h = self._bold_m.height() if header else 0
        quote_h = 2 * self._small_m.height() + 2 * FILE_PAD if message.quote is not None else 0
        if message.quote is not None:
            inner_w = min(text_w, max(inner_w, 180))
        doc_h = doc.size().height() if message.text or message.deleted else 0.0
        file_h = 2 * self._small_m.height() + 2 * FILE_PAD if message.file is not None else 0
        thumb = self.thumbnail(message.file) if message.file is not None else None
        if thumb is not None:
            file_h += thumb.height() + FILE_PAD
            inner_w = min(text_w, max(inner_w, thumb.width() + 2 * FILE_PAD))
        if message.file is not None:
            name_w = self._bold_m.horizontalAdvance(marked(message.file.name)) + 2 * FILE_PAD
            inner_w = min(text_w, max(inner_w, name_w, 160))
        footer_h = self._small_m.height()
        bubble_h = PAD_V + header_h + quote_h + doc_h + file_h + footer_h + PAD_V
        bubble_w = inner_w + 2 * PAD_H
        own = self.is_own(message)
        left = rect.right() - OUTER_H - bubble_w if own else rect.left() + OUTER_H
        top = rect.top() + OUTER_V + above * SEPARATOR_H
        bubble = QRectF(left, top, bubble_w, bubble_h)
        header_rect = QRectF(left + PAD_H, top + PAD_V, inner_w, header_h) if header else None
        quote_rect = (
            QRectF(left + PAD_H, top + PAD_V + header_h, inner_w, quote_h - 4)
            if message.quote is not None
            else None
        )
        origin = QPointF(left + PAD_H, top + PAD_V + header_h + quote_h)
        file_rect = (
            QRectF(left + PAD_H, origin.y() + doc_h, inner_w, file_h - 4)
            if message.file is not None
            else None
        )
        footer_rect = QRectF(left + PAD_H, origin.y() + doc_h + file_h, inner_w, footer_h)
        return Layout(bubble, header_rect, origin, footer_rect, own, file_rect, quote_rect), doc

    def _placed(
        self, message: Message, rect: QRect, font: QFont, above: int
    ) -> tuple[Layout, QTextDocument]:
        """`_layout` for a bubble drawn at `rect`, laid out once per (message, width)."""
        self._ensure_fonts(font)
        key = (message_key(message), rect.width(), above)
        hit = self._layouts.get(key)
        if hit is None or hit[0] is not message:
            layout, doc = self._layout(message, QRect(0, 0, rect.width(), 0), font, above)
            hit = (message, layout, doc.textWidth())
            self._layouts[key] = hit
            while len(self._layouts) > _LAYOUT_CACHE_SIZE:
                self._layouts.popitem(last=False)
        else:
            self._layouts.move_to_end(key)
        _message, layout, text_width = hit
        return moved(layout, rect.left(), rect.top()), self._doc(message, font, text_width)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        model = self.chat_model
        if model is None:
            return self._size(option, index)
        row = index.row()
        message = model.message_at(row)
        if message is None:
            return QSize(0, 0)
        width = self._view.viewport().width()
        previous = model.message_at(row - 1) if row > 0 else None
        key = message_key(message)
        known = self._rows.get(key)
        if (
            known is not None
            and known[0] is message
            and known[1] is previous
            and known[2] == width
            and known[3] == model.unread_from
        ):
            return QSize(width, known[4])
        size = self._size(option, index)
        self._rows[key] = (message, previous, width, model.unread_from, size.height())
        return size

    def _size(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            return QSize(0, 0)
        width = self._view.viewport().width()
        above = len(self.separators(index))
        if index.data(STEP_ROLE):  # a ticket's step: one quiet line (ui/tickets)
            return QSize(width, (above + 1) * SEPARATOR_H)
        key = (message_key(message), width, above)
        height = self._heights.get(key)
        if height is None:
            layout, _doc = self._layout(message, QRect(0, 0, width, 0), option.font, above)
            height = int(layout.bubble.height() + 2 * OUTER_V + above * SEPARATOR_H + 0.999)
            self._heights[key] = height
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            return
        font: QFont = option.font
        rect: QRect = option.rect
        palette: QPalette = option.palette
        seps = self.separators(index)
        step = index.data(STEP_ROLE)
        if step:
            seps = (*seps, step)
        else:
            layout, doc = self._placed(message, rect, font, len(seps))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        model = index.model()
        if isinstance(model, ChatModel) and model.highlight == message_key(message):
            painter.fillRect(layout.bubble.adjusted(-6, -3, 6, 3), HIGHLIGHT)
        painter.setFont(self._small)
        for i, sep in enumerate(seps):
            line = QRect(rect.left(), rect.top() + i * SEPARATOR_H, rect.width(), SEPARATOR_H)
            painter.setPen(UNREAD if sep == self.tr("Unread messages") else SEPARATOR)
            painter.drawText(line, _ALIGN_CENTER, sep)
        if step:
            painter.restore()
            return
        failed = message.delivery is Delivery.FAILED
        bg = OWN_BG if layout.own else THEIR_BG
        painter.setPen(Qt.PenStyle.NoPen if not failed else FAILED)
        painter.setBrush(bg)
        painter.drawRoundedRect(layout.bubble, RADIUS, RADIUS)
        text = QColor("#6b7078") if message.deleted else QColor("#1d1f23")
        if layout.header is not None:
            painter.setFont(self._bold)
            painter.setPen(NAME)
            painter.drawText(
                layout.header,
                _ALIGN_LEFT,
                self._bold_m.elidedText(
                    self.header_text(message),
                    Qt.TextElideMode.ElideRight,
                    int(layout.header.width()),
                ),
            )
        if layout.quote is not None and message.quote is not None:
            paint_quote(self, painter, layout.quote, message.quote)
        painter.translate(layout.text_origin)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette = QPalette(palette)
        ctx.palette.setColor(QPalette.ColorRole.Text, text)
        doc.documentLayout().draw(painter, ctx)
        painter.translate(-layout.text_origin)
        if layout.file is not None and message.file is not None:
            paint_file(self, painter, layout.file, message.file, self.thumbnail(message.file))
        painter.setFont(self._small)
        footer_color = FAILED if failed else QColor("#6b7078")
        painter.setPen(footer_color)
        painter.drawText(layout.footer, _ALIGN_RIGHT, self.footer_text(message))
        painter.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if event.type() != QEvent.Type.MouseButtonRelease or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            return False
        if index.data(STEP_ROLE):
            self.sig_step_clicked.emit(message.client_msg_id, event.globalPosition().toPoint())
            return True
        layout, doc = self._placed(message, option.rect, option.font, len(self.separators(index)))
        pos = event.position()
        if not layout.bubble.contains(pos):
            return False
        if layout.quote is not None and message.quote is not None and layout.quote.contains(pos):
            self.sig_quote_clicked.emit(message.quote.id)
            return True
        if layout.file is not None and message.file is not None and layout.file.contains(pos):
            self.sig_file_clicked.emit(message.file, event.globalPosition().toPoint())
            return True
        href = doc.documentLayout().anchorAt(pos - layout.text_origin)
        if href and is_allowed_url(href):
            self.sig_link_activated.emit(href)
            return True
        if message.delivery is Delivery.FAILED:
            self.sig_retry_requested.emit(message.client_msg_id)
            return True
        return False

    def link_at(self, index: _Index, rect: QRect, font: QFont, pos: QPointF) -> str:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            return ""
        layout, doc = self._placed(message, rect, font, len(self.separators(index)))
        return doc.documentLayout().anchorAt(pos - layout.text_origin)
