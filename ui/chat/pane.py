"""The chat pane (middle): the function bar, the problem banner, the chat with the open user,
the composer and Send.

Part of the window's first frame: the constructor builds light widgets only (the bar, an
empty stack, the composer) and `complete(desk)` the rest — the model, the view, the banner,
the drafts (tests/window/test_first_frame.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6 import QtCore
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.chat.composer import MAX_CHARS, Composer
from ui.chat.function_bar import FunctionBar
from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    from app.core import changes as ch
    from app.core.domain import Me, Message
    from ui.chat.drafts import Drafts
    from ui.chat.model import ChatModel
    from ui.chat.view import ChatView
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.parts import ProblemBanner
    from ui.mainwindow.seam import Core

log = logging.getLogger("linedesk.ui.chat")
T = TypeVar("T")


def paths_of(names: list[str]) -> list[Path]:
    return [Path(n) for n in names]


class ChatPane(QWidget):
    chat_model: ChatModel
    chat_view: ChatView
    drafts: Drafts
    banner: ProblemBanner
    _desk: Desk

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPane")
        mv = QVBoxLayout(self)
        mv.setContentsMargins(4, 8, 4, 8)
        mv.setSpacing(6)
        self._layout = mv
        self.bar = FunctionBar()
        mv.addWidget(self.bar)
        self.chat_stack = QStackedWidget()
        self.chat_placeholder = QLabel()  # its centred text comes with `complete()`
        self.chat_placeholder.setObjectName("chatPlaceholder")
        self.chat_stack.addWidget(self.chat_placeholder)
        mv.addWidget(self.chat_stack, 1)
        composer_row = QHBoxLayout()
        self.attach_button = QToolButton()  # compact: a glyph, its words in the tip
        self.attach_button.setText("📎")
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setToolTip(self.tr("Send a file (or drop it here, or paste an image)"))
        self.attach_button.setEnabled(False)
        attach_column = QVBoxLayout()
        attach_column.addStretch(1)
        attach_column.addWidget(self.attach_button)
        self.search_button = QToolButton()
        self.search_button.setText("🔍")
        self.search_button.setObjectName("chatSearchButton")
        self.search_button.setToolTip(self.tr("Search this chat's history (Ctrl+Shift+F)"))
        self.search_button.setEnabled(False)
        attach_column.insertWidget(1, self.search_button)
        composer_row.addLayout(attach_column)
        self.composer = Composer()
        self.composer.setEnabled(False)
        composer_row.addWidget(self.composer, 1)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setEnabled(False)
        send_column = QVBoxLayout()  # the button sits at the composer's bottom
        send_column.addStretch(1)
        send_column.addWidget(self.send_button)
        composer_row.addLayout(send_column)
        mv.addLayout(composer_row)
        self.line_id: int | None = None  # the line the open chat was opened on
        self.other_chat_id: int | None = None  # the open chat when it is no user's (a group's)
        self.focus_elsewhere: Callable[[], bool] = lambda: False
        """Whether the specialist is busy in another pane (the search, the list): a chat
        that opens then does not take the focus to the composer."""

    def complete(self, desk: Desk) -> None:
        from ui.chat.drafts import Drafts
        from ui.chat.model import ChatModel
        from ui.chat.view import ChatView
        from ui.mainwindow.parts import ProblemBanner

        Qt = QtCore.Qt
        self._desk = desk
        self.bar.complete(desk.actions)
        self.chat_placeholder.setText(self.tr("Choose a user on the left to open the chat"))
        self.chat_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chat_placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.drafts = Drafts(self.composer, self)
        self.banner = ProblemBanner()
        self._layout.insertWidget(1, self.banner)
        self.chat_model = ChatModel(self)
        self.chat_view = ChatView(self.chat_model)
        self.chat_view.sig_load_older.connect(self._load_older)
        self.chat_view.sig_retry.connect(self._retry)
        self.chat_stack.addWidget(self.chat_view)
        self.composer.sig_send.connect(self._send)
        self.composer.sig_too_long.connect(self._too_long)
        self.send_button.clicked.connect(self.composer.submit)
        from ui.chat.files import ChatFiles

        self.files = ChatFiles(self)
        self._layout.insertWidget(self._layout.count() - 1, self.files.bar)
        self.attach_button.clicked.connect(self.files.choose)
        self.composer.sig_image_pasted.connect(self.files.send_image)
        self.composer.sig_files_pasted.connect(lambda ps: self.files.send_paths(paths_of(ps)))
        self.chat_view.sig_save_file.connect(self.files.save_as)
        self.chat_view.sig_open_file.connect(self.files.open)
        desk.sig_save_file.connect(self.files.save_as)  # the info panel's files
        desk.sig_open_file.connect(self.files.open)
        self.setAcceptDrops(True)
        from PySide6.QtGui import QKeySequence, QShortcut

        from ui.chat.jump import ChatJumps

        self.jumps = ChatJumps(self)
        self._search_command = desk.actions[MainAction.SEARCH_CHAT]
        desk.actions.bind(self)
        self.search_button.clicked.connect(self._search_command.trigger)
        from ui.chat.notify import ChatNotifier
        from ui.chat.quotes import QuoteBar
        from ui.chat.thumbs import Thumbnails

        self.notifier = ChatNotifier(self)

        self.thumbs = Thumbnails(self)
        self.chat_view.chat_delegate.thumbnails = self.thumbs.get
        self.thumbs.sig_ready.connect(lambda _id: self.chat_view.relayout())

        self.quote_bar = QuoteBar()
        self._layout.insertWidget(self._layout.count() - 1, self.quote_bar)
        self.quote_bar.sig_dropped.connect(self.quote_bar.clear)
        self.chat_view.sig_quote.connect(self._quote)
        self.chat_view.sig_delete.connect(self.ask_delete)
        self.chat_view.chat_delegate.sig_quote_clicked.connect(self.jumps.jump)
        quote = QShortcut(QKeySequence(self.tr("Ctrl+Shift+Q")), self)
        quote.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        quote.activated.connect(self.chat_view.quote_current)
        desk.sig_user_opened.connect(self.open_user)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.SignedIn, self._on_signed_in)
        bridge.handle(ch.UserChanged, self._on_user_changed)
        bridge.handle(ch.UsersReset, self._on_users_reset)
        bridge.handle(ch.ChatOpened, self._on_chat_opened)
        bridge.handle(ch.HistoryPrepended, self._on_history_prepended)
        bridge.handle(ch.MessageAdded, self._on_message_added)
        bridge.handle(ch.MessageUpdated, self._on_message_updated)
        bridge.handle(ch.Problem, self._on_problem)
        bridge.handle(ch.UserTyping, self._on_typing)
        bridge.handle(ch.ChatAlert, self.notifier.on_alert)

    def attach(self, workplace: Core) -> None:
        self.drafts.store = workplace
        if workplace.me is not None:
            self._show_me(workplace.me)

    # ------------------------------------------------------------- intents
    def open_user(self, user_id: int) -> None:
        """The chat with `user_id`: its draft, its header, then its messages (asked for)."""
        workplace = self._desk.workplace
        self.other_chat_id = None
        self.drafts.switch(workplace.users.chat_id(user_id) if workplace is not None else None)
        self.bar.show_row(self._desk.row(user_id))
        self.chat_model.clear()
        self.jumps.forget()
        self.quote_bar.clear()
        self.line_id = workplace.current_line_id if workplace is not None else None
        self.chat_stack.setCurrentWidget(self.chat_view)
        self._enable(False)
        if workplace is not None:
            self._desk.spawn(workplace.open_chat(user_id))

    def open_chat_of(
        self,
        chat_id: int,
        title: str,
        subtitle: str,
        opening: Callable[[], Coroutine[Any, Any, Any]],
    ) -> None:
        """A chat that is no user's (a group's, ui/groups/): its draft and header, then its
        messages (`opening` asks for them); no user is open meanwhile."""
        self._desk.user_id = None
        self.other_chat_id = chat_id
        self.drafts.switch(chat_id)
        self.bar.show_title(title, subtitle)
        self.chat_model.clear()
        self.jumps.forget()
        self.quote_bar.clear()
        self.line_id = None
        self.chat_stack.setCurrentWidget(self.chat_view)
        self._enable(False)
        self._desk.spawn(opening())

    def open_from_alert(self, user_id: int) -> None:
        """A notification's chat: opened (the list's own row when it shows the user)."""
        self._desk.open_user(user_id)

    def ask_delete(self, message: Message) -> None:
        """Delete my message, once the specialist says so (a box that does not block)."""
        from PySide6.QtWidgets import QAbstractButton, QMessageBox

        from app.chat.deletion import DELETE

        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete the message"),
            self.tr("Delete this message for everyone? The user will see that it was deleted."),
            buttons,
            self,
        )
        box.setObjectName("deleteMessageBox")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        workplace = self._desk.workplace

        def clicked(button: QAbstractButton) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes and workplace:
                self._desk.spawn(workplace.act(DELETE, message.chat_id, message.client_msg_id))

        box.buttonClicked.connect(clicked)
        box.open()

    def _quote(self, message: Message) -> None:
        if message.deleted:
            return
        if message.chat_id == self.chat_model.chat_id and message.id is not None:
            self.quote_bar.quote(message)
            self.composer.setFocus()

    def _enable(self, on: bool) -> None:
        self.composer.setEnabled(on)
        self.send_button.setEnabled(on)
        self.attach_button.setEnabled(on)
        self.search_button.setEnabled(on)
        self._search_command.setEnabled(on)
        self._search_command.set_applies(on)

    @add_action(
        MainAction.SEARCH_CHAT,
        text=QT_TRANSLATE_NOOP("Actions", "Search in chat"),
        tip=QT_TRANSLATE_NOOP("Actions", "Search this chat's history"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+F"),
        enabled=False,
        bar=True,
        user=True,
    )
    def search_chat(self) -> None:
        self.jumps.open_search()

    def workplace(self) -> Core | None:
        return self._desk.workplace

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        return self._desk.spawn(coro)

    # files dropped on the pane (the chat or the composer) are sent to the open chat
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        from ui.chat.composer import local_files

        if self.chat_model.chat_id is not None and local_files(e.mimeData()):
            e.acceptProposedAction()

    def dragMoveEvent(self, e: QDragMoveEvent) -> None:
        if self.chat_model.chat_id is not None:
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        from ui.chat.composer import local_files

        files = local_files(e.mimeData())
        if files and self.chat_model.chat_id is not None:
            e.acceptProposedAction()
            self.files.send_paths(paths_of(files))

    def _load_older(self) -> None:
        chat_id = self.chat_model.chat_id
        workplace = self._desk.workplace
        if workplace is None or chat_id is None:
            self.chat_view.older_loaded()
            return
        task = self._desk.spawn(workplace.load_older(chat_id))
        task.add_done_callback(lambda _t: self.chat_view.older_loaded())

    def _send(self, text: str) -> None:
        chat_id = self.chat_model.chat_id
        workplace, user_id = self._desk.workplace, self.chat_model.user_id
        if workplace is not None and chat_id is not None:
            jumped = self.chat_model.has_newer
            quoted, part = self.quote_bar.message, self.quote_bar.fragment()
            workplace.send(chat_id, text, quoted.id if quoted is not None else None, part)
            self.quote_bar.clear()
            self.drafts.sent()
            if jumped and user_id:  # back to the present, the reply at the end (a user's chat)
                self._desk.spawn(workplace.open_chat(user_id))

    def _too_long(self, length: int) -> None:
        self.banner.show_problem(
            self.tr(
                "The message is too long: %1 characters, at most %2 fit in one. "
                "Shorten it or split it in two; the text stays in the input field."
            )
            .replace("%1", f"{length:,}".replace(",", "\u00a0"))
            .replace("%2", f"{MAX_CHARS:,}".replace(",", "\u00a0"))
        )

    def _retry(self, client_msg_id: str) -> None:
        chat_id = self.chat_model.chat_id
        if self._desk.workplace is not None and chat_id is not None:
            self._desk.workplace.retry(chat_id, client_msg_id)

    # ------------------------------------------------------------- changes
    def _on_signed_in(self, change: ch.SignedIn) -> None:
        self._show_me(change.me)

    def _show_me(self, me: Me) -> None:
        self.chat_view.chat_delegate.my_id = me.id

    def _on_user_changed(self, change: ch.UserChanged) -> None:
        if change.row.id == self._desk.user_id:
            self.bar.show_row(change.row)

    def _on_users_reset(self, change: ch.UsersReset) -> None:
        """Another line chosen: the chat of a user who is not on it closes, so no reply can
        go to a user the list no longer shows (a search on the same line keeps it)."""
        user_id = self._desk.user_id
        if user_id is None or change.line_id == self.line_id or user_id in change.ids:
            return
        self.close_chat()

    def close_chat(self) -> None:
        """No chat: the placeholder, no header, the composer off (its draft kept); no user
        open, so the info panel empties and the commands for a user go off (Desk)."""
        self.drafts.switch(None)
        self.other_chat_id = None
        self.line_id = None
        self.chat_model.clear()
        self.jumps.forget()
        self.quote_bar.clear()
        self.bar.show_row(None)
        self._enable(False)
        self.chat_stack.setCurrentWidget(self.chat_placeholder)
        self._desk.close_user()

    def _on_chat_opened(self, change: ch.ChatOpened) -> None:
        if self.other_chat_id is not None:
            if change.chat_id != self.other_chat_id:
                return
        elif change.user_id != self._desk.user_id:
            return
        row = self._desk.row(change.user_id) if change.user_id else None
        unread = row.unread if row is not None else 0
        self.chat_model.open(
            change.user_id, change.chat_id, change.messages, change.has_more, unread
        )
        self._enable(True)
        if not self.focus_elsewhere():
            self.composer.setFocus()

    def _on_history_prepended(self, change: ch.HistoryPrepended) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.prepend(change.messages, change.has_more)
            self.chat_view.older_loaded()

    def _on_message_added(self, change: ch.MessageAdded) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.add(change.message)
            if change.message.author.kind == "client":
                self.bar.typing(False)  # they sent what they typed

    def _on_typing(self, change: ch.UserTyping) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.bar.typing(True)

    def _on_message_updated(self, change: ch.MessageUpdated) -> None:
        if change.chat_id == self.chat_model.chat_id:
            self.chat_model.update(change.message)

    def _on_problem(self, change: ch.Problem) -> None:
        from ui.common.problem_texts import problem_detail, problem_text

        log.warning("problem shown: %s (%s)", change.code, change.detail)
        self.banner.show_problem(
            problem_text(change.code), problem_detail(change.code, change.detail)
        )
