"""Tickets: the part of the core that owns a user's open ticket — finishing it (the intent
`FINISH`) and the live `ticket.opened/updated/closed` events that change a row's ticket.

It registers what it handles when it is made; the Workplace only routes to it. The rows are
the current line's (`CurrentLine`): a change to a ticket is a change of its user's row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

import msgspec

from app.clients.current_line import CurrentLine
from app.clients.userfilter import FOR_ME
from app.context import Context
from app.core import changes as ch
from app.core import parse
from app.core.domain import OpenTicket, TicketState
from app.net.errors import ApiError, Unreachable
from app.net.events import Event
from app.tickets import api as tickets_api
from contract.clients import DirectoryFlag
from contract.tickets import (
    LineLoad,
    LineMonitor,
    LineTicketSettings,
    TicketHistory,
    TicketStep,
    TicketSummary,
    Tier,
)
from contract.types import EventKind

FINISH = "ticket.finish"
"""Intent: finish the open ticket of a user (`user_id`) of the current line."""
START = "ticket.start"
"""Intent: start work with a user (`user_id`): their ticket opened or taken, mine."""
TRANSFER = "ticket.transfer"
"""Intent: hand the user's (`user_id`) open ticket to a colleague (`specialist_id`, `note`),
or to a vendor line's other tier (`tier`; with a colleague there, or routed within it)."""
COMMENT = "ticket.comment"
"""Intent: set or edit a ticket's (`ticket_id`) comment for the colleagues (`text`): the step."""
STEPS = "ticket.steps"
"""Intent: the steps of a chat's (`chat_id`) tickets, oldest first (the system lines)."""
SETTINGS = "ticket.settings"
"""Intent: a line's (`line_id`) ticket settings — the reply-time guard's minutes…"""
MONITOR = "ticket.monitor"
"""Intent: the current line's online monitor (supervisors)."""
LOAD = "ticket.load"
"""Intent: the current line's specialists with status and load (the transfer dialog)."""
HISTORY = "ticket.history"
"""Intent: a chat's (`chat_id`) last tickets, newest first (the info panel)."""

EVENT_KINDS = (EventKind.TICKET_OPENED, EventKind.TICKET_UPDATED, EventKind.TICKET_CLOSED)


