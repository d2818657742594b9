"""A ticket is checked against the caller's lines on its locked row, not only by the read
before (PostgreSQL, where transactions interleave): a ticket moved to a line the caller
does not serve while their comment waited for its lock is not commented on (404).

The test holds the ticket's row in a transaction of its own, so the comment, its read
check passed, waits there; the held transaction moves the ticket to the other line and
commits; the comment then goes on, on the row as it is now."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import create_async_engine

from server.core.db import parse_url
from server.core.models import LineSpecialist, Specialist, Ticket, TicketState
from server.tickets.models import Step
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import chat_of, line_id, rows, waiting_on_locks, write

pytestmark = [pytest.mark.tickets, pytest.mark.postgres]
TECH = "Техподдержка"


async def test_a_ticket_moved_to_a_line_not_mine_while_my_comment_waits_is_not_commented(
    api: Api, admin: Admin, deployment: Deployment
) -> None:
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: the two transactions cannot interleave")
    demo = await api.as_user("demo")
    tech, accounting = await line_id(demo, TECH), await line_id(demo, ACCOUNTING)
    on_accounting = select(LineSpecialist.specialist_id).where(LineSpecialist.line_id == accounting)
    login = await admin.scalar(
        select(Specialist.login)
        .join(LineSpecialist, LineSpecialist.specialist_id == Specialist.id)
        .where(LineSpecialist.line_id == tech, Specialist.id.not_in(on_accounting))
        .order_by(Specialist.id)
        .limit(1)
    )
    assert login, "the demo has a specialist of the technical line alone"
    mine = await api.as_user(str(login))
    user_row = next(r for r in await rows(demo, tech) if not r["colleague"])
    user = await api.as_user(user_row["login"])
    await write(user, await chat_of(user, tech), "Вопрос")
    ticket_id = int(
        await admin.scalar(
            select(Ticket.id).where(
                Ticket.user_id == user_row["id"],
                Ticket.line_id == tech,
                Ticket.state == TicketState.OPEN,
            )
        )
    )
    engine = create_async_engine(parse_url(deployment.db_url))
    try:
        async with engine.connect() as held:
            await held.begin()
            await held.execute(select(Ticket.id).where(Ticket.id == ticket_id).with_for_update())
            comment = asyncio.create_task(
                mine.call("PUT", f"/tickets/{ticket_id}/comment", {"text": "Мой комментарий"})
            )
            await waiting_on_locks(admin, 1, unless=comment)
            assert not comment.done(), comment.result().body
            await held.execute(
                update(Ticket).where(Ticket.id == ticket_id).values(line_id=accounting)
            )
            await held.commit()
        reply = await comment
    finally:
        await engine.dispose()
    assert reply.status == 404, reply.body
    said = await admin.scalar(
        select(Step.id).where(Step.ticket_id == ticket_id, Step.note == "Мой комментарий")
    )
    assert said is None
