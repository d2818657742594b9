"""Who holds a user's open ticket, in words for the users list's row and the chat header:
"yours" (the list also rings the avatar), a colleague's name, or how long it has waited in
the queue. Light (the users model asks it while painting): no Qt widgets, no core types
beyond the row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # (lupdate knows the name: the words are marked)

if TYPE_CHECKING:
    from app.core.domain import UserRow

AMBER_MINUTES = 3
RED_MINUTES = 5
"""The reply-time guard (seed 000, 4.2) until the line's own settings are here: a waiting
user is amber at 3 minutes, red at 5."""


class Holders:
    """What the words need: who I am and my colleagues' names (kept by ui/tickets)."""

    def __init__(self) -> None:
        self.my_id: int | None = None
        self.names: dict[int, str] = {}
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        """Now (a test moves it on rather than waiting minutes)."""
        self.amber = AMBER_MINUTES
        self.red = RED_MINUTES
        """The current line's guard minutes (its settings on the server)."""

    def shown(self, row: UserRow, *, in_list: bool = False) -> tuple[str, int]:
        """The words for the row and the header, and the guard's level: 0, 1 amber, 2 red.
        A user whose last message has no answer in an open ticket waits: how long is added
        to the words. Without an open ticket nobody waits (a user's message opens one: what
        is left is a "thank you" after a finished ticket, or old history), and a red that
        stays for days would drown the five-minute red the guard is for.

        ``in_list``: the list's row, where the ring round the avatar already says "yours":
        my waiting user's row says only how long, and the company beside it stays readable."""
        now = self.clock()
        text = self.describe(row, now)
        ticket = row.open_ticket
        waited = None if ticket is None else unanswered_minutes(row, now)
        if ticket is None or waited is None:
            return text, 0
        level = 2 if waited >= self.red else 1 if waited >= self.amber else 0
        if ticket.specialist_id is not None:
            said = translate("Tickets", "unanswered %1").replace("%1", duration(waited))
            if in_list and ticket.specialist_id == self.my_id:
                return said, level
            text = f"{text} · {said}" if text else said
        return text, level

    def describe(self, row: UserRow, now: datetime | None = None) -> str:
        ticket = row.open_ticket
        if ticket is None:
            return ""
        if ticket.specialist_id is None:
            minutes = waited_minutes(ticket.opened_at, now or self.clock())
            if minutes is None:
                return translate("Tickets", "In the queue")
            return translate("Tickets", "Waits %1").replace("%1", duration(minutes))
        if ticket.specialist_id == self.my_id:
            return translate("Tickets", "Your ticket")
        from ui.common.text import preview_line  # after the first paint

        known = self.names.get(ticket.specialist_id)  # ("a colleague" is no name to shorten:
        name = (  # it read "With a c.")
            preview_line(short_name(known))
            if known
            else QCoreApplication.translate("Tickets", "a colleague")
        )
        return translate("Tickets", "With %1").replace("%1", name)


def unanswered_minutes(row: UserRow, now: datetime) -> int | None:
    """Minutes since the user's last message, while it is the chat's last (unanswered)."""
    last = row.last_message
    if last is None or last.author_kind != "client" or row.colleague:
        return None
    return waited_minutes(last.created_at, now)


def duration(minutes: int) -> str:
    """A wait as a specialist reads it at a glance: 45 min, 7 h 54 min, 6 d 4 h — never
    "8896 min"."""
    if minutes < 60:
        return translate("Tickets", "%1 min").replace("%1", str(minutes))
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return (
            translate("Tickets", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(mins))
        )
    days, hours = divmod(hours, 24)
    return translate("Tickets", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))


def waited_minutes(since: datetime | None, now: datetime | None = None) -> int | None:
    if since is None:
        return None
    now = now or datetime.now(UTC)
    return max(0, int((now - since).total_seconds() // 60))


def short_name(full_name: str) -> str:
    """«Смирнова Ольга Викторовна» → «Смирнова О. В.»: an initial is a word's first letter
    (a direction control or a bracket before it is passed over, not shown as the initial)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    letters = ("".join(c for c in p if c.isalnum())[:1] for p in parts[1:])
    return " ".join([parts[0], *(f"{c}." for c in letters if c)])


LEVEL_COLOURS = ("", "#c77700", "#d32f2f")
"""The guard's colours by level: the text's own, amber, red."""

HOLDERS = Holders()
"""The window's one: the users model and the chat header read it."""
