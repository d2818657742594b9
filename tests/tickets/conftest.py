"""Ticket tests: the real server (one process on SQLite, two on one PostgreSQL), and what an
administrator sets with no API yet — capacities, the supervisor right, a line's working
hours and auto-finish — written straight into its database (said so: the admin cabinet is
not part of this program)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import create_async_engine

from server.core.db import parse_url
from server.core.models import Line, Specialist, Ticket, TicketState
from server.tickets.loads import TicketLoad
from server.tickets.models import LineSettings, RoutingSettings
from tests.conftest import ServerProcess
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment

ACCOUNTING = "Бухгалтерия 1С"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def deployment(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Deployment]:
    deployed = Deployment(backend, request, tmp_path)
    try:
        yield deployed
        if deployed.processes:  # whatever the test did to tickets, through whichever path
            asyncio.run(loads_kept_right(deployed))
    finally:
        deployed.stop_all()


@pytest.fixture
def servers(deployment: Deployment) -> list[ServerProcess]:
    """One server process on SQLite; two on PostgreSQL (racing each other)."""
    count = 2 if deployment.backend == "postgres" else 1
    return [deployment.start() for _ in range(count)]


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def api(servers: list[ServerProcess], contract: Contract) -> AsyncIterator[Api]:
    async with Api(servers[0].url, contract) as client:
        yield client


@dataclass
class Admin:
    """The admin cabinet's settings, written into the server's database."""

    db_url: str

    async def _run(self, statements: list[Any]) -> None:
        engine = create_async_engine(parse_url(self.db_url))
        try:
            async with engine.begin() as connection:
                for statement in statements:
                    await connection.execute(statement)
        finally:
            await engine.dispose()

    async def run(self, *statements: Any) -> None:
        await self._run(list(statements))

    async def scalar(self, statement: Any) -> Any:
        engine = create_async_engine(parse_url(self.db_url))
        try:
            async with engine.connect() as connection:
                return (await connection.execute(statement)).scalar()
        finally:
            await engine.dispose()

    async def specialist(self, login: str, capacity: int = 5, supervisor: bool = False) -> None:
        sid = await self.scalar(select(Specialist.id).where(Specialist.login == login))
        table = RoutingSettings.__table__
        await self._run(
            [
                delete(table).where(table.c.specialist_id == sid),
                table.insert().values(specialist_id=sid, capacity=capacity, supervisor=supervisor),
            ]
        )

    async def line(
        self, name: str, hours: dict[str, Any] | None = None, auto_finish: int | None = None
    ) -> int:
        line_id = int(await self.scalar(select(Line.id).where(Line.name == name)))
        table = LineSettings.__table__
        await self._run(
            [
                delete(table).where(table.c.line_id == line_id),
                table.insert().values(
                    line_id=line_id, hours=hours, auto_finish_minutes=auto_finish
                ),
            ]
        )
        return line_id


@pytest.fixture
def admin(deployment: Deployment) -> Admin:
    return Admin(deployment.db_url)


async def loads_kept_right(deployment: Deployment) -> None:
    """Each specialist's kept open tickets (``ticket_loads``, kept by triggers;
    server/tickets/loads.py) equal their open tickets counted."""
    engine = create_async_engine(parse_url(deployment.db_url))
    try:
        async with engine.connect() as connection:
            counted = dict(
                (
                    await connection.execute(
                        select(Ticket.specialist_id, func.count())
                        .where(Ticket.state == TicketState.OPEN, Ticket.specialist_id.is_not(None))
                        .group_by(Ticket.specialist_id)
                    )
                ).all()
            )
            kept = dict(
                (
                    await connection.execute(
                        select(TicketLoad.specialist_id, TicketLoad.open_tickets).where(
                            TicketLoad.open_tickets != 0
                        )
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    assert kept == counted
