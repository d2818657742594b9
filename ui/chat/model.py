"""The open chat's messages: beginInsertRows for new and older ones, dataChanged for delivery.

New messages are shown at most once every `BURST_MS`: the first at once, those that come
within it in one insert at its end (a specialist's own goes at once) — each insert costs the
view a layout of every row and a repaint, so a flood is shown in a few updates a second, not
one a message (docs/chat.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QTimer,
)

from app.core.domain import Message
from ui.common.roles import (
    ACCESSIBLE_ROLE,
    DISPLAY_ROLE,
    MESSAGE_KEY_ROLE,
    MESSAGE_ROLE,
    STEP_ROLE,
)
from ui.common.when import date_text

_Index = QModelIndex | QPersistentModelIndex
# new messages are inserted at most every BURST_MS while they keep coming (the first at once):
# a 16 ms frame never coalesces a flood's messages 20 ms apart (200 paints for 200, 7.8 ms of
# CPU each, measured); 50 ms (20 updates a second, faster than anyone reads) took 3.5 ms
BURST_MS = 50


def message_key(message: Message) -> str:
    return message.client_msg_id or f"id:{message.id}"


def day_text(day: date) -> str:
    """A date separator's text: "Today", "Yesterday" or the date."""
    today = datetime.now().astimezone().date()
    if day == today:
        return QCoreApplication.translate("ChatModel", "Today")
    if (today - day).days == 1:
        return QCoreApplication.translate("ChatModel", "Yesterday")
    return date_text(day)


def is_step(message: Message) -> bool:
    """A system line, not a message: a ticket's step (ui/tickets) or a call (ui/calls)."""
    return message.client_msg_id.startswith(("step:", "call:"))


def first_unread(messages: Sequence[Message], unread: int) -> str | None:
    """The key of the first of the last `unread` messages from the client, or None."""
    if unread <= 0:
        return None
    seen = 0
    for m in reversed(messages):
        if m.author.kind == "client":
            seen += 1
            if seen == unread:
                return message_key(m)
    return None


