"""Who sees a group's chat and its events: its members, nobody else (the chat code and the
event log ask here; this module needs nothing but the tables, so both can import it)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from contract.types import AccountKind
from server.auth.tokens import Caller
from server.core.models import Chat
from server.groups.models import Group, GroupMember

Account = tuple[AccountKind, int]
SPECIALIST, CLIENT = AccountKind.SPECIALIST, AccountKind.CLIENT


def key(account: Account) -> str:
    """An account as the event log's audience names it (the stream's ``Viewer.author``)."""
    kind, account_id = account
    return f"{kind.value}:{account_id}"


def is_member_sync(session: Session, chat: Chat, caller: Caller) -> bool:
    """Is ``caller`` a member of the group whose chat is ``chat``?"""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Group.chat_id == chat.id,
                    GroupMember.group_id == Group.id,
                    GroupMember.kind == caller.kind,
                    GroupMember.account_id == caller.id,
                )
            )
        )
    )


def chat_audience_sync(session: Session, chat: Chat) -> list[str] | None:
    """Who sees the events of ``chat``: ``None`` for a user's chat (its line's specialists and
    the user, as ever), a group chat's members otherwise."""
    if chat.user_id is not None:
        return None
    rows = session.execute(
        select(GroupMember.kind, GroupMember.account_id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(Group.chat_id == chat.id)
    )
    return [key((kind, account_id)) for kind, account_id in rows]
