"""Search of a line's users (``GET /lines/{id}/users?q=``, server/clients/search.py) on SQLite
(FTS5 trigram index) and PostgreSQL (pg_trgm GIN index): what it finds is exactly what a
substring scan of the line's search texts in list order finds — checked against the line's
directory (every user's folded search text, in list order) — whichever way a query runs."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from server.clients import search
from server.clients.search import fts5_phrase, like_pattern, users_of
from server.core.db import Database, alembic_config, parse_url
from server.core.derived import fold
from server.core.models import Chat, ClientUser, Company, Line, LineUser, utcnow
from tests.conftest import new_sqlite_server
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.server.test_lines import all_users, line_named
from tests.server.test_migrations import empty_url

pytestmark = pytest.mark.server

SPECIAL = ['"', '""', "*", "a*", "AND", "or", "NOT", "NEAR(", "NEAR(a b)", "^", "^ив", "%", "_"]
SPECIAL += ["\\", "\\%", "%_\\", 'ива" OR "а', "login:demo", "(", ")", "-", "+", ":", "'", "ё"]


async def expected(demo: Api, line_id: object, q: str) -> list[int]:
    """What a scan finds: the line's users in list order whose search text holds ``q``."""
    directory = await demo.get(f"/lines/{line_id}/directory")
    wanted = fold(q.strip())
    return [i for i, t in zip(directory["ids"], directory["search"], strict=True) if wanted in t]


async def found(demo: Api, line_id: object, q: str, limit: int = 500) -> list[int]:
    return [int(str(r["id"])) for r in await all_users(demo, line_id, limit, q=q)]


