"""A demo database kept and started again days later: its dates were relative to the day
it was seeded, so it is seeded again (as a new server) rather than show a stale world — line
access and ITS contracts over, open tickets finished by the idle sweep. A database seeded
today, or one the demo seed did not make, is left as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from server.core.db import Database, parse_url
from server.core.installation import ROW, Installation
from server.core.models import CompanyParam, LineUser, Specialist, SpecialistStatus, utcnow
from server.demo.seeding import seed_once

pytestmark = [
    pytest.mark.server,
]

AGO = dt.timedelta(days=40)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(parse_url(f"sqlite:///{tmp_path / 'demo.sqlite3'}"))
    await database.migrate()
    assert await seed_once(database, "demo")
    yield database
    await database.close()


async def _seeded_days_ago(db: Database, seeded_on: dt.date | None) -> None:
    """As if the demo had been seeded `AGO` before (its dates with it), and used since: the
    demo specialist set a status. `seeded_on`: what the database says of its seeding."""
    async with db.write() as s:
        await s.execute(update(LineUser).values(until=LineUser.until - AGO))
        await s.execute(update(CompanyParam).values(expires=CompanyParam.expires - AGO))
        await s.execute(
            update(Installation).where(Installation.id == ROW).values(demo_seeded_on=seeded_on)
        )
        await s.execute(
            update(Specialist).where(Specialist.login == "demo").values(status=SpecialistStatus.DND)
        )


async def _state(db: Database) -> tuple[int, int, str, SpecialistStatus | None]:
    """Line accesses over, ITS contracts over, the installation id, demo's status."""
    today = utcnow().date()
    async with db.read() as s:
        ended = await s.scalar(select(func.count()).where(LineUser.until < today))
        expired = await s.scalar(select(func.count()).where(CompanyParam.expires < today))
        server_id = await s.scalar(select(Installation.server_id))
        status = await s.scalar(select(Specialist.status).where(Specialist.login == "demo"))
    return int(ended or 0), int(expired or 0), str(server_id), status


async def test_a_demo_seeded_days_ago_is_seeded_again_as_of_today(db: Database) -> None:
    ended, expired_fresh, server_id, _status = await _state(db)
    assert ended == 0  # the demo's accesses "ending within a month" are all ahead
    await _seeded_days_ago(db, utcnow().date() - AGO)
    assert (await _state(db))[0] > 0  # what a reused database showed

    assert not await seed_once(db, "demo")  # a server asked to seed only: never emptied
    assert await seed_once(db, "demo", reseed_stale=True)  # the embedded demo
    ended, expired, new_id, status = await _state(db)
    assert (ended, expired) == (0, expired_fresh)
    assert new_id != server_id  # another server to a client: nothing kept is mixed in
    assert status is not SpecialistStatus.DND  # the day's demo went with it
    async with db.read() as s:
        assert await s.scalar(select(Installation.demo_seeded_on)) == utcnow().date()
        assert await s.scalar(select(func.count()).select_from(Installation)) == 1
    assert not await seed_once(db, "demo", reseed_stale=True)  # seeded today: left as it is


async def test_a_database_the_demo_did_not_seed_is_never_emptied(db: Database) -> None:
    await _seeded_days_ago(db, None)
    before = await _state(db)
    assert not await seed_once(db, "demo", reseed_stale=True)
    assert await _state(db) == before


async def test_the_embedded_demo_seeded_again_keeps_none_of_its_old_files(
    db: Database, tmp_path: Path
) -> None:
    """The files of the earlier day's demo (a chat file, a call's recording) go with its
    rows (before: left on disk for good, named by nothing); a server asked to seed only
    keeps every file it has."""
    from tests.conftest import ServerProcess

    files = tmp_path / "demo.sqlite3.files"  # beside the database, as the demo's are
    files.mkdir()
    (files / "0123abcd").write_bytes(b"an earlier day's upload")
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    await _seeded_days_ago(db, utcnow().date() - AGO)
    await db.close()
    for extra, kept in (((), ["0123abcd"]), (("--reseed-stale-demo",), [])):
        server = ServerProcess(url, files, "--seed", "demo", *extra)
        server.start()
        server.stop()
        assert sorted(p.name for p in files.iterdir()) == kept
