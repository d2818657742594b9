"""The call_records table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contract.calls import CallDirection, CallResult, CallState
from server.core.models import Base, UTCDateTime, _enum, utcnow


class CallRecord(Base):
    """One call of a line; ``sip_call_id`` makes its creation idempotent (one call rung at
    several specialists is one record). ``recording_name`` names the call's recording among
    the server's files (None until its specialist uploads it)."""

    __tablename__ = "call_records"
    __table_args__ = (UniqueConstraint("line_id", "sip_call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"), index=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"), index=True)
    sip_call_id: Mapped[str] = mapped_column(String(200))
    direction: Mapped[CallDirection] = mapped_column(_enum(CallDirection))
    state: Mapped[CallState] = mapped_column(_enum(CallState))
    result: Mapped[CallResult | None] = mapped_column(_enum(CallResult))
    reason: Mapped[str | None] = mapped_column(String(200))
    ringing_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(String(500))
    # the recording's blob in the files directory (server/calls/recording.py), its bytes
    recording_name: Mapped[str | None] = mapped_column(String(64))
    recording_size: Mapped[int | None] = mapped_column(Integer)


class RingDecision(Base):
    """Who one incoming call rings, decided once (server/calls/ringing.py): the PBX's fork
    reaches each specialist's client with the same SIP Call-ID and each asks; the first
    question decides and the others read it, so the fork never rings two specialists (or
    none) because the routing's state moved between their questions. Kept a few minutes."""

    __tablename__ = "ring_decisions"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    sip_call_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    specialist_ids: Mapped[list[int]] = mapped_column(JSON)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
