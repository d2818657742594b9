"""Search of the open chat's whole history: a field, the hits (newest first, the matched
words highlighted), more pages as the list is scrolled; a hit opens the chat around it.

The search runs on the server (app/chat/search.py, docs/chat.md); this is its view."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.chat.search import Found, Hit
from ui.common.text import BIDI_MARKS, preview_line
from ui.common.when import date_time_text

_Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = int(Qt.ItemDataRole.UserRole.value) + 40
MATCH = QColor("#ffe066")
CURRENT_MATCH = QColor("#ff9632")
"""The current hit's matches (a browser's find: every match yellow, the current one orange),
its text dark on them as on every match."""
CURRENT_TINT = 48
"""How much of the selection's colour tints the current hit's row (0–255): its text stays the
dark text of every row, readable, where the style's solid selection put grey on blue."""
AUTHOR = QColor("#6b7078")
CONTEXT = 48  # characters shown before the first match


def marked_with_map(text: str) -> tuple[str, list[int]]:
    """`text` with direction controls as visible marks (ui.common.text.marked), and for
    each original position its position in the result (one more for the end)."""
    out: list[str] = []
    where: list[int] = []
    n = 0
    for c in text:
        where.append(n)
        shown = BIDI_MARKS.get(ord(c), c)
        out.append(shown)
        n += len(shown)
    where.append(n)
    return "".join(out), where


def snippet(hit: Hit) -> tuple[str, list[tuple[int, int]]]:
    """One line of the hit's text from a little before its first match, the matches'
    places in it."""
    text = hit.message.text
    start = max(0, (hit.spans[0][0] if hit.spans else 0) - CONTEXT)
    shown, where = marked_with_map(text[start:])
    spans = [(where[s - start], where[e - start]) for s, e in hit.spans if s >= start]
    # every line break one space (\r, U+2028 and U+2029 too: each started a line of its own
    # in a one-line row, and the match could be on one not shown); the map stays true
    line = "".join(" " if c.isspace() else c for c in shown)
    return ("…" + line if start else line), [
        (s + (1 if start else 0), e + (1 if start else 0)) for s, e in spans
    ]


class HitsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []
        self.has_more = False

    def reset(self, found: Found | None) -> None:
        self.beginResetModel()
        self.hits = list(found.hits) if found else []
        self.has_more = bool(found and found.has_more)
        self.endResetModel()

    def extend(self, found: Found) -> None:
        self.has_more = found.has_more
        if not found.hits:
            return
        first = len(self.hits)
        self.beginInsertRows(QModelIndex(), first, first + len(found.hits) - 1)
        self.hits.extend(found.hits)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _Index, role: int = 0) -> object:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HIT_ROLE:
            return hit
        if role in (
            int(Qt.ItemDataRole.DisplayRole.value),
            int(Qt.ItemDataRole.AccessibleTextRole.value),
        ):
            return hit.message.text
        return None


