"""The core as the window sees it: Protocols the Workplace (app/workplace.py) satisfies, and a
test's fake may. Only for the type checker: nothing here runs (the panes import it under
TYPE_CHECKING), so the first frame does not load the core's types.

What the window may call is in docs/client.md ("Workplace — what ui/ may call").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.clients.userfilter import UserFilter
    from app.core.changes import Change
    from app.core.domain import Colleague, Line, Me, Status, UserRow


class Users(Protocol):
    """The current line's users: ids in display order, rows lazily."""

    @property
    def ids(self) -> Sequence[int]: ...

    def row(self, user_id: int) -> UserRow:
        """The full row; KeyError while it is not here (then it is fetched, and a
        `UserChanged` says so)."""
        ...

    def get(self, user_id: int) -> UserRow | None:
        """The row if it is here; never asks for it."""
        ...

    def chat_id(self, user_id: int) -> int | None: ...

    @property
    def line_id(self) -> int: ...

    @property
    def streaming(self) -> bool: ...

    @property
    def complete(self) -> bool: ...

    @property
    def active_days(self) -> int: ...

    @property
    def pinned(self) -> frozenset[int]:
        """My list on the line (kept on the server)."""
        ...

    @property
    def favourites(self) -> frozenset[int]:
        """My favourites on the line (kept on the server)."""
        ...

    @property
    def filter(self) -> UserFilter:
        """The list's filter on the line (kept in the settings)."""
        ...

    @property
    def hidden(self) -> int:
        """Users a streaming line's list leaves out now."""
        ...

    @property
    def terms(self) -> tuple[str, ...]:
        """The query's words as compared (lower-cased, ё as е)."""
        ...


class UsersCore(Protocol):
    """What the users pane reads and asks (ui/clients/pane.py)."""

    @property
    def users(self) -> Users: ...

    @property
    def lines(self) -> tuple[Line, ...]: ...

    @property
    def current_line_id(self) -> int | None: ...

    async def select_line(self, line_id: int) -> None: ...

    def search(self, query: str) -> None: ...


class ChatCore(Protocol):
    """What the chat pane asks (ui/chat/pane.py), the drafts included."""

    async def open_chat(self, user_id: int) -> None: ...

    async def load_older(self, chat_id: int) -> None: ...

    def send(
        self, chat_id: int, text: str, quote_id: int | None = None, quote_text: str = ""
    ) -> object: ...

    def retry(self, chat_id: int, client_msg_id: str) -> None: ...

    def draft(self, chat_id: int) -> str: ...

    def keep_draft(self, chat_id: int, text: str) -> None: ...

    async def act(self, intent: str, *args: Any) -> Any: ...


class CardCore(Protocol):
    """What the side panel asks (ui/side/pane.py)."""

    async def load_card(self, user_id: int) -> None: ...


class TicketsCore(Protocol):
    """What the tickets feature asks (ui/tickets/)."""

    async def finish_ticket(self, user_id: int) -> None: ...
    @property
    def colleagues(self) -> dict[int, Colleague]: ...
    def server_now(self) -> datetime: ...


class StatusCore(Protocol):
    """What the status area reads and asks (ui/mainwindow/status_area.py)."""

    @property
    def me(self) -> Me | None: ...

    @property
    def status(self) -> Status: ...

    async def set_status(self, status: Status) -> None: ...

    def reconnect_now(self) -> None: ...


class Core(UsersCore, ChatCore, CardCore, TicketsCore, StatusCore, Protocol):
    """The Workplace as the window holds it."""

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]: ...

    async def act(self, intent: str, *args: Any) -> Any:
        """An intent a part of the core registered, by name (never raises)."""
        ...

    def window_seen(self, seen: bool) -> None: ...

    def activity(self) -> None: ...

    def engaged(self, what: str, on: bool) -> None: ...

    async def avatar(self, url: str) -> bytes | None: ...

    async def close(self) -> None: ...


__all__ = ["CardCore", "ChatCore", "Core", "StatusCore", "TicketsCore", "Users", "UsersCore"]
