"""Paints chat messages as bubbles; heights cached per (message, width) (STYLE.md 8).

A flood keeps this cheap (docs/chat.md): QListView lays every row out again for each inserted
one, so a row's height is answered from `_rows` while the row's message, the one above it,
the width and the unread mark are the same objects as when it was measured; and a bubble's
geometry is kept per (message, width) so that painting it again does not lay its text out
again (two or three QTextDocument layouts a bubble otherwise)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date

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
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.domain import Delivery, FileRef, Message
from ui.chat import bubble as b  # b.PAD_H, b.LINK…: the bubble's measures and colours
from ui.chat import fold
from ui.chat.attachments import FILE_PAD, paint_file, paint_quote
from ui.chat.bubble import Layout, moved
from ui.chat.model import ChatModel, day_text, message_key
from ui.common.roles import MESSAGE_ROLE, STEP_ROLE
from ui.common.text import is_allowed_url, marked, plain_document, preview_line
from ui.common.when import date_time_text, time_text

_Index = QModelIndex | QPersistentModelIndex

_DOC_CACHE_SIZE = 400
_LAYOUT_CACHE_SIZE = 400
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)
_ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


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
    sig_fold_clicked = Signal(str)
    """«Show all» or «Collapse» under a long message was clicked: its key (ui/chat/fold.py)."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.my_id: int | None = None
        self.thumbnails: Callable[[FileRef], QImage | None] | None = None
        """Where the thumbnails of received images come from (ui/chat/thumbs.py)."""
        self._docs: OrderedDict[str, tuple[str, QTextDocument]] = OrderedDict()
        self._heights: dict[tuple[str, int, int], int] = {}
        self.chat_model: ChatModel | None = None  # set by the view: rows read directly
        self.folds = fold.Folds()  # the view's: which long messages are unfolded, per chat
        self.fold_words = fold.ChatFold(self)
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
        time = time_text(local) if local.date() == date.today() else date_time_text(local)
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
        return preview_line(message.author.full_name)  # one line: a name's own lines no more

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

    def _doc(
        self, message: Message, font: QFont, text_width: float, whole: bool = True
    ) -> QTextDocument:
        """The message's text laid out; `whole` False: only its beginning (folded)."""
        key = message_key(message)
        text = self._text(message)
        if not whole and len(cut := fold.beginning(text)) < len(text):
            key, text = key + "\n", cut
        cached = self._docs.get(key)
        if cached is None or cached[0] != text:
            doc = plain_document(marked(text), b.LINK)
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

    def _text(self, message: Message) -> str:
        return self.tr("Message deleted") if message.deleted else message.text

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
        text_w = max_bubble - 2 * b.PAD_H
        chat_id = self.chat_model.chat_id if self.chat_model is not None else None
        unfolded = self.folds.is_open(chat_id, message_key(message))
        text = self._text(message)
        cut = not unfolded and len(fold.beginning(text)) < len(text)
        doc = self._doc(message, font, text_w, not cut)
        long = fold.lines_in(doc) > fold.FOLD_AT
        if cut and not long:  # its beginning's lines did not tell: laid out whole
            cut, doc = False, self._doc(message, font, text_w)
            long = fold.lines_in(doc) > fold.FOLD_AT
        ideal = text_w if long else min(text_w, doc.idealWidth() + 1)  # a long one: widest
        if doc.textWidth() != ideal:  # (the same width set again lays it all out again)
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
        shown_h = fold.shown_height(doc) if long and not unfolded else None
        doc_h = doc_h if shown_h is None else shown_h
        more_h = QFontMetrics(font).height() + fold.GAP if long else 0
        file_h = 2 * self._small_m.height() + 2 * FILE_PAD if message.file is not None else 0
        thumb = self.thumbnail(message.file) if message.file is not None else None
        if thumb is not None:
            file_h += thumb.height() + FILE_PAD
            inner_w = min(text_w, max(inner_w, thumb.width() + 2 * FILE_PAD))
        if message.file is not None:
            name_w = self._bold_m.horizontalAdvance(marked(message.file.name)) + 2 * FILE_PAD
            inner_w = min(text_w, max(inner_w, name_w, 160))
        footer_h = self._small_m.height()
        bubble_h = b.PAD_V + header_h + quote_h + doc_h + more_h + file_h + footer_h + b.PAD_V
        bubble_w = inner_w + 2 * b.PAD_H
        own = self.is_own(message)
        left = rect.right() - b.OUTER_H - bubble_w if own else rect.left() + b.OUTER_H
        top = rect.top() + b.OUTER_V + above * b.SEPARATOR_H
        bubble = QRectF(left, top, bubble_w, bubble_h)
        header_rect = QRectF(left + b.PAD_H, top + b.PAD_V, inner_w, header_h) if header else None
        quote_rect = (
            QRectF(left + b.PAD_H, top + b.PAD_V + header_h, inner_w, quote_h - 4)
            if message.quote is not None
            else None
        )
        origin = QPointF(left + b.PAD_H, top + b.PAD_V + header_h + quote_h)
        more = QRectF(left + b.PAD_H, origin.y() + doc_h, inner_w, more_h) if long else None
        doc_h += more_h
        file_rect = (
            QRectF(left + b.PAD_H, origin.y() + doc_h, inner_w, file_h - 4)
            if message.file is not None
            else None
        )
        footer_rect = QRectF(left + b.PAD_H, origin.y() + doc_h + file_h, inner_w, footer_h)
        placed = Layout(bubble, header_rect, origin, footer_rect, own, file_rect, quote_rect)
        placed.more, placed.shown_h, placed.cut = more, shown_h, cut
        return placed, doc

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
        placed = moved(layout, rect.left(), rect.top())
        return placed, self._doc(message, font, text_width, not layout.cut)

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
            return QSize(width, (above + 1) * b.SEPARATOR_H)
        key = (message_key(message), width, above)
        height = self._heights.get(key)
        if height is None:
            layout, _doc = self._layout(message, QRect(0, 0, width, 0), option.font, above)
            height = int(layout.bubble.height() + 2 * b.OUTER_V + above * b.SEPARATOR_H + 0.999)
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
            painter.fillRect(layout.bubble.adjusted(-6, -3, 6, 3), b.HIGHLIGHT)
        painter.setFont(self._small)
        for i, sep in enumerate(seps):
            line = QRect(rect.left(), rect.top() + i * b.SEPARATOR_H, rect.width(), b.SEPARATOR_H)
            painter.setPen(b.UNREAD if sep == self.tr("Unread messages") else b.SEPARATOR)
            shown = painter.fontMetrics().elidedText(sep, Qt.TextElideMode.ElideRight, line.width())
            painter.drawText(line, _ALIGN_CENTER, shown)
        if step:
            painter.restore()
            return
        failed = message.delivery is Delivery.FAILED
        bg = b.OWN_BG if layout.own else b.THEIR_BG
        painter.setPen(Qt.PenStyle.NoPen if not failed else b.FAILED)
        painter.setBrush(bg)
        painter.drawRoundedRect(layout.bubble, b.RADIUS, b.RADIUS)
        text = QColor("#6b7078") if message.deleted else QColor("#1d1f23")
        if layout.header is not None:
            painter.setFont(self._bold)
            painter.setPen(b.NAME)
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
        painter.save()
        painter.translate(layout.text_origin)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette = QPalette(palette)
        ctx.palette.setColor(QPalette.ColorRole.Text, text)
        # only the lines in sight are drawn (a 10 000-character text is long); a folded text
        # up to its last shown line's bottom
        seen = QRectF(self._view.viewport().rect()).translated(-layout.text_origin)
        ctx.clip = seen.intersected(QRectF(0, 0, doc.textWidth(), layout.shown_h or seen.bottom()))
        painter.setClipRect(ctx.clip, Qt.ClipOperation.IntersectClip)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        if layout.more is not None:
            focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
            more = self.fold_words.more_text(message.text.count("\n") + 1, layout.shown_h is None)
            fold.paint_more(painter, layout, more, font, (bg, b.LINK), focused)
        if layout.file is not None and message.file is not None:
            paint_file(self, painter, layout.file, message.file, self.thumbnail(message.file))
        painter.setFont(self._small)
        footer_color = b.FAILED if failed else QColor("#6b7078")
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
        if layout.more is not None and layout.more.contains(pos):
            self.sig_fold_clicked.emit(message_key(message))
            return True
        if layout.file is not None and message.file is not None and layout.file.contains(pos):
            self.sig_file_clicked.emit(message.file, event.globalPosition().toPoint())
            return True
        href = fold.anchor_at(layout, doc, pos)
        if href and is_allowed_url(href):
            self.sig_link_activated.emit(href)
            return True
        if message.delivery is Delivery.FAILED:
            self.sig_retry_requested.emit(message.client_msg_id)
            return True
        return False

    def bubble_at(
        self, index: _Index, rect: QRect, font: QFont
    ) -> tuple[Layout, QTextDocument] | None:
        """A message's bubble drawn at `rect`: its layout and its text (None: no bubble)."""
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message) or index.data(STEP_ROLE):
            return None
        return self._placed(message, rect, font, len(self.separators(index)))

    def link_at(self, index: _Index, rect: QRect, font: QFont, pos: QPointF) -> str:
        placed = self.bubble_at(index, rect, font)
        return "" if placed is None else fold.anchor_at(*placed, pos)