async def test_every_field_folded_and_in_list_order(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    sample = next(r for r in rows if r["company"] and r["email"])
    company: Any = sample["company"]
    surname = str(sample["full_name"]).split()[0]
    with_yo = next(str(r["full_name"]) for r in rows if "ё" in str(r["full_name"]).lower())
    queries = [
        surname[1:-1],  # a part of a name
        surname.upper(),
        str(sample["login"]),
        str(sample["email"]).upper(),
        company["name"].lower()[2:9],
        company["inns"][0],
        company["inns"][0][3:8],
        with_yo,
        with_yo.replace("ё", "е").replace("Ё", "Е"),  # е finds ё
        with_yo.upper(),
        "ова",
        f"  {surname}  ",  # spaces around are not part of the query
    ]
    for q in queries:
        want = await expected(demo, line["id"], q)
        assert want, q
        assert await found(demo, line["id"], q) == want, q
    assert await found(demo, line["id"], "no-such-person-xyz") == []
    assert sample["id"] in await found(demo, line["id"], surname)


async def test_one_and_two_characters(api: Api) -> None:
    demo = await api.as_user("demo")
    for line in (await demo.get("/lines"))["items"]:
        for q in ("а", "ё", "Е", "1", "@", "ов", "ИВ", "7 ", "zq"):
            assert await found(demo, line["id"], q) == await expected(demo, line["id"], q), q


async def test_the_page_its_order_and_limit(api: Api) -> None:
    """Paged by 7 or in one page, the same rows in list order; a first page of ``limit``."""
    demo = await api.as_user("demo")
    for line in (await demo.get("/lines"))["items"]:
        for q in ("а", "ова", "ru", "ООО"):
            want = await expected(demo, line["id"], q)
            assert await found(demo, line["id"], q, 7) == want, q
            for limit in (1, 3, 50):
                page = await demo.get(f"/lines/{line['id']}/users", q=q, limit=str(limit))
                assert [r["id"] for r in page["items"]] == want[:limit], (q, limit)
                assert (page["next_cursor"] is None) == (len(want) <= limit)


async def test_fts_syntax_is_plain_text(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    for q in SPECIAL:
        reply = await demo.call("GET", f"/lines/{line['id']}/users", params={"q": q})
        assert reply.status == 200, (q, reply.body)
        assert await found(demo, line["id"], q) == await expected(demo, line["id"], q), q


def test_queries_are_quoted() -> None:
    assert fts5_phrase('Ива" OR "Ё*') == '"ива"" or ""е*"'
    assert like_pattern("50%_\\Ё") == "%50\\%\\_\\\\е%"


async def test_another_lines_users_never_appear(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    own_line = (await morozov.get("/lines"))["items"][0]["id"]
    own = set((await morozov.get(f"/lines/{own_line}/directory"))["ids"])
    for line in (await demo.get("/lines"))["items"]:
        if line["id"] == own_line:
            continue
        others = await all_users(demo, line["id"], 500)
        for other in [r for r in others if r["id"] not in own][:5]:
            for q in (str(other["login"]), str(other["full_name"]), str(other["login"])[:2]):
                hits = await found(morozov, own_line, q)
                assert other["id"] not in hits and set(hits) <= own, q
        reply = await morozov.call("GET", f"/lines/{line['id']}/users", params={"q": "а"})
        assert reply.status == 404


async def _add_user(db_url: str, line_id: int, last_name: str) -> int:
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            company_id = await session.scalar(
                select(Company.id).where(Company.serving.is_(False)).order_by(Company.id).limit(1)
            )
            user = ClientUser(
                login="search.added",
                last_name=last_name,
                first_name="Тест",
                company_id=company_id,
            )
            session.add(user)
            await session.flush()
            session.add(LineUser(line_id=line_id, user_id=user.id))
            return user.id
    finally:
        await db.close()


async def _rename(db_url: str, user_id: int, last_name: str) -> None:
    db = Database(parse_url(db_url))
    try:
        async with db.write() as session:
            user = await session.get(ClientUser, user_id)
            assert user is not None
            user.last_name = last_name
    finally:
        await db.close()


async def test_a_user_added_or_renamed_is_found(api: Api, deployment: Deployment) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    user_id = await _add_user(deployment.db_url, int(str(line["id"])), "Щеглёва")
    assert await found(demo, line["id"], "щеглева") == [user_id]
    assert await found(demo, line["id"], "ЩЕГЛЁ") == [user_id]
    await _rename(deployment.db_url, user_id, "Жаворонкова")
    assert await found(demo, line["id"], "щеглева") == []
    assert await found(demo, line["id"], "жаворонк") == [user_id]
    assert await found(demo, line["id"], "SEARCH.ADDED") == [user_id]  # the login stays


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _user_ids(connection: Connection, q: str) -> list[int]:
    if connection.dialect.name == "sqlite":
        match = "SELECT rowid FROM user_search WHERE user_search MATCH :q ORDER BY rowid"
        return list(connection.execute(text(match), {"q": fts5_phrase(q)}).scalars())
    like = "SELECT id FROM client_users WHERE search_text LIKE :q ORDER BY id"
    return list(connection.execute(text(like), {"q": like_pattern(q)}).scalars())


def _index_objects(connection: Connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        names = "SELECT name FROM sqlite_master WHERE name LIKE 'user_search%'"
    else:
        names = "SELECT indexname FROM pg_indexes WHERE indexname = 'user_search'"
    return set(connection.execute(text(names)).scalars())


async def test_migration_0021_indexes_the_users_there_and_comes_down(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    db = Database(parse_url(empty_url(backend, tmp_path, "users", request)))
    insert = (
        "INSERT INTO client_users (login, password_hash, last_name, first_name, patronymic,"
        " time_zone, mobile, full_name, search_text) VALUES (:login, '', 'Ёлкина', 'Вера', '',"
        " 'Europe/Moscow', false, 'Ёлкина Вера', :text)"
    )
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_upgrade, "0020")
            await connection.execute(text(insert), {"login": "yolkina", "text": "елкина вера"})
            await connection.run_sync(_upgrade, "0021")  # the users already there are indexed
            assert await connection.run_sync(_user_ids, "елкин") == [1]
            assert "user_search" in await connection.run_sync(_index_objects)
            await connection.run_sync(_downgrade, "0020")
            assert await connection.run_sync(_index_objects) == set()
            await connection.run_sync(_upgrade, "0021")
            assert await connection.run_sync(_user_ids, "вера") == [1]
    finally:
        await db.close()


async def test_every_way_a_query_runs_finds_the_same(sqlite_template: Path, tmp_path: Path) -> None:
    """Walked, narrowed by the index, or narrowed with the users with messages walked: the
    same users in the same order for every query, whichever way the plan would choose —
    and the users a plain LIKE over the line finds."""
    db = Database(parse_url(new_sqlite_server(sqlite_template, tmp_path).db_url))
    queries = ["а", "ов", "zq", "%", '"', "ова", "ООО", "ru"]
    try:
        async with db.read() as session:
            line_ids = (await session.scalars(select(Line.id))).all()
            for line_id, q in itertools.product(line_ids, queries):
                match = await _match(session, q)
                ways = [
                    search.Plan(q, True),
                    search.Plan(q, True, match),
                    search.Plan(q, True, match, walk_active=True),
                ]
                answers = [await _in_list_order(session, way, line_id) for way in ways]
                assert answers[1:] == answers[:1] * 2, (line_id, q)
                assert set(answers[0]) == await _scanned(session, line_id, q), (line_id, q)
    finally:
        await db.close()


async def _match(session: AsyncSession, q: str) -> str:
    """The FTS5 expression of a narrow plan, whatever the hits: every trigram a 1–2-character
    query begins (the server stops listing them at MAX_TERMS, and walks)."""
    folded = fold(q)
    if len(folded) >= 3:
        return search.fts5_string(folded)
    listed = "SELECT term FROM user_search_terms WHERE term > :p AND term < :below"
    terms = await session.scalars(text(listed), {"p": folded, "below": folded + "\U0010ffff"})
    return " OR ".join(map(search.fts5_string, terms))


async def _in_list_order(session: AsyncSession, way: search.Plan, line_id: int) -> list[int]:
    today = utcnow().date()
    active = way.active(line_id, today).where(Chat.last_message_at.is_not(None))
    active = active.order_by(Chat.last_message_at.desc(), ClientUser.id.desc())
    rest = way.rest(line_id, today).where(Chat.last_message_at.is_(None))
    rest = rest.order_by(ClientUser.full_name, ClientUser.id)
    rows = (await session.execute(active)).all() + (await session.execute(rest)).all()
    return [user.id for user, _at in rows]


async def _scanned(session: AsyncSession, line_id: int, q: str) -> set[int]:
    like = ClientUser.search_text.like(like_pattern(q), escape="\\")
    scan = users_of(line_id, utcnow().date()).where(like).with_only_columns(ClientUser.id)
    return set((await session.scalars(scan)).all())