class Tickets:
    def __init__(self, session: Context, line: CurrentLine) -> None:
        self._session = session
        self._line = line
        for kind in EVENT_KINDS:
            session.routes.register(kind, self.on_ticket_event)
        session.routes.register(EventKind.TICKET_STEP, self.on_step_event)
        session.intents.register(FINISH, self.finish)
        session.intents.register(START, self.start)
        session.intents.register(TRANSFER, self.transfer)
        session.intents.register(COMMENT, self.comment)
        session.intents.register(STEPS, self.steps)
        session.intents.register(LOAD, self.load)
        session.intents.register(MONITOR, self.monitor)
        session.intents.register(HISTORY, self.history)
        session.intents.register(SETTINGS, self.settings)

    async def finish(self, user_id: int) -> None:
        """Finish the user's open ticket; the row shows none (the event will say it too)."""
        api = self._session.api
        assert api is not None
        row = self._line.users.get(user_id)
        if row is None or row.open_ticket is None:
            return
        ticket_id = row.open_ticket.id
        try:
            await api.finish_ticket(ticket_id)
        except Unreachable:
            if not await self._done_after_all(user_id, lambda t: t is None or t.id != ticket_id):
                raise
            return
        row = self._line.users.get(user_id)
        if row is not None:
            self._line.update_row(dataclasses.replace(row, open_ticket=None))

    async def start(self, user_id: int) -> None:
        """Start work with the user: the row's ticket is mine (the event will say it too)."""
        api = self._session.api
        row = self._line.users.get(user_id)
        if api is None or row is None or not row.chat_id:
            return
        me = self._session.me
        try:
            t = await api.start_ticket(row.chat_id)
        except Unreachable:
            mine = me is not None and me.id
            if not await self._done_after_all(user_id, lambda t: t and t.specialist_id == mine):
                raise
            return
        self._show(user_id, t.id, t.specialist_id, t.opened_at)

    async def transfer(
        self,
        user_id: int,
        specialist_id: int | None,
        note: str,
        tier: Tier | None = None,
        line_id: int | None = None,
    ) -> None:
        """To a colleague, a vendor line's other tier, or another line the user is on
        (``line_id``: the ticket leaves this line's row)."""
        api = self._session.api
        row = self._line.users.get(user_id)
        if api is None or row is None or row.open_ticket is None:
            return
        moved_from = row.open_ticket
        try:
            t = await api.transfer_ticket(moved_from.id, specialist_id, note, tier, line_id)
        except Unreachable:

            def moved(t: OpenTicket | None) -> bool:
                if line_id is not None:  # to another line: none left on this one
                    return t is None or t.id != moved_from.id
                return (
                    specialist_id is not None and t is not None and t.specialist_id == specialist_id
                )

            if not await self._done_after_all(user_id, moved):
                raise
            return
        if t.line_id != self._line.users.line_id:
            self._line.update_row(dataclasses.replace(row, open_ticket=None))
        else:
            self._show(user_id, t.id, t.specialist_id, t.opened_at)

    async def _done_after_all(
        self, user_id: int, done: Callable[[OpenTicket | None], object]
    ) -> bool:
        """A reply lost on its way (the connection cut once the server had the request):
        whether the server did it after all — the user's row as it has it now, shown when it
        says so (then nothing failed: no problem to show); False when it cannot be told."""
        api, line_id = self._session.api, self._line.users.line_id
        if api is None or line_id is None:
            return False
        try:
            rows = await api.user_rows(line_id, [user_id])
        except ApiError:
            return False
        if not rows or not done(rows[0].open_ticket):
            return False
        self._line.update_row(rows[0])
        return True

    async def comment(self, ticket_id: int, text: str) -> TicketStep | None:
        api = self._session.api
        return None if api is None else await tickets_api.comment(api, ticket_id, text)

    async def steps(self, chat_id: int) -> list[TicketStep]:
        api = self._session.api
        return [] if api is None else await api.ticket_steps(chat_id)

    async def history(self, chat_id: int, limit: int = 20) -> list[TicketSummary]:
        api = self._session.api
        if api is None:
            return []
        path = f"/chats/{chat_id}/tickets"
        found = await api.call("GET", path, params={"limit": str(limit)})
        return parse.convert(found, TicketHistory).items

    async def monitor(self) -> LineMonitor | None:
        api = self._session.api
        line_id = self._line.users.line_id
        if api is None or line_id is None:
            return None
        return await api.line_monitor(line_id)

    async def settings(self, line_id: int) -> LineTicketSettings | None:
        api = self._session.api
        return None if api is None else await tickets_api.line_settings(api, line_id)

    async def load(self) -> LineLoad | None:
        api = self._session.api
        line_id = self._line.users.line_id
        if api is None or line_id is None:
            return None
        return await api.line_load(line_id)

    def _show(
        self, user_id: int, ticket_id: int, holder: int | None, opened_at: datetime | None
    ) -> None:
        row = self._line.users.get(user_id)
        if row is not None:
            ot = OpenTicket(ticket_id, holder, opened_at)
            self._line.update_row(dataclasses.replace(row, open_ticket=ot))

    def on_ticket_event(self, ev: Event) -> None:
        """`ticket.*`: the row's open ticket."""
        self._line.remember(self.on_ticket_event, ev)
        t = parse.ticket(ev.data)
        users = self._line.users
        if t.line_id != users.line_id:  # moved to another line: gone from this one's row
            row = users.get(t.user_id)
            if row is not None and row.open_ticket is not None and row.open_ticket.id == t.id:
                self._line.update_row(dataclasses.replace(row, open_ticket=None))
            elif row is None:
                self._line.set_flags(t.user_id, clear_flags=FOR_ME)
            return
        row = users.get(t.user_id)
        if row is None:  # not held: a fetch of it on its way is older now
            users.changed_elsewhere(t.user_id)
            me = self._session.me
            is_open = t.state is TicketState.OPEN
            bits = 0
            if is_open and me is not None and t.specialist_id == me.id:
                bits |= DirectoryFlag.MINE
            if is_open and t.specialist_id is None:
                bits |= DirectoryFlag.UNHELD
            self._line.set_flags(t.user_id, bits, FOR_ME & ~bits)
            return
        ot = OpenTicket(t.id, t.specialist_id, t.opened_at) if t.state is TicketState.OPEN else None
        if ot != row.open_ticket:
            self._line.update_row(dataclasses.replace(row, open_ticket=ot))

    def on_step_event(self, ev: Event) -> None:
        """`ticket.step`: a system line for the chat, if it is open."""
        self._session.emit(ch.TicketStepAdded(msgspec.convert(ev.data, TicketStep)))
