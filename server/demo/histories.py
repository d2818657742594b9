"""Chat histories for the demo seed: tickets, then messages, then quotes and each chat's
derived columns (last message, read position, unread count). Used by the demo world and
by the ``large`` seed's 100 000-message chat."""

from __future__ import annotations

import random
import uuid
from typing import Any

from sqlalchemy.orm import Session

from server.core import derived
from server.core.models import AccountKind, Chat, Message, Ticket, TicketState
from server.demo.bulk import insert_ids, insert_keyed
from server.demo.world import SEED, ChatData, MessageData, TicketData

__all__ = ["write_histories"]


def write_histories(
    session: Session, specialist_ids: list[int], chats: list[tuple[int, int, int, ChatData]]
) -> None:
    """Write ``(chat_id, line_id, user_id, chat)`` histories; ``specialist_ids`` maps the
    world's specialist indexes to their rows' ids."""
    s = session
    ticket_rows: list[dict[str, Any]] = []
    for chat_id, line_id, user_id, c in chats:
        ticket_rows.extend(
            _ticket_row(specialist_ids, chat_id, line_id, user_id, t) for t in c.tickets
        )
    ticket_ids = insert_ids(s, Ticket, ticket_rows)
    rng = random.Random(SEED + 2)  # the messages' client ids
    message_rows: list[dict[str, Any]] = []
    k = 0
    for chat_id, _line_id, user_id, c in chats:
        tids = ticket_ids[k : k + len(c.tickets)]
        k += len(c.tickets)
        message_rows.extend(
            _message_row(specialist_ids, rng, chat_id, user_id, m, tids[m.ticket])
            for m in c.messages
        )
    message_ids = insert_keyed(s, Message, message_rows, "client_msg_id")
    quotes: list[dict[str, Any]] = []
    chat_updates: list[dict[str, Any]] = []
    k = 0
    for chat_id, _line_id, _user_id, c in chats:
        ids = message_ids[k : k + len(c.messages)]
        k += len(c.messages)
        if not ids:
            continue
        for i, m in enumerate(c.messages):
            if m.quote_previous and i > 0:
                quotes.append({"id": ids[i], "quote_id": ids[i - 1]})
        tail = c.messages[len(c.messages) - c.unread_tail :] if c.unread_tail else []
        unread = sum(1 for m in tail if m.author_kind == "client")
        read_up_to = ids[-1 - c.unread_tail] if c.unread_tail < len(ids) else 0
        chat_updates.append(
            {
                "id": chat_id,
                "last_message_id": ids[-1],
                "last_message_at": c.messages[-1].at,
                "read_up_to": read_up_to,
                "unread": unread,
            }
        )
    derived.update_by_id(s, Message, quotes)
    derived.update_by_id(s, Chat, chat_updates)


def _ticket_row(
    specialist_ids: list[int], chat_id: int, line_id: int, user_id: int, t: TicketData
) -> dict[str, Any]:
    return {
        "chat_id": chat_id,
        "line_id": line_id,
        "user_id": user_id,
        "specialist_id": None if t.specialist is None else specialist_ids[t.specialist],
        "state": TicketState(t.state),
        "opened_at": t.opened_at,
        "closed_at": t.closed_at,
    }


def _message_row(
    specialist_ids: list[int],
    rng: random.Random,
    chat_id: int,
    user_id: int,
    m: MessageData,
    ticket_id: int,
) -> dict[str, Any]:
    client = m.author_kind == "client"
    return {
        "chat_id": chat_id,
        "client_msg_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "author_kind": AccountKind.CLIENT if client else AccountKind.SPECIALIST,
        "author_specialist_id": None
        if client or m.specialist is None
        else specialist_ids[m.specialist],
        "author_user_id": user_id if client else None,
        "text": m.text,
        "quote_id": None,
        "file_id": None,
        "ticket_id": ticket_id,
        "created_at": m.at,
    }
