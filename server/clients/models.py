"""The clients feature's tables: a specialist's own list on a line ("my list": users found by
search and kept in a streaming line's list), the client users' online presence, and the users
disconnected from a line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from contract.clients import Presence
from server.core.models import Base, UTCDateTime, utcnow


class MyListEntry(Base):
    """A user a specialist added to their list on a line (kept until removed)."""

    __tablename__ = "my_list"
    __table_args__ = (Index("ix_my_list_line_user", "line_id", "user_id"),)

    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClientPresence(Base):
    """What the server knows of a client user being there: online, away or offline (no row:
    offline)."""

    __tablename__ = "client_presence"

    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), primary_key=True)
    presence: Mapped[Presence] = mapped_column(
        Enum(
            Presence,
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
            length=20,
        )
    )
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Disconnection(Base):
    """A user disconnected from a line (seed 004): by which specialist, when, why, and until
    when (None: until restored). No row, or one past its ``until``: the user is connected as
    their ``line_users`` row says; lifting it deletes the row."""

    __tablename__ = "line_disconnections"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), primary_key=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(500))
    # for a time: lifted by itself then (the sweep in server/clients/disconnect.py); None: until
    # restored
    until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
