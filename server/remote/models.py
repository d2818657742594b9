"""The remote_sessions table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from contract.remote import RemoteMode, RemoteState, Via
from server.core.models import Base, UTCDateTime, _enum, utcnow


class RemoteSession(Base):
    """One remote session; ``reach_*`` is how the viewer reaches the user's host."""

    __tablename__ = "remote_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), index=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), index=True)
    mode: Mapped[RemoteMode] = mapped_column(_enum(RemoteMode))
    state: Mapped[RemoteState] = mapped_column(_enum(RemoteState))
    reason: Mapped[str | None] = mapped_column(String(200))
    reach_via: Mapped[Via | None] = mapped_column(_enum(Via))
    reach_host: Mapped[str | None] = mapped_column(String(255))
    reach_port: Mapped[int | None] = mapped_column(Integer)
    repeater_id: Mapped[str | None] = mapped_column(String(10))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    connected_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(String(500))
