"""The local cache (SQLAlchemy, SQLite in the user data dir): the last known state.

On the next start the window shows me, the lines, the first screen of the
current line's users (`FIRST_ROWS`, never a 100 000-row blob: the rest comes
from the server lazily) and the recent history of opened chats at once, before
the server answers.
Rows and messages are stored as the contract's JSON (`contract/`: app.core.parse makes
them the contract's Structs, msgspec encodes and decodes them); me and the lines as
their plain JSON, read back through the contract too. Per
account (`server_url#specialist_id`). All I/O runs on one worker thread:
call the `async` methods from the loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from app.core import parse
from app.core.domain import Line, Me, Message, UserRow
from contract import chats, clients

log = logging.getLogger("linedesk.cache")

T = TypeVar("T")

SCHEMA_VERSION = 1
HISTORY_KEEP = 100  # newest messages kept per chat
FIRST_ROWS = 200  # users kept per line: what the list shows at once


def to_json(value: Any) -> Any:
    """A domain object as the server's JSON shape (what app.core.parse reads back)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, msgspec.Struct):
        return msgspec.to_builtins(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


class Cache:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="linedesk-cache")
        self._engine: Any = None
        self._t: Any = None

    # -- plumbing (worker thread) -------------------------------------------------------

    def _open(self) -> None:
        if self._engine is not None:
            return
        import sqlalchemy as sa

        self.path.parent.mkdir(parents=True, exist_ok=True)
        md = sa.MetaData()
        kv = sa.Table(
            "kv",
            md,
            sa.Column("account", sa.String, primary_key=True),
            sa.Column("key", sa.String, primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        )
        users = sa.Table(
            "line_first_rows",
            md,
            sa.Column("account", sa.String, primary_key=True),
            sa.Column("line_id", sa.Integer, primary_key=True),
            sa.Column("rows", sa.Text, nullable=False),  # a JSON list: the first rows shown
        )
        history = sa.Table(
            "history",
            md,
            sa.Column("account", sa.String, primary_key=True),
            sa.Column("chat_id", sa.Integer, primary_key=True),
            sa.Column("messages", sa.Text, nullable=False),
            sa.Column("has_more", sa.Boolean, nullable=False),
        )
        engine = sa.create_engine(f"sqlite:///{self.path}")
        with engine.begin() as c:
            c.exec_driver_sql("PRAGMA journal_mode=WAL")
            c.exec_driver_sql("DROP TABLE IF EXISTS line_users")  # whole lines, before 2026-11
            md.create_all(c)
        self._engine = engine
        self._t = {"kv": kv, "users": users, "history": history}

    async def _run(self, fn: Callable[[], T]) -> T:
        def job() -> T:
            self._open()
            return fn()

        return await asyncio.get_running_loop().run_in_executor(self._pool, job)

    async def close(self) -> None:
        def job() -> None:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

        await asyncio.get_running_loop().run_in_executor(self._pool, job)
        self._pool.shutdown(wait=True)

    def _put(self, table: str, account: str, key: dict[str, Any], values: dict[str, Any]) -> None:
        from sqlalchemy.dialects.sqlite import insert

        t = self._t[table]
        stmt = insert(t).values(account=account, **key, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["account", *key], set_=values)
        with self._engine.begin() as c:
            c.execute(stmt)

    def _get(self, table: str, account: str, key: dict[str, Any]) -> Any:
        t = self._t[table]
        cond = t.c.account == account
        for k, v in key.items():
            cond = cond & (t.c[k] == v)
        with self._engine.connect() as c:
            return c.execute(t.select().where(cond)).first()

    # -- me and lines --------------------------------------------------------------------

    async def save_me(self, account: str, me: Me) -> None:
        await self._kv_put(account, "me", to_json(me))

    async def load_me(self, account: str) -> Me | None:
        return await self._kv_get(account, "me", parse.me)

    async def save_lines(self, account: str, lines: list[Line] | tuple[Line, ...]) -> None:
        await self._kv_put(account, "lines", {"items": to_json(list(lines))})

    async def load_lines(self, account: str) -> list[Line] | None:
        def p(d: object) -> list[Line]:
            return [parse.line(x) for x in parse.items(parse.obj(d).get("items"))]

        return await self._kv_get(account, "lines", p)

    async def save_value(self, account: str, key: str, value: object) -> None:
        await self._kv_put(account, key, value)

    async def load_value(self, account: str, key: str) -> object:
        return await self._kv_get(account, key, lambda v: v)

    async def _kv_put(self, account: str, key: str, value: object) -> None:
        text = json.dumps(value, ensure_ascii=False)
        await self._run(lambda: self._put("kv", account, {"key": key}, {"value": text}))

    async def _kv_get(self, account: str, key: str, p: Callable[[object], T]) -> T | None:
        row = await self._run(lambda: self._get("kv", account, {"key": key}))
        if row is None:
            return None
        try:
            return p(json.loads(row.value))
        except (ValueError, parse.Malformed) as e:
            log.warning("cache %s/%s unreadable: %s", account, key, e)
            return None

    # -- users -------------------------------------------------------------------------

    async def save_users(self, account: str, line_id: int, rows: list[UserRow]) -> None:
        """The first rows of a line in display order (at most FIRST_ROWS are kept)."""
        first = rows[:FIRST_ROWS]

        def job() -> None:
            text = msgspec.json.encode([parse.wire_row(r) for r in first]).decode()
            self._put("users", account, {"line_id": line_id}, {"rows": text})

        await self._run(job)

    async def load_users(self, account: str, line_id: int) -> list[UserRow] | None:
        def job() -> list[UserRow] | None:
            row = self._get("users", account, {"line_id": line_id})
            if row is None:
                return None
            try:
                return parse.user_rows(parse.decode(row.rows, list[clients.UserRow]))
            except parse.Malformed as e:
                log.warning("cached users of line %s unreadable: %s", line_id, e)
                return None

        return await self._run(job)

    # -- history -------------------------------------------------------------------------

    async def save_history(
        self,
        account: str,
        chat_id: int,
        messages: list[Message] | tuple[Message, ...],
        has_more: bool,
    ) -> None:
        keep = [m for m in messages if m.id is not None][-HISTORY_KEEP:]
        more = has_more or len(keep) < len([m for m in messages if m.id is not None])

        def job() -> None:
            text = msgspec.json.encode([parse.wire_message(m) for m in keep]).decode()
            self._put(
                "history", account, {"chat_id": chat_id}, {"messages": text, "has_more": more}
            )

        await self._run(job)

    async def load_history(self, account: str, chat_id: int) -> tuple[list[Message], bool] | None:
        def job() -> tuple[list[Message], bool] | None:
            row = self._get("history", account, {"chat_id": chat_id})
            if row is None:
                return None
            try:
                msgs = [parse.message(m) for m in parse.decode(row.messages, list[chats.Message])]
            except parse.Malformed as e:
                log.warning("cached history of chat %s unreadable: %s", chat_id, e)
                return None
            return msgs, bool(row.has_more)

        return await self._run(job)
