"""Server tests: the real server process on SQLite and on PostgreSQL, and an HTTP helper
that checks every answer against the OpenAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Postgres, ServerProcess, new_sqlite_server
from tests.server.api import Api, Contract

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Deployment:
    """Server processes on one fresh demo-seeded database."""

    def __init__(self, backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.processes: list[ServerProcess] = []
        if backend == "sqlite":
            template: Path = request.getfixturevalue("sqlite_template")
            self._first = new_sqlite_server(template, tmp_path)
            self.db_url = self._first.db_url
        else:
            postgres: Postgres = request.getfixturevalue("postgres")
            self.db_url = postgres.new_database()
            self._first = ServerProcess(self.db_url, tmp_path / "files")

    def start(self, *extra: str) -> ServerProcess:
        if not self.processes:
            process = self._first
            process.extra = list(extra)
        else:
            process = ServerProcess(self.db_url, self.tmp_path / "files", *extra)
        process.start()
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()


@pytest.fixture
def deployment(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Deployment]:
    deployed = Deployment(backend, request, tmp_path)
    try:
        yield deployed
    finally:
        deployed.stop_all()


def each_database() -> Callable[..., Iterator[Deployment]]:
    """A ``deployment`` fixture on SQLite and on PostgreSQL (marked ``postgres``), for a test
    module outside tests/server: ``deployment = each_database()``."""

    @pytest.fixture(
        name="deployment",
        params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    )
    def on_each(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
        deployed = Deployment(str(request.param), request, tmp_path)
        try:
            yield deployed
        finally:
            deployed.stop_all()

    return on_each


@pytest.fixture
def live(deployment: Deployment) -> ServerProcess:
    """One server process on the backend under test."""
    return deployment.start()


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
async def api(live: ServerProcess, contract: Contract) -> AsyncIterator[Api]:
    async with Api(live.url, contract) as client:
        yield client
