"""Tickets: the part of the core that owns a user's open ticket — finishing it (the intent
`FINISH`) and the live `ticket.opened/updated/closed` events that change a row's ticket.

It registers what it handles when it is made; the Workplace only routes to it. The rows are
the current line's (`CurrentLine`): a change to a ticket is a change of its user's row.
"""

from __future__ import annotations

import dataclasses

import msgspec

from app.clients.current_line import CurrentLine
from app.context import Context
from app.core import changes as ch
from app.core import parse
from app.core.domain import OpenTicket, TicketState
from app.net.events import Event
from contract.tickets import TicketStep
from contract.types import EventKind

FINISH = "ticket.finish"
"""Intent: finish the open ticket of a user (`user_id`) of the current line."""

EVENT_KINDS = (EventKind.TICKET_OPENED, EventKind.TICKET_UPDATED, EventKind.TICKET_CLOSED)


class Tickets:
    def __init__(self, session: Context, line: CurrentLine) -> None:
        self._session = session
        self._line = line
        for kind in EVENT_KINDS:
            session.routes.register(kind, self.on_ticket_event)
        session.routes.register(EventKind.TICKET_STEP, self.on_step_event)
        session.intents.register(FINISH, self.finish)

    async def finish(self, user_id: int) -> None:
        """Finish the user's open ticket; the row shows none (the event will say it too)."""
        api = self._session.api
        assert api is not None
        row = self._line.users.get(user_id)
        if row is None or row.open_ticket is None:
            return
        await api.finish_ticket(row.open_ticket.id)
        row = self._line.users.get(user_id)
        if row is not None:
            self._line.update_row(dataclasses.replace(row, open_ticket=None))

    def on_ticket_event(self, ev: Event) -> None:
        """`ticket.*`: the row's open ticket."""
        self._line.remember(self.on_ticket_event, ev)
        t = parse.ticket(ev.data)
        users = self._line.users
        if t.line_id != users.line_id:
            return
        row = users.get(t.user_id)
        if row is None:  # not held: a fetch of it on its way is older now
            users.changed_elsewhere(t.user_id)
            return
        ot = OpenTicket(t.id, t.specialist_id) if t.state is TicketState.OPEN else None
        if ot != row.open_ticket:
            self._line.update_row(dataclasses.replace(row, open_ticket=ot))

    def on_step_event(self, ev: Event) -> None:
        """`ticket.step`: a system line for the chat, if it is open."""
        self._session.emit(ch.TicketStepAdded(msgspec.convert(ev.data, TicketStep)))