class ChatModel(QAbstractListModel):
    """Messages of one chat in ascending order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat_id: int | None = None
        self.user_id: int | None = None
        self.has_more = False
        self.unread_from: str | None = None  # the key of the first unread message at opening
        self.loaded = False  # the chat's first page is here (an empty chat says so)
        self.has_newer = False  # shown from a jump: newer pages are on the server
        self.highlight: str | None = None  # the key of the message jumped to
        self._messages: list[Message] = []
        self._keys: dict[str, int] = {}
        self._pending: list[Message] = []  # new messages waiting for the frame's end
        self._steps: dict[str, Message] = {}
        """The open chat's system lines (`insert_step`), kept across its pages: each one shown
        while the page shown covers its time, put back after a jump's reload."""
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(BURST_MS)
        self._frame.timeout.connect(self._frame_ended)

    def open(
        self,
        user_id: int,
        chat_id: int,
        messages: Sequence[Message],
        has_more: bool,
        unread: int = 0,
    ) -> None:
        self._pending.clear()
        self.beginResetModel()
        if chat_id != self.chat_id:
            self._steps.clear()
        self.unread_from = first_unread(messages, unread)
        self.loaded = True
        self.has_newer = False
        self.highlight = None
        self.user_id = user_id
        self.chat_id = chat_id
        self.has_more = has_more
        self._messages = self._with_steps(messages)
        self._reindex()
        self.endResetModel()

    def show_around(
        self, messages: Sequence[Message], has_older: bool, has_newer: bool, target: str
    ) -> None:
        """The chat shown around the message `target` (a key), which is highlighted."""
        self._pending.clear()
        self.beginResetModel()
        self.has_more, self.has_newer = has_older, has_newer
        self._messages = self._with_steps(messages)
        self.highlight = target
        self._reindex()
        self.endResetModel()

    def append_page(self, messages: Sequence[Message], has_newer: bool) -> None:
        """Newer history under a jump."""
        self._flush()
        shown = self._shown_span()
        self.has_newer = has_newer
        fresh = [m for m in messages if message_key(m) not in self._keys]
        fresh = self._with_steps(fresh, True, after=shown[1] if shown else None)
        if not fresh:
            return
        first = len(self._messages)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._messages.extend(fresh)
        self._reindex()
        self.endInsertRows()

    def clear(self) -> None:
        self._pending.clear()
        self._steps.clear()
        self.beginResetModel()
        self.user_id = self.chat_id = None
        self.has_more = False
        self.unread_from = None
        self.loaded = False
        self.has_newer = False
        self.highlight = None
        self._messages = []
        self._keys = {}
        self.endResetModel()

    def prepend(self, messages: Sequence[Message], has_more: bool) -> int:
        """Older history; returns how many rows were inserted at the top."""
        self._flush()
        shown = self._shown_span()
        self.has_more = has_more
        fresh = [m for m in messages if message_key(m) not in self._keys]
        fresh = self._with_steps(fresh, True, before=shown[0] if shown else None)
        if not fresh:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._messages[0:0] = fresh
        self._reindex()
        self.endInsertRows()
        return len(fresh)

    def add(self, message: Message) -> None:
        """A new message at the end: shown now, or at the end of this frame if one was shown
        in it already; a specialist's (one just sent) at once, with those waiting."""
        key = message_key(message)
        if key in self._keys:
            self.update(message)
            return
        for i, waiting in enumerate(self._pending):
            if message_key(waiting) == key:
                self._pending[i] = message
                return
        self._pending.append(message)
        if message.author.kind == "specialist":  # what was just sent shows at once
            self._flush()
        elif not self._frame.isActive():  # nothing shown in the last BURST_MS
            self._flush()
            self._frame.start()

    def _frame_ended(self) -> None:
        if self._pending:
            self._flush()
            self._frame.start()  # the next frame is throttled too while they keep coming

    def _flush(self) -> None:
        """The new messages waiting, inserted in one go."""
        if not self._pending:
            return
        fresh, self._pending = self._pending, []
        first = len(self._messages)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for message in fresh:
            self._keys[message_key(message)] = len(self._messages)
            self._messages.append(message)
        self.endInsertRows()

    def update(self, message: Message) -> None:
        self._flush()
        row = self._keys.get(message_key(message))
        if row is None:
            return
        if message_key(message) in self._steps:
            self._steps[message_key(message)] = message
        self._messages[row] = message
        index = self.index(row, 0)
        roles = [MESSAGE_ROLE, STEP_ROLE] if is_step(message) else [MESSAGE_ROLE]
        self.dataChanged.emit(index, index, roles)

    def _shown_span(self) -> tuple[datetime, datetime] | None:
        """The times of the oldest and the newest message shown (not system lines)."""
        sent = (m for m in self._messages if not is_step(m) and m.id is not None)
        oldest = next(sent, None)
        if oldest is None:
            return None
        newest = next(m for m in reversed(self._messages) if not is_step(m) and m.id is not None)
        return oldest.created_at, newest.created_at

    def _covers(self, line: Message, span: tuple[datetime, datetime] | None) -> bool:
        """Whether the page shown covers the system line's time: older history on the server
        ends it at its oldest message, newer pages at its newest."""
        if span is None:
            return not self.has_more and not self.has_newer
        return (not self.has_more or line.created_at >= span[0]) and (
            not self.has_newer or line.created_at <= span[1]
        )

    def _with_steps(
        self,
        messages: Sequence[Message],
        added: bool = False,
        before: datetime | None = None,
        after: datetime | None = None,
    ) -> list[Message]:
        """`messages` with the kept system lines that belong among them put in, in one pass:
        for a whole page (a reset), those its times cover; for a page `added` above what is
        shown (`before`: the oldest shown) or below it (`after`: the newest), those older or
        newer than that and not shown yet."""
        times = [m.created_at for m in messages if not is_step(m) and m.id is not None]
        times += [t for t in (before, after) if t is not None]
        page = (min(times), max(times)) if times else None
        lines = sorted(
            (
                line
                for key, line in self._steps.items()
                if not (added and key in self._keys)
                and self._covers(line, page)
                and (before is None or line.created_at < before)
                and (after is None or line.created_at > after)
            ),
            key=lambda line: line.created_at,
        )
        merged: list[Message] = []
        waiting = iter(lines)
        line = next(waiting, None)
        for message in messages:
            while line is not None and self._after(message, line):
                merged.append(line)
                line = next(waiting, None)
            merged.append(message)
        if line is not None:
            merged.append(line)
            merged.extend(waiting)
        return merged

    @classmethod
    def _place(cls, messages: Sequence[Message], line: Message) -> int:
        """Where a system line goes among `messages`: after those not later than it."""
        row = len(messages)
        while row > 0 and cls._after(messages[row - 1], line):
            row -= 1
        return row

    @staticmethod
    def _after(message: Message, line: Message) -> bool:
        """Whether ``message`` goes after the step ``line``: later, or still on its way (its
        time is this machine's; the step that its sending caused is the server's)."""
        return message.created_at > line.created_at or (message.id is None and not is_step(message))

    def message_at(self, row: int) -> Message | None:
        return self._messages[row] if 0 <= row < len(self._messages) else None

    def row_of(self, key: str) -> int:
        self._flush()  # a message asked for (a quote's original) is shown first
        return self._keys.get(key, -1)

    def oldest_id(self) -> int | None:
        self._flush()
        for m in self._messages:
            if m.id is not None:
                return m.id
        return None

    def _reindex(self) -> None:
        self._keys = {message_key(m): i for i, m in enumerate(self._messages)}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> object:
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._messages):
            return None
        message = self._messages[r]
        if role == MESSAGE_ROLE:
            return message
        if role in (DISPLAY_ROLE, ACCESSIBLE_ROLE):
            return message.text
        if role == MESSAGE_KEY_ROLE:
            return message_key(message)
        if role == STEP_ROLE:
            return message.text if is_step(message) else None
        return None

    def insert_step(self, line: Message) -> None:
        """A system line (a ticket's step, ui/tickets: a message keyed ``step:<id>``; a call,
        ui/calls: ``call:<id>``) among the messages by time; once."""
        self._flush()
        key = message_key(line)
        self._steps[key] = line
        if key in self._keys or not self._covers(line, self._shown_span()):
            return  # shown, or in a page not shown (it comes with that page)
        row = self._place(self._messages, line)
        self.beginInsertRows(QModelIndex(), row, row)
        self._messages.insert(row, line)
        self._reindex()
        self.endInsertRows()
