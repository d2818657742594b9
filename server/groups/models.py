"""The groups feature's tables: a group (its chat, its creator) and its members."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from contract.types import AccountKind
from server.core.models import Base, UTCDateTime, utcnow


class Group(Base):
    """A group; ``chat_id`` its chat (a chat row with no user, on the line it was made on)."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    creator_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupMember(Base):
    """A member: a specialist or a client user (``account_id`` of that kind)."""

    __tablename__ = "group_members"
    __table_args__ = (Index("ix_group_members_account", "kind", "account_id"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[AccountKind] = mapped_column(
        Enum(
            AccountKind,
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
            length=20,
        ),
        primary_key=True,
    )
    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
