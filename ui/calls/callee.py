"""Whom the Call command calls (seed 000 2.4): the open user's app while they are online —
their login, a user at the PBX — else, through the PBX, the phone number in their card.
None when neither reaches them now (offline, no phone): the command then says so."""

from __future__ import annotations

from app.core.domain import Presence, UserRow
from telephony.links import NotDialable, dial_target


def callee(row: UserRow | None, phone: str) -> str | None:
    """What to dial for the user of ``row``, ``phone`` their card's (or "")."""
    if row is None:
        return None
    tried = [row.login] if row.presence is Presence.ONLINE else []
    for text in [*tried, phone]:
        try:
            return dial_target(text)
        except NotDialable:  # a login with no PBX form ("a@b"), a phone with letters
            continue
    return None
