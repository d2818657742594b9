"""Whom the Call command calls (seed 000 2.4): the open user's app while they are online —
their login, a user at the PBX — else, through the PBX, the phone number in their card.
None when neither reaches them now (offline, no phone): the command then says so."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.domain import Presence, UserRow
from app.net.api import ApiError
from telephony.links import NotDialable, dial_target

log = logging.getLogger("linedesk.ui.calls")


def callee(row: UserRow, phone: str) -> str | None:
    """What to dial for the user of ``row``, ``phone`` their card's (or "")."""
    tried = [row.login] if row.presence is Presence.ONLINE else []
    for text in [*tried, phone]:
        try:
            return dial_target(text)
        except NotDialable:  # a login with no PBX form ("a@b"), a phone with letters
            continue
    return None


async def open_user_target(desk: Any, core: Any) -> tuple[int, UserRow, str | None] | None:
    """The open user's line, row and what to dial (None: nothing reaches them now); None
    when no user is open. An offline user's phone is read from their card on the server
    at the moment of the call (a card shown may be older, or not here yet)."""
    user_id, line_id = desk.user_id, getattr(core, "current_line_id", None)
    row = desk.row(user_id) if user_id is not None else None
    if row is None or line_id is None:
        return None
    phone = ""
    api = getattr(core, "api", None)
    if row.presence is not Presence.ONLINE and api is not None:
        try:
            phone = (await api.user_card(line_id, row.id)).phone
        except ApiError as exc:
            log.info("the card of user %s was not read for a call: %s", row.id, exc)
    return line_id, row, callee(row, phone)


def nothing_to_call(row: UserRow) -> str:
    """The words when the open user cannot be called now (their name as text, isolated)."""
    from ui.common.text import isolated

    text = QCoreApplication.translate(
        "CallsFeature", "%1 is offline and their card has no phone number: nothing to call"
    )
    return text.replace("%1", isolated(row.full_name))
