"""A specialist of another serving company, written straight into a test server's database."""

from __future__ import annotations

import datetime as dt

from server.auth.tokens import Caller, issue_token
from server.core.db import Database, parse_url
from server.core.models import AccountKind, Company, CompanyResponsible, Specialist
from tests.conftest import ServerProcess


async def rival_specialist(
    live: ServerProcess, login: str, responsible_for: int | None = None
) -> str:
    """A specialist («Чужой») of another serving company, serving no line; responsible for
    the client company `responsible_for` when given. Their session token."""
    db = Database(parse_url(live.db_url))
    try:
        async with db.write() as session:
            rival = Company(name="Другой вендор", serving=True)
            session.add(rival)
            await session.flush()
            stranger = Specialist(login=login, last_name="Чужой", company_id=rival.id)
            session.add(stranger)
            await session.flush()
            if responsible_for is not None:
                session.add(
                    CompanyResponsible(company_id=responsible_for, specialist_id=stranger.id)
                )
            token, _ = await issue_token(
                session, Caller(AccountKind.SPECIALIST, stranger.id), dt.timedelta(hours=1)
            )
    finally:
        await db.close()
    return token
