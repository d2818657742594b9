"""The chat pane: the message list (pages in older history at the top) and the composer."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.domain import Delivery, FileRef, Message
from ui.chat import fold
from ui.chat.bubble import Layout
from ui.chat.delegate import ChatDelegate
from ui.chat.model import ChatModel, is_step, message_key
from ui.common.roles import DISPLAY_ROLE, MESSAGE_KEY_ROLE, MESSAGE_ROLE
from ui.common.text import FSI, PDI, is_allowed_url

LOAD_OLDER_MARGIN = 40  # px from the top that asks for the previous page


class ChatView(QListView):
    sig_load_older = Signal()
    """Scrolled to the top while the chat has more history."""
    sig_save_file = Signal(object)
    """Save as… a message's file: the FileRef."""
    sig_open_file = Signal(object)
    """Open a message's file (saved first): the FileRef."""
    sig_load_newer = Signal()
    """Scrolled to the bottom of a chat shown from a jump (newer pages on the server)."""
    sig_quote = Signal(object)
    """Quote this message (a Message) in the reply."""
    sig_retry = Signal(str)
    """The specialist asked to resend a failed message: its client_msg_id."""
    sig_delete = Signal(object)
    """The specialist asked to delete their own message (a Message)."""

    def __init__(self, model: ChatModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self._model = model
        self.setModel(model)
        self.chat_delegate = ChatDelegate(self)
        self.chat_delegate.chat_model = model
        self.setItemDelegate(self.chat_delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setUniformItemSizes(False)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.chat_delegate.sig_link_activated.connect(self._open_link)
        self.chat_delegate.sig_retry_requested.connect(self.sig_retry)
        self.chat_delegate.sig_file_clicked.connect(self._file_menu)
        self.chat_delegate.sig_fold_clicked.connect(self.toggle_fold)
        self.folds = self.chat_delegate.folds  # per chat: kept across its reloads and others
        self.reveal: tuple[str, int] | None = None
        """The message to show next (a search hit: its key, where its match starts): unfolded
        when the match is in its folded part, the match in the middle (`show_message`)."""
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().actionTriggered.connect(self._user_scrolled)
        self._want_bottom = False
        self._loading_older = False
        self._loading_newer = False
        self._stick_to_bottom = True
        model.rowsAboutToBeInserted.connect(self._before_insert)
        model.rowsInserted.connect(self._after_insert)
        model.modelReset.connect(self._after_reset)
        model.dataChanged.connect(self._changed)
        self._anchor: tuple[QPersistentModelIndex, int] | None = None  # (top row, its bottom)

    # -- history paging -------------------------------------------------------
    def scroll_to_bottom_soon(self) -> None:
        """After the pending layout; cancelled if the specialist scrolls meanwhile."""
        self._want_bottom = True
        QTimer.singleShot(0, self._bottom)

    def _bottom(self) -> None:
        if self._want_bottom:
            self._want_bottom = False
            self.scrollToBottom()
            self._scrolled(self.verticalScrollBar().value())  # a page shorter than the view

    def _user_scrolled(self, _action: int) -> None:
        """The specialist scrolls: no more pulled to the bottom; up at the top (where the
        value may not change), the older history."""
        self._want_bottom = False
        self._scrolled(self.verticalScrollBar().sliderPosition())

    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 4 and not self._model.has_newer
        if (
            value >= bar.maximum() - LOAD_OLDER_MARGIN
            and self._model.has_newer
            and not self._loading_newer
            and self._model.rowCount() > 0
        ):
            self._loading_newer = True
            self.sig_load_newer.emit()
        if (
            value <= LOAD_OLDER_MARGIN
            and self._model.has_more
            and not self._loading_older
            and self._model.rowCount() > 0
        ):
            self._loading_older = True
            self.sig_load_older.emit()

    def older_loaded(self) -> None:
        """The Workplace answered a load_older (with or without rows)."""
        self._loading_older = False

    def _before_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        """Rows coming above the end (older history, a system line by its time): the row
        at the top of the view is remembered, to stay where it is on screen — by its bottom:
        its date line above the bubble goes when the rows put above it are of its day."""
        self._anchor = None
        rows = self._model.rowCount()
        if first >= rows or (first > 0 and self._stick_to_bottom):
            return  # at the end, or kept at the bottom (`_after_insert`)
        top = self._top_row()
        if top >= 0:
            index = self._model.index(top, 0)
            self._anchor = (QPersistentModelIndex(index), self.visualRect(index).bottom())

    def _top_row(self) -> int:
        """The first row seen in the view (-1: none): rows are laid out top to bottom."""
        low, high = 0, self._model.rowCount() - 1
        while low < high:
            middle = (low + high) // 2
            if self.visualRect(self._model.index(middle, 0)).bottom() < 0:
                low = middle + 1
            else:
                high = middle
        return low if high >= 0 else -1

    def _after_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._anchor is not None:
            anchor, bottom = self._anchor
            self._anchor = None
            if first == 0:
                self._loading_older = False
            if anchor.isValid():
                self.doItemsLayout()
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + self.visualRect(anchor).bottom() - bottom)
            return
        if first < self._model.rowCount() - (last - first + 1):
            if self._stick_to_bottom:
                self.scroll_to_bottom_soon()
            return  # in the middle, not seen: the place was kept
        message = self._model.message_at(last)
        mine = (  # just sent: shown; a colleague's or a system line (ticket steps are
            message is not None  # a specialist's) does not pull a reader who scrolled up
            and not is_step(message)
            and message.author.kind == "specialist"
            and message.author.id == self.chat_delegate.my_id
        )
        if self._stick_to_bottom or (mine and not self._model.has_newer):
            self.scroll_to_bottom_soon()

    def _after_reset(self) -> None:
        self.chat_delegate.forget()
        self._loading_older = False
        self._loading_newer = False
        target = self._model.highlight
        if target is not None:  # shown around a message: that one in the middle
            self._stick_to_bottom = False
            self._want_bottom = False
            QTimer.singleShot(0, lambda: self.show_message(target))
            return
        self._stick_to_bottom = True
        self.scroll_to_bottom_soon()

    def show_message(self, key: str) -> bool:
        """Scroll the message `key` to the middle of the view (False: not in the chat); a
        search hit's match (`reveal`) shown, its message unfolded when it was folded away."""
        row = self._model.row_of(key)
        if row < 0:
            return False
        index = self._model.index(row, 0)
        at, self.reveal = (self.reveal[1] if self.reveal and self.reveal[0] == key else None), None
        text = str(index.data(DISPLAY_ROLE))
        self.doItemsLayout()
        if at is not None and fold.hidden(self._bubble(index), text, at):
            self.toggle_fold(key)
        hint = QAbstractItemView.ScrollHint.PositionAtCenter
        if self.visualRect(index).height() > self.viewport().height():  # an unfolded long one
            hint = QAbstractItemView.ScrollHint.PositionAtTop  # from its beginning
        self.scrollTo(index, hint)
        placed = self._bubble(index) if at is not None else None
        if at is not None and placed is not None:  # the match's line in the middle
            middle = self.viewport().height() / 2
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + int(fold.text_y(placed, text, at) - middle))
        self.viewport().update()
        return True

    def _bubble(self, index: QModelIndex) -> tuple[Layout, QTextDocument] | None:
        return self.chat_delegate.bubble_at(index, self.visualRect(index), self.font())

    def toggle_fold(self, key: str) -> None:
        """«Show all» / «Collapse» of the long message `key`, the reader's place kept: its
        top stays where it is on screen, and when it folds with its top above the view, what
        was under it stays put (the link clicked stays under the pointer)."""
        row = self._model.row_of(key)
        if row < 0:
            return
        index = self._model.index(row, 0)
        before = self.visualRect(index)
        unfolded = self.folds.toggle(self._model.chat_id, key)
        self.chat_delegate.forget_height(key)
        self.doItemsLayout()
        after = self.visualRect(index)
        moved = after.top() - before.top()
        if not unfolded and before.top() < 0:
            moved = after.bottom() - before.bottom()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + moved)
        self._want_bottom = False  # the reader's place, not the bottom
        self._stick_to_bottom = bar.value() >= bar.maximum() - 4 and not self._model.has_newer
        self.viewport().update()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        """Enter or Space on the current message (the arrows move it) unfolds or folds it."""
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        index = self.currentIndex()
        placed = self._bubble(index) if e.key() in keys and index.isValid() else None
        if placed is not None and placed[0].more is not None:
            self.toggle_fold(str(index.data(MESSAGE_KEY_ROLE)))
            return
        super().keyPressEvent(e)

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        """Only those rows repainted: QListView's own lays every row out again and repaints
        the whole chat for each delivery tick; `_changed` re-lays out when a height moved."""
        QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))

    def _changed(self, first: QModelIndex, last: QModelIndex, _roles: object = None) -> None:
        """Messages changed in place (delivered, deleted, edited): measured again, and the
        chat laid out again if a height changed."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        moved = False
        for row in range(first.row(), last.row() + 1):
            message = self._model.message_at(row)
            if message is None:
                continue
            key = message_key(message)
            before = self.chat_delegate.known_height(key)
            self.chat_delegate.forget_height(key)
            height = self.chat_delegate.sizeHint(option, self._model.index(row, 0)).height()
            moved = moved or before != height
        if moved:
            self.scheduleDelayedItemsLayout()

    def relayout(self) -> None:
        """Rows changed height (a thumbnail came): measured again, the bottom kept."""
        stick = self._stick_to_bottom
        self.chat_delegate.forget_heights()
        self.scheduleDelayedItemsLayout()
        if stick:
            self.scroll_to_bottom_soon()

    def newer_loaded(self) -> None:
        self._loading_newer = False

    def resizeEvent(self, e: QResizeEvent) -> None:
        stick = self._stick_to_bottom
        super().resizeEvent(e)
        if stick:
            self.scroll_to_bottom_soon()

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if self._model.rowCount() == 0 and self._model.loaded:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect(), int(Qt.AlignmentFlag.AlignCenter.value), self.empty_text()
            )

    def empty_text(self) -> str:
        """What an opened chat with no messages shows."""
        return self.tr("No messages yet")

    def quote_current(self) -> None:
        """The quote shortcut: the message under the keyboard's current row, else the
        newest one from someone else."""
        index = self.currentIndex()
        message = index.data(MESSAGE_ROLE) if index.isValid() else None
        if not isinstance(message, Message) or message.id is None or message.deleted:
            message = next(
                (
                    m
                    for r in range(self._model.rowCount() - 1, -1, -1)
                    if (m := self._model.message_at(r)) is not None
                    and m.id is not None
                    and not m.deleted
                    and m.author.kind != "specialist"
                ),
                None,
            )
        if message is not None:
            self.sig_quote.emit(message)

    # -- links, retry, copy -----------------------------------------------
    def _open_link(self, url: str) -> None:
        if is_allowed_url(url):
            QDesktopServices.openUrl(QUrl(url))

    def _add_file_actions(self, menu: QMenu, file: FileRef) -> None:
        save = menu.addAction(self.tr("Save file as…"))
        save.triggered.connect(lambda: self.sig_save_file.emit(file))
        open_ = menu.addAction(self.tr("Open file"))
        open_.triggered.connect(lambda: self.sig_open_file.emit(file))

    def _file_menu(self, file: FileRef, where: QPoint) -> None:
        """A click on a file's box: Save as… or Open."""
        menu = QMenu(self)
        menu.setObjectName("fileMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._add_file_actions(menu, file)
        menu.popup(where)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        message = index.data(MESSAGE_ROLE) if index.isValid() else None
        if not isinstance(message, Message) or message.deleted:
            return
        menu = QMenu(self)
        menu.setObjectName("messageMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if message.file is not None:
            self._add_file_actions(menu, message.file)
        if message.id is not None:
            quote = menu.addAction(self.tr("Quote"))
            quote.setShortcut(self.tr("Ctrl+Shift+Q"))
            quote.triggered.connect(lambda: self.sig_quote.emit(message))
        copy = menu.addAction(self.tr("Copy text"))
        copied = message.text  # a system line's names come isolated: copied without them
        if is_step(message):
            copied = copied.replace(FSI, "").replace(PDI, "")
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(copied))
        link = self.chat_delegate.link_at(
            index, self.visualRect(index), self.font(), pos.toPointF()
        )
        if link and is_allowed_url(link):
            copy_link = menu.addAction(self.tr("Copy link"))
            copy_link.triggered.connect(lambda: QGuiApplication.clipboard().setText(link))
        mine = message.author.kind == "specialist" and message.author.id == self.chat_delegate.my_id
        if mine and message.id is not None:
            delete = menu.addAction(self.tr("Delete…"))
            delete.triggered.connect(lambda: self.sig_delete.emit(message))
        if message.delivery is Delivery.FAILED:
            retry = menu.addAction(self.tr("Send again"))
            key = message.client_msg_id
            retry.triggered.connect(lambda: self.sig_retry.emit(key))
        menu.popup(self.viewport().mapToGlobal(pos))
