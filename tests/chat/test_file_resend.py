"""A file's message goes again under its retry key (app/chat/files.py) against the real
server: a reply lost after the server stored it, a 5xx, and a send that gave up and is
dropped again — each is one message on the server, never two, and no upload is left
without its message. (It was sent once under a fresh key per drop: a lost reply was told
"unreachable" though stored, the file dropped again was a second message; a 5xx left the
upload without one.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.chat import files
from app.core import changes as ch
from app.core.problems import ProblemCode
from app.net.api import ServerError, Unreachable
from app.store import outbox
from app.workplace import Workplace
from tests.app.workplaces import Recorder, client_api, open_last_user
from tests.conftest import ServerProcess

pytestmark = [pytest.mark.chat, pytest.mark.core]


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox's policy, its waits shortened (0.1, 0.2 … s)."""
    monkeypatch.setattr(outbox, "RETRY_FIRST_S", 0.05)


def failing_puts(
    monkeypatch: pytest.MonkeyPatch, wp: Workplace, times: int, after_server: bool
) -> list[str]:
    """The next `times` message PUTs fail: their reply lost after the server took it
    (`after_server`), or a 500 before; the paths of every PUT, in order."""
    api = wp.api
    assert api is not None
    real = api.call
    puts: list[str] = []

    async def call(method: str, path: str, **kw: Any) -> Any:
        if method != "PUT" or "/messages/" not in path:
            return await real(method, path, **kw)
        puts.append(path)
        if len(puts) > times:
            return await real(method, path, **kw)
        if after_server:
            await real(method, path, **kw)
            raise Unreachable(detail="the reply was cut")
        raise ServerError(detail="HTTP 500 (a backend terminated)", status=500)

    monkeypatch.setattr(api, "call", call)
    return puts


async def file_messages(live: ServerProcess, login: str, chat_id: int) -> list[int]:
    c = await client_api(live.url, login)
    try:
        page, _ = await c.messages(chat_id, limit=50)
    finally:
        await c.close()
    return [m.id for m in page if m.file is not None and m.id is not None]


async def a_chat_and_a_file(wp: Workplace, tmp_path: Path) -> tuple[str, int, Path]:
    """The last user's chat opened (their login, the chat), and a file to send them."""
    _user_id, row = await open_last_user(wp)
    assert row.chat_id is not None
    path = tmp_path / "scan.txt"
    path.write_bytes(b"hello" * 1000)
    return row.login, row.chat_id, path


def blobs(live: ServerProcess) -> int:
    return sum(1 for p in live.files_dir.iterdir() if p.is_file())


@pytest.mark.parametrize("after_server", [True, False], ids=["reply-lost", "5xx"])
async def test_a_failed_put_goes_again_under_its_key(
    signed_in: tuple[Workplace, Recorder],
    live: ServerProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    after_server: bool,
) -> None:
    wp, rec = signed_in
    login, chat_id, path = await a_chat_and_a_file(wp, tmp_path)
    puts = failing_puts(monkeypatch, wp, 1, after_server)
    problems = len(rec.of(ch.Problem))
    sent = await wp.act(files.SEND_FILE, chat_id, path, None)
    assert sent is not None and sent.file is not None, rec.of(ch.Problem)[problems:]
    assert rec.of(ch.Problem)[problems:] == []  # never told it failed
    assert len(puts) == 2 and puts[0] == puts[1]  # the same key
    assert await file_messages(live, login, chat_id) == [sent.id]
    assert blobs(live) == 1


async def test_a_send_that_gave_up_is_the_same_message_when_dropped_again(
    signed_in: tuple[Workplace, Recorder],
    live: ServerProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wp, rec = signed_in
    login, chat_id, path = await a_chat_and_a_file(wp, tmp_path)
    puts = failing_puts(monkeypatch, wp, files.SEND_ATTEMPTS, after_server=True)
    problems = len(rec.of(ch.Problem))
    assert await wp.act(files.SEND_FILE, chat_id, path, None) is None
    (said,) = rec.of(ch.Problem)[problems:]
    assert said.code is ProblemCode.FILE_NOT_SENT and "scan.txt" in said.detail
    assert len(puts) == files.SEND_ATTEMPTS and len(set(puts)) == 1
    stored = await file_messages(live, login, chat_id)
    assert len(stored) == 1  # the server has it (every reply was lost)
    # the specialist, told it did not reach the chat, drops the same file again
    again = await wp.act(files.SEND_FILE, chat_id, path, None)
    assert again is not None and again.id == stored[0]
    assert set(puts) == {puts[0]}  # under its key
    assert await file_messages(live, login, chat_id) == stored
    assert blobs(live) == 1  # not uploaded twice