class HitDelegate(QStyledItemDelegate):
    """Two lines: the author and the date, then the text with the matches highlighted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._docs: dict[tuple[int, bool], QTextDocument] = {}

    def document(self, hit: Hit, font: QFont, current: bool = False) -> QTextDocument:
        """The hit's line, its matches marked (orange in the current hit, else yellow)."""
        key = (hit.message.id or 0, current)
        doc = self._docs.get(key)
        if doc is None:
            line, spans = snippet(hit)
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(font)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.NoWrap)
            doc.setDefaultTextOption(option)
            doc.setPlainText(line)  # plain: never markup
            cursor = QTextCursor(doc)
            fmt = QTextCharFormat()
            fmt.setBackground(CURRENT_MATCH if current else MATCH)
            fmt.setForeground(QColor("#1a1a1a"))
            fmt.setFontWeight(QFont.Weight.DemiBold)
            for s, e in spans:
                cursor.setPosition(s)
                cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)
            if len(self._docs) > 500:
                self._docs.clear()
            self._docs[key] = doc
        return doc

    def forget(self) -> None:
        self._docs.clear()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        m = QFontMetrics(option.font)
        return QSize(200, 2 * m.height() + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        hit = index.data(HIT_ROLE)
        if not isinstance(hit, Hit):
            return
        self.initStyleOption(option, index)
        option.text = ""
        current = bool(option.state & QStyle.StateFlag.State_Selected)
        # the current hit: not the style's solid selection (grey and black on blue), a tint
        # of it and a bar of it at its start, its text as dark as every row's
        option.state &= ~QStyle.StateFlag.State_Selected
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        if current:
            selection = option.palette.color(QPalette.ColorRole.Highlight)
            tint = QColor(selection)
            tint.setAlpha(CURRENT_TINT)
            painter.fillRect(option.rect, tint)
            painter.fillRect(
                QRect(option.rect.topLeft(), QSize(3, option.rect.height())), selection
            )
        rect: QRect = option.rect.adjusted(8, 4, -8, -4)
        m = QFontMetrics(option.font)
        text = option.palette.color(QPalette.ColorRole.Text)
        painter.setPen(text if current else AUTHOR)
        when = date_time_text(hit.message.created_at.astimezone())
        author = preview_line(hit.message.author.full_name)  # isolated: the date stays after
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), m.height()),
            int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value),
            m.elidedText(f"{author} · {when}", Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.translate(rect.left(), rect.top() + m.height())
        painter.setClipRect(QRect(0, 0, rect.width(), m.height() + 2))
        self.document(hit, option.font, current).drawContents(painter)
        painter.restore()


class SearchPanel(QWidget):
    """The chat's search: Enter searches, ↓ goes into the hits, Enter on a hit (or a click)
    shows it in the chat, Esc closes."""

    sig_search = Signal(str, object)
    """Search for this text; the second value: None (a new search) or the id of the oldest
    hit shown (the next page)."""
    sig_jump = Signal(int)
    """Show the chat around this message id."""
    sig_closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatSearch")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit()
        self.field.setObjectName("chatSearchField")
        self.field.setPlaceholderText(self.tr("Search this chat's whole history (Esc closes)"))
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.model = HitsModel(self)
        self.list = QListView()
        self.list.setObjectName("chatSearchHits")
        self.list.setModel(self.model)
        self.delegate = HitDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._activated)
        self.list.clicked.connect(self._activated)
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        column.addWidget(self.field)
        column.addWidget(self.status)
        column.addWidget(self.list, 1)
        self.asked = ""
        self.waiting = False

    def search(self) -> None:
        text = self.field.text().strip()
        if not text:
            return
        self.asked = text
        self.waiting = True
        self.status.setText(self.tr("Searching…"))
        self.sig_search.emit(text, None)

    def show_found(self, found: Found | None, more: bool) -> None:
        """The server's answer (None: it failed; the banner says why)."""
        self.waiting = False
        if found is None or found.query != self.asked:
            if found is None:
                self.status.setText("")
            return
        if more:
            self.model.extend(found)
        else:
            self.delegate.forget()
            self.model.reset(found)
        if found.only_stop_words:
            self.status.setText(
                self.tr(
                    "Only common words (%1): nothing to search for. Add a specific word."
                ).replace("%1", ", ".join(found.ignored))
            )
        elif self.model.rowCount() == 0:
            self.status.setText(self.tr("Nothing found"))
        else:
            self.status.setText(
                self.tr("Found: %1").replace("%1", str(self.model.rowCount()))
                + ("+" if self.model.has_more else "")
            )
        if not more and self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))

    def _scrolled(self, value: int) -> None:
        bar = self.list.verticalScrollBar()
        if value >= bar.maximum() - 4 and self.model.has_more and not self.waiting:
            oldest = self.model.hits[-1].message.id if self.model.hits else None
            if oldest is not None:
                self.waiting = True
                self.sig_search.emit(self.asked, oldest)

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, Hit) and hit.message.id is not None:
            self.sig_jump.emit(hit.message.id)

    def clear(self) -> None:
        self.field.clear()
        self.status.clear()
        self.asked = ""
        self.model.reset(None)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.sig_closed.emit()
            return
        if e.key() == Qt.Key.Key_Down and self.field.hasFocus() and self.model.rowCount():
            self.list.setFocus()
            return
        super().keyPressEvent(e)
