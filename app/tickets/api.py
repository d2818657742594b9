"""The tickets feature's requests beyond the core client's (contract/tickets_ops.py): a
ticket's comment and a line's ticket settings. Plain functions over the one `ApiClient`."""

from __future__ import annotations

from typing import TypeVar

from app.core import parse
from app.net.api import ApiClient
from app.net.errors import MalformedReply
from contract import tickets

T = TypeVar("T")


def _as(raw: object, kind: type[T], what: str) -> T:
    try:
        return parse.convert(raw, kind)
    except parse.Malformed as e:
        raise MalformedReply(detail=f"{what}: {e}") from None


async def comment(api: ApiClient, ticket_id: int, text: str) -> tickets.TicketStep:
    """Set or edit the ticket's comment for the colleagues: its step."""
    raw = await api.call("PUT", f"/tickets/{ticket_id}/comment", json={"text": text})
    return _as(raw, tickets.TicketStep, "comment")


async def line_settings(api: ApiClient, line_id: int) -> tickets.LineTicketSettings:
    """The line's ticket settings: the reply-time guard's minutes, auto-finish, hours."""
    raw = await api.call("GET", f"/lines/{line_id}/ticket-settings")
    return _as(raw, tickets.LineTicketSettings, "ticket settings")
