"""The ticket server's storage: SQLAlchemy 2 declarative models.

Derived columns (``full_name``, ``search_text`` of client users; ``last_message_*``
and ``unread`` of chats) are maintained by the server: ORM writes refresh them in a
flush hook (``server.core.derived``), and bulk-inserted seed data is refreshed after seeding.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from contract.types import AccountKind as AccountKind
from contract.types import LineKind as LineKind
from contract.types import Status
from contract.types import TicketState as TicketState

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stored as naive UTC, always read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


# The enums of the contract (one definition for the wire and the tables).
SpecialistStatus = Status


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, values_callable=lambda e: [m.value for m in e], length=20)


class Company(Base):
    """A company: the serving one (its specialists run the lines) or a client company."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    serving: Mapped[bool] = mapped_column(Boolean, default=False)

    inns: Mapped[list[CompanyInn]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyInn.inn"
    )
    params: Mapped[list[CompanyParam]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyParam.id"
    )


class CompanyInn(Base):
    __tablename__ = "company_inns"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    inn: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)

    company: Mapped[Company] = relationship(back_populates="inns")


class CompanyParam(Base):
    """A support parameter as a tag with a value (tariff, ITS contract, 1C reg. number …)."""

    __tablename__ = "company_params"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    tag: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(500))
    expires: Mapped[dt.date | None] = mapped_column(Date)  # what it grants ends (ITS contract)

    company: Mapped[Company] = relationship(back_populates="params")


class PersonMixin:
    """Contact fields shared by specialists and client users."""

    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    avatar_url: Mapped[str | None] = mapped_column(String(300))
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    mobile: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def full_name_of_parts(self) -> str:
        return full_name_of(self.last_name, self.first_name, self.patronymic)


def full_name_of(last_name: str, first_name: str, patronymic: str) -> str:
    """«Фамилия Имя Отчество», the parts there are."""
    return " ".join(p for p in (last_name, first_name, patronymic) if p)


class Specialist(PersonMixin, Base):
    __tablename__ = "specialists"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    status: Mapped[SpecialistStatus] = mapped_column(
        _enum(SpecialistStatus), default=SpecialistStatus.AWAY
    )

    company: Mapped[Company] = relationship()

    @property
    def full_name(self) -> str:
        return self.full_name_of_parts


class ClientUser(PersonMixin, Base):
    """A user of a client company (or a colleague: ``specialist_id`` links their account)."""

    __tablename__ = "client_users"
    __table_args__ = (Index("ix_client_users_full_name_id", "full_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"), index=True)
    region: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(320), default="")
    search_text: Mapped[str | None] = mapped_column(Text)

    company: Mapped[Company | None] = relationship()
    specialist: Mapped[Specialist | None] = relationship()


class Line(Base):
    __tablename__ = "lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    public_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[LineKind] = mapped_column(_enum(LineKind), default=LineKind.REGULAR)


class LineSpecialist(Base):
    __tablename__ = "line_specialists"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("specialists.id"), primary_key=True, index=True
    )


class LineUser(Base):
    """A client user connected to a line, optionally until a date."""

    __tablename__ = "line_users"

    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("client_users.id"), primary_key=True, index=True
    )
    until: Mapped[dt.date | None] = mapped_column(Date)


class CompanyResponsible(Base):
    """A specialist responsible for a client company."""

    __tablename__ = "company_responsibles"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)


class Chat(Base):
    """One per (line, user); created when the user is connected to the line. A group's chat
    (``server.groups``) has no user: its members see it, nobody else."""

    __tablename__ = "chats"
    __table_args__ = (
        UniqueConstraint("line_id", "user_id"),
        Index("ix_chats_line_last_message", "line_id", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("client_users.id"), index=True)
    last_message_id: Mapped[int | None] = mapped_column(Integer)
    last_message_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    read_up_to: Mapped[int] = mapped_column(Integer, default=0)
    unread: Mapped[int] = mapped_column(Integer, default=0)


class StoredFile(Base):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(200))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind))
    uploaded_by_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ticket(Base):
    """An обращение. Routing, transfers and ratings will add their own tables."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_chat_state", "chat_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    line_id: Mapped[int] = mapped_column(ForeignKey("lines.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("client_users.id"))
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"))
    state: Mapped[TicketState] = mapped_column(_enum(TicketState), default=TicketState.OPEN)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Message(Base):
    __tablename__ = "messages"
    # A retry key (client_msg_id) is its author's, per chat: one constraint per kind of
    # author (NULLs are distinct, so each holds only for its own kind's rows).
    __table_args__ = (
        UniqueConstraint(
            "chat_id", "author_specialist_id", "client_msg_id", name="uq_messages_specialist_key"
        ),
        UniqueConstraint("chat_id", "author_user_id", "client_msg_id", name="uq_messages_user_key"),
        Index("ix_messages_chat_id_id", "chat_id", "id"),
        Index("ix_messages_file_id", "file_id"),  # a chat's files (the info panel)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    client_msg_id: Mapped[str] = mapped_column(String(36))
    author_kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind))
    author_specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialists.id"))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("client_users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    # the part of the quoted message's text quoted (None: all of it)
    quote_text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # when its author deleted it (a tombstone: text, file and quote cleared); None: not
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class EventCounter(Base):
    """The head of a company's event log; bumped in the transaction that writes the event.

    On PostgreSQL the row lock taken by the bump serializes writers, so seqs are
    gap-free and commit-ordered (a bigserial is neither)."""

    __tablename__ = "event_counters"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    head: Mapped[int] = mapped_column(BigInteger, default=0)


class Event(Base):
    """One durable change in a company's log; ``data`` is the JSON body as sent.

    ``line_id`` is the line the event is about (sent with it); ``also_line_ids`` the other
    lines it concerns, if any (a ticket moved from one line to another concerns both).
    ``audience``, when set, names the only accounts that see it ("kind:id": a group's
    members), whatever its lines."""

    __tablename__ = "events"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    line_id: Mapped[int | None] = mapped_column(Integer)
    chat_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    also_line_ids: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    audience: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    data: Mapped[str] = mapped_column(Text)


class Avatar(Base):
    """An account's picture (PNG or JPEG, checked on upload). The owner's ``avatar_url``
    points at it, versioned by ``version`` (the start of the SHA-256 of ``data``).

    A specialist's picture is kept for their own row and for each client-user row linked to
    them (``ClientUser.specialist_id``): every row is served and authorised on its own."""

    __tablename__ = "avatars"

    owner_kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_type: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuthToken(Base):
    """A bearer token, stored only as its SHA-256."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind))
    account_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    mobile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
