"""Search of a chat's whole history on the real server, on SQLite (FTS5 of Russian stems)
and on PostgreSQL (the `russian` configuration); every answer checked against the
OpenAPI document (tests/server/api.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.chats.search import Query, stems
from tests.conftest import Postgres, ServerProcess, new_sqlite_server
from tests.server.api import Api, Contract

pytestmark = [pytest.mark.chat, pytest.mark.server]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def searched(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    if request.param == "sqlite":
        process = new_sqlite_server(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        postgres: Postgres = request.getfixturevalue("postgres")
        process = ServerProcess(postgres.new_database(), tmp_path / "files")
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def client(searched: ServerProcess) -> AsyncIterator[tuple[Api, Api, int]]:
    """(the client user, the demo specialist, the client's first chat)"""
    async with Api(searched.url, Contract.load()) as anonymous:
        user = await anonymous.as_user("k.nesterov")
        specialist = await anonymous.as_user("demo")
        chat_id = int((await user.get("/chats"))["items"][0]["id"])
        yield user, specialist, chat_id


async def write(api: Api, chat_id: int, text: str) -> int:
    reply = await api.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": text})
    assert reply.status == 201, reply.body
    return int(reply.body["id"])


async def found(api: Api, chat_id: int, q: str, **more: str) -> dict:  # type: ignore[type-arg]
    return await api.get(f"/chats/{chat_id}/search", q=q, **more)  # type: ignore[no-any-return]


async def test_words_in_any_form_e_and_yo_any_case(client: tuple[Api, Api, int]) -> None:
    user, specialist, chat_id = client
    a = await write(user, chat_id, "Пришлите, пожалуйста, копию ДОГОВОРА за март")
    b = await write(user, chat_id, "Ёлка в офисе упала на принтер")
    c = await write(specialist, chat_id, "По договорам поставки ответим завтра")
    await write(user, chat_id, "Совсем другое сообщение")
    page = await found(specialist, chat_id, "договор")
    assert [h["message"]["id"] for h in page["items"]][:2] == [c, a]  # newest first
    hit = page["items"][1]
    text = hit["message"]["text"]
    assert [text[s:e] for s, e in hit["spans"]] == ["ДОГОВОРА"]  # the match, for highlighting
    for q in ("елка", "ЁЛКИ", "ёлкой"):
        ids = [h["message"]["id"] for h in (await found(specialist, chat_id, q))["items"]]
        assert b in ids, q
    # every word must be there, in any order
    ids = [h["message"]["id"] for h in (await found(specialist, chat_id, "марта копии"))["items"]]
    assert ids == [a]
    # the client user searches their own chat too
    assert (await found(user, chat_id, "принтеры"))["items"][0]["message"]["id"] == b


async def test_quotes_percent_backslash_and_only_stop_words(
    client: tuple[Api, Api, int],
) -> None:
    user, specialist, chat_id = client
    m = await write(user, chat_id, 'Ошибка "100%" в пути C:\\Отчёты\\квартал')
    for q in ('"100%"', "100%", "отчеты\\квартал", "'ошибка", 'C:\\"'):
        page = await found(specialist, chat_id, q)
        assert m in [h["message"]["id"] for h in page["items"]], q
    assert (await found(specialist, chat_id, "%"))["items"] == []  # no word: nothing
    page = await found(specialist, chat_id, "и в на")
    assert page["items"] == [] and page["ignored"] == ["и", "в", "на"] and page["words"] == []


async def test_pages_and_other_chats(client: tuple[Api, Api, int]) -> None:
    user, specialist, chat_id = client
    ids = [await write(user, chat_id, f"Заявка номер {i} про роутер") for i in range(7)]
    first = await found(specialist, chat_id, "роутеры", limit="3")
    assert [h["message"]["id"] for h in first["items"]] == ids[::-1][:3] and first["has_more"]
    second = await found(
        specialist, chat_id, "роутеры", limit="3", before=str(first["items"][-1]["message"]["id"])
    )
    assert [h["message"]["id"] for h in second["items"]] == ids[::-1][3:6]
    # another user's chat is not searchable by this user
    other = await user.call("GET", f"/chats/{chat_id + 10_000}/search", params={"q": "роутер"})
    assert other.status == 404


async def test_a_message_in_place_with_neighbours(client: tuple[Api, Api, int]) -> None:
    user, specialist, chat_id = client
    ids = [await write(user, chat_id, f"Сообщение {i}") for i in range(9)]
    page = await specialist.get(f"/chats/{chat_id}/around/{ids[4]}", limit="2")
    assert [m["id"] for m in page["items"]] == ids[2:7]
    assert page["has_older"] and page["has_newer"]
    page = await specialist.get(f"/chats/{chat_id}/around/{ids[-1]}", limit="2")
    assert [m["id"] for m in page["items"]] == ids[-3:] and not page["has_newer"]
    missing = await specialist.call("GET", f"/chats/{chat_id}/around/999999999")
    assert missing.status == 404


def test_the_words_are_split_lowered_and_stemmed() -> None:
    assert stems("ДОГОВОРАМИ, ёлки!") == "договор елк"
    query = Query('"И" в ДОГОВОРЕ 100% \\ ёлки')
    assert query.words == ["договоре", "100", "елки"] and query.ignored == ["и", "в"]
    assert query.fts5(7) == 'chat : "7" AND terms : "договор" AND terms : "100" AND terms : "елк"'
