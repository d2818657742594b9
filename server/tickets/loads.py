"""Each specialist's open tickets, counted as they change, by the database itself.

A routing decision ranks the Free specialists of a line by their open tickets; counting
them per decision (a correlated count over ``tickets`` for each specialist) made a line of
1 000 specialists cost 3–7 ms a decision (docs/benchmarks.md, issue 9). ``ticket_loads``
keeps the number instead, and triggers on ``tickets`` keep it right: every way a ticket
gains or loses its holder or is closed (opening, routing, Start work, transfers, finishing,
auto-finish, a Do-not-disturb reroute, a supervisor's move, whatever comes later) goes
through an INSERT, UPDATE or DELETE of ``tickets``, in the same transaction. On
PostgreSQL the UPDATE of a specialist's row waits for another transaction's change to the
same specialist, as the count under the specialist's lock did.

No row: no open tickets. The triggers are made by a fresh database's ``create_all`` (after
``tickets``) and by migration 0022 on an existing one, which also counts what is there."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, Table, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.core.ddl import after_create
from server.core.models import Base, Ticket


class TicketLoad(Base):
    __tablename__ = "ticket_loads"

    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialists.id"), primary_key=True)
    open_tickets: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


_HELD_OPEN = "{row}.state = 'open' AND {row}.specialist_id IS NOT NULL"
_UP = (
    "INSERT INTO ticket_loads (specialist_id, open_tickets) "
    "SELECT NEW.specialist_id, 1 WHERE " + _HELD_OPEN.format(row="NEW") + " "
    "ON CONFLICT (specialist_id) DO UPDATE "
    "SET open_tickets = ticket_loads.open_tickets + 1"
)
_DOWN = (
    "UPDATE ticket_loads SET open_tickets = open_tickets - 1 "
    "WHERE specialist_id = OLD.specialist_id AND OLD.state = 'open'"
)

SQLITE_DDL = (
    f"""CREATE TRIGGER ticket_loads_insert AFTER INSERT ON tickets
    WHEN {_HELD_OPEN.format(row="NEW")}
    BEGIN {_UP}; END""",
    """CREATE TRIGGER ticket_loads_update AFTER UPDATE OF specialist_id, state ON tickets
    WHEN OLD.specialist_id IS NOT NEW.specialist_id OR OLD.state IS NOT NEW.state
    BEGIN """
    + _DOWN
    + "; "
    + _UP
    + "; END",
    f"""CREATE TRIGGER ticket_loads_delete AFTER DELETE ON tickets
    WHEN {_HELD_OPEN.format(row="OLD")}
    BEGIN {_DOWN}; END""",
)
SQLITE_DROP = tuple(
    f"DROP TRIGGER IF EXISTS ticket_loads_{when}" for when in ("insert", "update", "delete")
)

PG_DDL = (
    f"""CREATE FUNCTION ticket_loads_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.specialist_id IS NOT DISTINCT FROM NEW.specialist_id
           AND OLD.state = NEW.state THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_DOWN};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_UP};
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER ticket_loads_keep
    AFTER INSERT OR UPDATE OF specialist_id, state OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_loads_keep()""",
)
PG_DROP = (
    "DROP TRIGGER IF EXISTS ticket_loads_keep ON tickets",
    "DROP FUNCTION IF EXISTS ticket_loads_keep()",
)
BACKFILL = (
    "INSERT INTO ticket_loads (specialist_id, open_tickets) "
    "SELECT specialist_id, count(*) FROM tickets "
    "WHERE state = 'open' AND specialist_id IS NOT NULL GROUP BY specialist_id"
)


def ddl(dialect: str) -> tuple[str, ...]:
    return SQLITE_DDL if dialect == "sqlite" else PG_DDL


def drop(dialect: str) -> tuple[str, ...]:
    return SQLITE_DROP if dialect == "sqlite" else PG_DROP


_tickets = Ticket.__table__
assert isinstance(_tickets, Table)
after_create(_tickets, "sqlite", SQLITE_DDL)
after_create(_tickets, "postgresql", PG_DDL)


def open_tickets(session: Session, specialist_id: int) -> int:
    """The specialist's open tickets, as this transaction sees them."""
    value = session.scalar(
        select(TicketLoad.open_tickets).where(TicketLoad.specialist_id == specialist_id)
    )
    return int(value or 0)
