"""The favourites' table: a user of a line a specialist added to their favourites."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from server.core.models import Base, UTCDateTime, utcnow


class Favourite(Base):
    """A user a specialist watches on a line (kept until removed)."""

    __tablename__ = "favourites"
    __table_args__ = (Index("ix_favourites_line_user", "line_id", "user_id"),)

    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
