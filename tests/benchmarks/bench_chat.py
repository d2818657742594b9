"""Search of a 100 000-message chat's whole history, and a jump 50 000 messages back,
through the real server over HTTP, on SQLite and on PostgreSQL (server/chats/search.py);
and the memory a received 6000×6000 photo's thumbnail costs; and long messages folded in the
chat view (ui/chat/fold.py): a click on «Show all» to the repaint, and a chat of fifty
10 000-character messages opened, each against its floor measured in the same run.

The demo database is seeded by the server itself, then 100 000 messages (Russian words
drawn from a vocabulary, a rare word planted 50 000 back) go into one client's chat by bulk
insert — the FTS5 triggers index them as any insert. One JSON line per figure."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

import server.models  # noqa: F401  (every table; the search's DDL and SQLite function)
from server.core.db import parse_url
from server.core.models import AccountKind, Chat, ClientUser, Message, utcnow
from tests.benchmarks.bench_server import PostgresCluster
from tests.benchmarks.common import emit, note
from tests.conftest import ServerProcess

MESSAGES = 100_000
BACK = 50_000
RUNS = 15
GOAL_SEARCH_MS = 200.0
GOAL_JUMP_MS = 100.0
VOCABULARY = (
    "договор счёт оплата принтер отчёт ошибка сервер обновление база пароль доступ "
    "касса склад накладная поставка клиент менеджер звонок письмо файл таблица "
    "выгрузка загрузка программа лицензия ключ ответ вопрос помощь срочно завтра "
    "сегодня спасибо здравствуйте документ реестр налог декларация зарплата "
    "сотрудник отпуск больничный табель приказ "
)
WORDS = VOCABULARY.split()
RARE = "шпаргалка"


async def fill(db_url: str) -> tuple[int, int]:
    """100 000 messages into k.nesterov's first chat; (chat id, the rare message's id)."""
    engine = create_async_engine(parse_url(db_url))
    rng = random.Random(12)
    async with engine.begin() as conn:
        user_id = (
            await conn.execute(select(ClientUser.id).where(ClientUser.login == "k.nesterov"))
        ).scalar_one()
        chat_id = (
            (await conn.execute(select(Chat.id).where(Chat.user_id == user_id).order_by(Chat.id)))
            .scalars()
            .first()
        )
        assert chat_id is not None
        now = utcnow()
        batch: list[dict[str, object]] = []
        for i in range(MESSAGES):
            words = rng.choices(WORDS, k=rng.randint(4, 14))
            if i == MESSAGES - BACK:
                words.append(RARE)
            batch.append(
                {
                    "chat_id": chat_id,
                    "client_msg_id": str(uuid.uuid4()),
                    "author_kind": AccountKind.CLIENT,
                    "author_user_id": user_id,
                    "text": " ".join(words).capitalize(),
                    "created_at": now,
                }
            )
            if len(batch) == 5000:
                await conn.execute(insert(Message), batch)
                batch = []
        rare_id = (
            await conn.execute(
                select(Message.id)
                .where(Message.chat_id == chat_id)
                .order_by(Message.id.desc())
                .offset(BACK)
                .limit(1)
            )
        ).scalar_one()
    async with engine.begin() as conn:  # the statistics autovacuum would gather in time
        await conn.exec_driver_sql("ANALYZE")
    await engine.dispose()
    return int(chat_id), int(rare_id)


async def measure(url: str, chat_id: int, rare_id: int) -> dict[str, float]:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            url + "/api/v1/auth/login", json={"login": "demo", "password": "demo"}
        ) as r:
            token = (await r.json())["token"]
        headers = {"Authorization": f"Bearer {token}"}

        async def timed(path: str, **params: str) -> float:
            start = time.perf_counter()
            async with http.get(url + "/api/v1" + path, params=params, headers=headers) as r:
                assert r.status == 200, (path, r.status, await r.text())
                await r.read()
            return (time.perf_counter() - start) * 1000

        search = f"/chats/{chat_id}/search"
        await timed(search, q="договор")  # warm
        common = [await timed(search, q="договорами") for _ in range(RUNS)]
        two = [await timed(search, q="оплата счёта") for _ in range(RUNS)]
        rare = [await timed(search, q="шпаргалки") for _ in range(RUNS)]
        jump = [await timed(f"/chats/{chat_id}/around/{rare_id}") for _ in range(RUNS)]
    return {
        "common": statistics.median(common),
        "two": statistics.median(two),
        "rare": statistics.median(rare),
        "jump": statistics.median(jump),
    }


def run(backend: str, db_url: str, files: Path) -> None:
    seeder = ServerProcess(db_url, files, "--seed", "demo")
    seeder.start()
    seeder.stop()
    started = time.perf_counter()
    chat_id, rare_id = asyncio.run(fill(db_url))
    took = time.perf_counter() - started
    note(f"{backend}: {MESSAGES} messages inserted and indexed in {took:.1f} s")
    server = ServerProcess(db_url, files)
    server.start()
    try:
        figures = asyncio.run(measure(server.url, chat_id, rare_id))
    finally:
        server.stop()
    for name, what in (
        ("common", "a common word, first page"),
        ("two", "two words, first page"),
        ("rare", "a rare word 50 000 back"),
    ):
        emit(f"chat search {backend}: {what} (100 000 messages), median", figures[name], "ms",
             GOAL_SEARCH_MS)  # fmt: skip
    emit(f"chat jump {backend}: a message 50 000 back with neighbours, median", figures["jump"],
         "ms", GOAL_JUMP_MS)  # fmt: skip


def bench_big_image() -> None:
    """A received 6000×6000 photo's thumbnail (ui/chat/thumbs.py) decoded in a fresh
    process: the peak RSS it adds (goal ≤ 20 MB; decoded whole it would be 6000 × 6000 × 4
    bytes, 137 MB — the painting of it naively cost that here)."""
    from tests.chat.test_thumbnails import big_image, child

    with tempfile.TemporaryDirectory() as tmp:
        measured = child(big_image(Path(tmp) / "photo.jpg"))
    added = int(measured["added_kb"]) / 1024  # type: ignore[call-overload]
    emit("chat image: a 6000×6000 photo's thumbnail, peak RSS added", round(added, 1), "MB", 20,
         whole_decode_mb=round(6000 * 6000 * 4 / 2**20))  # fmt: skip


def bench_fold() -> None:
    """The chat view alone, offscreen, in a fresh process (tests/benchmarks/fold_child.py):
    a click on «Show all» of a 10 000-character message to the end of the repaint, against
    the same click and repaint changing nothing; a chat whose 50 messages are all 10 000
    characters long opened to its last paint, against the same chat of short messages."""
    import json
    import subprocess
    import sys

    from tests.benchmarks.floors import qt_env

    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.fold_child", str(RUNS)],
        env=qt_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    runs = json.loads(done.stdout.strip().splitlines()[-1])
    median = {name: statistics.median(values) for name, values in runs.items()}
    emit("chat fold: a click on «Show all» of a 10 000-character message to the repaint, median",
         median["unfold"], "ms", 16.0, floor=median["click"], runs=RUNS)  # fmt: skip
    emit("chat fold: a chat of 50 messages of 10 000 characters opened to its paint, median",
         median["open_long"], "ms", 100.0, floor=median["open_short"], runs=RUNS)  # fmt: skip


def main() -> None:
    bench_fold()
    bench_big_image()
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{tmp}/bench.db", Path(tmp) / "files")
    cluster = PostgresCluster()
    try:
        base = cluster.start()
        with tempfile.TemporaryDirectory() as tmp:
            run("postgres", base, Path(tmp) / "files")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
