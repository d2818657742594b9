"""Which server this is: an id made once, with its database, and kept in it.

A client keys what it keeps for a server (the messages waiting to go, the cache) by the
server's address, its id and the account: a server replaced at the same address — a new
database, its chat numbers now other people's — is another server, and a message written
for the old one is never sent into the new one's chat of that number (it was: a review put
a password meant for one user into another's chat). The id is given in ``GET /me``.

``demo_seeded_on``: the day the demo seed wrote this database's data (server/demo/), None
for any other database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import Date, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.core.models import Base

if TYPE_CHECKING:
    from server.core.db import Database

ROW = 1  # the one row


class Installation(Base):
    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[str] = mapped_column(String(32))
    demo_seeded_on: Mapped[dt.date | None] = mapped_column(Date)


async def ensure(db: Database) -> str:
    """The server's id, made at its first start (two processes starting at once agree)."""
    async with db.read() as session:
        found = await server_id(session)
    if found:
        return found
    try:
        async with db.write() as session:
            session.add(Installation(id=ROW, server_id=secrets.token_hex(16)))
    except IntegrityError:
        pass  # the other process's came first
    async with db.read() as session:
        return await server_id(session)


async def server_id(session: AsyncSession) -> str:
    """The id, or "" before :func:`ensure` (a server built in a test's process)."""
    return (
        await session.scalar(select(Installation.server_id).where(Installation.id == ROW))
    ) or ""


def demo_seeded_on(session: Session) -> dt.date | None:
    """The day the demo seed wrote this database's data; None when it did not."""
    return session.scalar(select(Installation.demo_seeded_on).where(Installation.id == ROW))


def mark_demo_seeded(session: Session, on: dt.date) -> None:
    """Record that the demo seed wrote this database's data `on` that day (the row made,
    with a new id, when a wipe or a test's schema has none)."""
    row = session.get(Installation, ROW)
    if row is None:
        session.add(Installation(id=ROW, server_id=secrets.token_hex(16), demo_seeded_on=on))
    else:
        row.demo_seeded_on = on
