"""What the core's tests share: a Workplace on a tmp dir, a recorder of its changes, waiting
for a condition, the real server's other side (a client user writing), and replies held."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from app.core.domain import Message, UserRow
from app.core.tasks import Tasks
from app.net.api import ApiClient
from app.store.credentials import Credentials
from app.store.settings import Settings
from app.workplace import Workplace


class Recorder:
    def __init__(self, wp: Workplace) -> None:
        self.changes: list[object] = []
        self.unsubscribe = wp.subscribe(self.changes.append)

    def of(self, kind: type) -> list[Any]:
        return [c for c in self.changes if isinstance(c, kind)]


async def until(cond: Callable[[], object], within: float = 10.0, what: str = "") -> None:
    try:
        async with asyncio.timeout(within):
            while not cond():  # noqa: ASYNC110 - polls state, not an event
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what or cond}") from None


def make_workplace(data_dir: Path) -> Workplace:
    wp = Workplace(
        data_dir,
        settings=Settings(data_dir / "settings.json"),
        credentials=Credentials(use_keyring=False),
        backoff_base=0.2,
        backoff_max=1.0,
    )
    wp.system_idle = lambda: None  # the test's desktop: only the window's keys count
    return wp


async def client_api(url: str, login: str) -> ApiClient:
    api = ApiClient(url)
    await api.login(login, "demo")
    return api


async def user_writes(url: str, row: UserRow, text: str) -> Message:
    """The row's client user writes `text` in their chat (signed in as them)."""
    (sent,) = await user_writes_each(url, row, [text])
    return sent


async def user_writes_each(url: str, row: UserRow, texts: list[str]) -> list[Message]:
    """The row's client user writes each of `texts` in their chat, one after another."""
    client = await client_api(url, row.login)
    try:
        return [await client.put_message(row.chat_id, str(uuid.uuid4()), t) for t in texts]
    finally:
        await client.close()


async def written_while_held(
    monkeypatch: pytest.MonkeyPatch,
    wp: Workplace,
    method: str,
    intent: Coroutine[Any, Any, Any],
    url: str,
    row: UserRow,
    text: str,
) -> Message:
    """Run `intent` with the reply of `wp.api.<method>` held (read by the real server, not yet
    handed over) while the row's user writes `text`; release it once the event has come and
    wait for the intent. Returns the message written."""
    assert wp.api is not None
    held = hold_replies(monkeypatch, wp.api, method)
    running = asyncio.create_task(intent)
    await held.server_answered()
    sent = await user_writes(url, row, text)
    await until(lambda: last_message_is(wp, row.id, sent.id), what="the event")
    held.release()
    await running
    return sent


async def last_user(wp: Workplace) -> tuple[int, UserRow]:
    """The regular line chosen: its last user (their id, their row)."""
    await wp.select_line(regular_line(wp))
    user_id = wp.users.ids[-1]
    return user_id, wp.users.row(user_id)


async def open_last_user(wp: Workplace) -> tuple[int, UserRow]:
    """The regular line chosen, the chat of its last user opened: (their id, their row)."""
    user_id, _ = await last_user(wp)
    await wp.open_chat(user_id)
    return user_id, wp.users.row(user_id)


def last_message_is(wp: Workplace, user_id: int, message_id: int | None) -> bool:
    last = wp.users.row(user_id).last_message
    return last is not None and last.id == message_id


class Held:
    """Replies of one ApiClient method, held: `server_answered()` returns once the real
    server's reply to a call is in (read by the server, not handed over yet); `release()`
    hands it (and every later one) over."""

    def __init__(self) -> None:
        self.answered = asyncio.Event()
        self.gate = asyncio.Event()

    async def server_answered(self, within: float = 10.0) -> None:
        async with asyncio.timeout(within):
            await self.answered.wait()

    def release(self) -> None:
        self.gate.set()


def hold_replies(monkeypatch: pytest.MonkeyPatch, api: ApiClient, method: str) -> Held:
    """`api.<method>` still asks the real server, but hands its reply over only once
    released: what happens meanwhile happens after the server read the data."""
    real = getattr(api, method)
    hold = Held()

    async def held(*args: Any, **kw: Any) -> Any:
        reply = await real(*args, **kw)
        hold.answered.set()
        await hold.gate.wait()
        return reply

    monkeypatch.setattr(api, method, held)
    return hold


async def ended(tasks: Tasks, name: str) -> None:
    """The tasks called `name` that a part of the Workplace runs now have ended: what a live
    change set going (a mark-read, a row's refresh) is done."""
    running = [t for t in tasks if t.get_name() == name]
    if running:
        await asyncio.wait(running, timeout=10)


def regular_line(wp: Workplace) -> int:
    return next(ln.id for ln in wp.lines if not ln.streaming)


async def serving(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    """Something else at a server's place (a proxy's page, a server with another clock):
    `handler` answers every request; its URL, while iterated."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site.name
    finally:
        await runner.cleanup()
