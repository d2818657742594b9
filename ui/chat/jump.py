"""The chat pane's search and jumps: the search panel's requests, a hit (or a quote) shown
in place — the chat reloaded around it, highlighted — and the newer pages under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.chat import search as core_search
from app.clients import chats as core_chats
from app.core.domain import Message
from ui.chat.model import message_key
from ui.chat.search import SearchPanel

if TYPE_CHECKING:
    import asyncio

    from app.chat.search import Found
    from ui.chat.pane import ChatPane


class ChatJumps(QObject):
    sig_shown = Signal(int)
    """The chat is shown around this message id (highlighted)."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.panel = SearchPanel()
        self.panel.sig_search.connect(self.search)
        self.panel.sig_jump.connect(self.jump_to_hit)
        self.panel.sig_closed.connect(self.close_search)
        pane.chat_stack.addWidget(self.panel)
        pane.chat_view.sig_load_newer.connect(self.load_newer)

    # -- the search panel -------------------------------------------------------------------
    def open_search(self) -> None:
        if self._pane.chat_model.chat_id is None:
            return
        self._pane.chat_stack.setCurrentWidget(self.panel)
        self.panel.field.setFocus()
        self.panel.field.selectAll()

    def close_search(self) -> None:
        if self._pane.chat_stack.currentWidget() is self.panel:
            self._pane.chat_stack.setCurrentWidget(self._pane.chat_view)
            self._pane.composer.setFocus()

    def forget(self) -> None:
        """Another chat (or none): the search is this chat's."""
        self.panel.clear()
        if self._pane.chat_stack.currentWidget() is self.panel:
            self._pane.chat_stack.setCurrentWidget(self._pane.chat_view)

    def search(self, text: str, before: int | None) -> None:
        workplace, chat_id = self._pane.workplace(), self._pane.chat_model.chat_id
        if workplace is None or chat_id is None:
            return
        task = self._pane.spawn(workplace.act(core_search.SEARCH, chat_id, text, before))

        def done(t: asyncio.Task[Found | None]) -> None:
            if not t.cancelled() and self._pane.chat_model.chat_id == chat_id:
                self.panel.show_found(t.result(), more=before is not None)

        task.add_done_callback(done)

    # -- in place ----------------------------------------------------------------------------
    def jump_to_hit(self, message_id: int) -> None:
        """A search hit shown in place, its first match in sight (unfolded if folded away)."""
        hit = next((h for h in self.panel.model.hits if h.message.id == message_id), None)
        self.jump(message_id, hit.spans[0][0] if hit is not None and hit.spans else None)

    def jump(self, message_id: int, at: int | None = None) -> None:
        """Show the chat around `message_id` (loaded from the server when not here); `at`:
        a character of it to show (a search's match)."""
        pane = self._pane
        workplace, chat_id = pane.workplace(), pane.chat_model.chat_id
        if workplace is None or chat_id is None:
            return
        task = pane.spawn(workplace.act(core_chats.JUMP, chat_id, message_id))

        def done(t: asyncio.Task[tuple[list[Message], bool, bool] | None]) -> None:
            if t.cancelled() or pane.chat_model.chat_id != chat_id:
                return
            page = t.result()
            if page is None:  # closed, or the server did not answer: its Problem is shown
                return
            target = next((m for m in page[0] if m.id == message_id), None)
            if target is None:
                pane.banner.show_problem(
                    self.tr("That message is not in this chat any more (deleted or hidden).")
                )
                return
            if target.deleted:  # a quote's original, deleted by its author
                pane.banner.show_problem(self.tr("The quoted message was deleted."))
                return
            messages, older, newer = page
            self.close_search()
            pane.chat_view.reveal = None if at is None else (message_key(target), at)
            pane.chat_model.show_around(messages, older, newer, message_key(target))
            self.sig_shown.emit(message_id)

        task.add_done_callback(done)

    def load_newer(self) -> None:
        pane = self._pane
        workplace, chat_id = pane.workplace(), pane.chat_model.chat_id
        if workplace is None or chat_id is None:
            pane.chat_view.newer_loaded()
            return
        task = pane.spawn(workplace.act(core_chats.LOAD_NEWER, chat_id))

        def done(t: asyncio.Task[tuple[list[Message], bool] | None]) -> None:
            pane.chat_view.newer_loaded()
            if (
                t.cancelled()
                or pane.chat_model.chat_id != chat_id
                or not pane.chat_model.has_newer  # opened again meanwhile: the present shown
                or t.result() is None
            ):
                return
            messages, newer = t.result()  # type: ignore[misc]
            pane.chat_model.append_page(messages, newer)

        task.add_done_callback(done)
