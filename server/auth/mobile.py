"""A client user's mobile mark (seed 001: "if the user's account is signed in on a mobile
device"): on while any of their sessions signed in from a mobile device lasts
(``LoginRequest.device``, ``auth_tokens.mobile``), told to their lines' specialists as
``user.updated`` (``mobile``) when it changes. A session signed in from a desktop changes
nothing (the mark then says what the mobile sessions say)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.tokens import Caller
from server.core.models import AuthToken, ClientUser, utcnow
from server.events import log as eventlog


async def follow_sessions(session: AsyncSession, caller: Caller) -> None:
    """The client user's mark as their live mobile sessions say (after a sign-in or a
    sign-out in this transaction); their lines told when it changed."""
    if caller.is_specialist:
        return
    # the user first: a sign-in and a sign-out at once count the sessions one after the other
    user = await session.get_one(ClientUser, caller.id, with_for_update=True)
    live = await session.scalar(
        select(AuthToken.token_hash)
        .where(
            AuthToken.account_kind == caller.kind,
            AuthToken.account_id == caller.id,
            AuthToken.mobile.is_(True),
            AuthToken.expires_at > utcnow(),
        )
        .limit(1)
    )
    mobile = live is not None
    if user.mobile != mobile:
        user.mobile = mobile
        await eventlog.user_rows_updated(session, {caller.id: {"mobile": mobile}})
