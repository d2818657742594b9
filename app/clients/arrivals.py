"""Messages that arrive live while a page of their chat is on its way: each page in flight
catches them (two pages of one chat each their own), and a page that reaches the present
takes those it does not have — written after the server read the page — after it."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.core.domain import Delivery, Message

if TYPE_CHECKING:
    from app.clients.chats import ChatState


class Arrivals:
    def __init__(self) -> None:
        self._pages: dict[int, list[list[Message]]] = {}  # chat id → a list per page in flight

    @contextlib.contextmanager
    def catching(self, chat_id: int) -> Iterator[list[Message]]:
        """While a page of the chat is on its way: what arrives live meanwhile."""
        caught: list[Message] = []
        self._pages.setdefault(chat_id, []).append(caught)
        try:
            yield caught
        finally:
            left = [c for c in self._pages[chat_id] if c is not caught]
            if left:
                self._pages[chat_id] = left
            else:
                del self._pages[chat_id]

    def heard(self, msg: Message) -> None:
        """A message arrived live: every page of its chat in flight catches it."""
        for caught in self._pages.get(msg.chat_id, ()):
            caught.append(msg)


def catch_up(chat: ChatState, caught: list[Message]) -> list[Message]:
    """A page that reaches the present is in `chat`: the messages caught while it was on its
    way that it does not have go after it, in the log's order (returned)."""
    added = [
        dataclasses.replace(m, delivery=Delivery.SENT)
        for m in sorted(caught, key=lambda m: m.id or 0)
        if m.id not in chat.ids
    ]
    chat.messages.extend(added)
    chat.ids.update(m.id for m in added if m.id is not None)
    return added
