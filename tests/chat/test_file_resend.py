"""A file's message goes again under its retry key (app/chat/files.py) against the real
server: a reply lost after the server stored it, a 5xx, a send that gave up and is dropped
again, and one dropped again after the server swept its unused upload
(server/chats/unused.py) — each is one message on the server, never two, and no upload is
left without its message. (It was sent once under a fresh key per drop: a lost reply was
told "unreachable" though stored, the file dropped again was a second message; a 5xx left
the upload without one.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.chat import files
from app.core import changes as ch
from app.core.domain import Message
from app.core.problems import ProblemCode
from app.net.api import ServerError, Unreachable
from app.store import outbox
from app.workplace import Workplace
from tests.app.workplaces import Recorder, client_api, open_last_user
from tests.conftest import ServerProcess

pytestmark = [pytest.mark.chat, pytest.mark.core]

GRACE_S = 5  # the server's grace for an upload no message carries (a day by default)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ServerProcess]:
    """The demo server; an upload no message carries is swept GRACE_S after it came."""
    process = ServerProcess(
        f"sqlite:///{tmp_path / 'linedesk.db'}",
        tmp_path / "files",
        *("--seed", "demo", "--sweep-every", "0.2", "--unused-file-grace", str(GRACE_S)),
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox's policy, its waits shortened (0.1, 0.2 … s)."""
    monkeypatch.setattr(outbox, "RETRY_FIRST_S", 0.05)


@dataclass
class Sending:
    """The specialist in the last user's chat with a file to send, on the live server."""

    wp: Workplace
    rec: Recorder
    live: ServerProcess
    login: str
    chat_id: int
    path: Path
    puts: list[str]  # the paths of the message PUTs, in order

    async def send(self) -> Message | None:
        sent: Message | None = await self.wp.act(files.SEND_FILE, self.chat_id, self.path, None)
        return sent

    def problems(self) -> list[ProblemCode]:
        return [p.code for p in self.rec.of(ch.Problem)]

    async def on_server(self) -> list[int]:
        """The ids of the chat's messages carrying a file, as the server has them."""
        c = await client_api(self.live.url, self.login)
        try:
            page, _ = await c.messages(self.chat_id, limit=50)
        finally:
            await c.close()
        return [m.id for m in page if m.file is not None and m.id is not None]

    def blobs(self) -> int:
        return sum(1 for p in self.live.files_dir.iterdir() if p.is_file())

    def failing_puts(self, monkeypatch: pytest.MonkeyPatch, times: int, after: bool) -> None:
        """The next `times` message PUTs fail: their reply lost after the server took it
        (`after`), or a 500 before."""
        api = self.wp.api
        assert api is not None
        real = api.call
        failed = len(self.puts) + times

        async def call(method: str, path: str, **kw: Any) -> Any:
            if method != "PUT" or "/messages/" not in path:
                return await real(method, path, **kw)
            self.puts.append(path)
            if len(self.puts) > failed:
                return await real(method, path, **kw)
            if after:
                await real(method, path, **kw)
                raise Unreachable(detail="the reply was cut")
            raise ServerError(detail="HTTP 500 (a backend terminated)", status=500)

        monkeypatch.setattr(api, "call", call)


@pytest.fixture
async def sending(
    signed_in: tuple[Workplace, Recorder], live: ServerProcess, tmp_path: Path
) -> Sending:
    wp, rec = signed_in
    _user_id, row = await open_last_user(wp)
    assert row.chat_id is not None
    path = tmp_path / "scan.txt"
    path.write_bytes(b"hello" * 1000)
    rec.changes.clear()  # what the sign-in said is not the send's
    return Sending(wp, rec, live, row.login, row.chat_id, path, [])


@pytest.mark.parametrize("after", [True, False], ids=["reply-lost", "5xx"])
async def test_a_failed_put_goes_again_under_its_key(
    sending: Sending, monkeypatch: pytest.MonkeyPatch, after: bool
) -> None:
    sending.failing_puts(monkeypatch, 1, after)
    sent = await sending.send()
    assert sent is not None and sent.file is not None, sending.problems()
    assert sending.problems() == []  # never told it failed
    assert len(sending.puts) == 2 and len(set(sending.puts)) == 1  # the same key
    assert await sending.on_server() == [sent.id]
    assert sending.blobs() == 1


async def test_a_send_that_gave_up_is_the_same_message_when_dropped_again(
    sending: Sending, monkeypatch: pytest.MonkeyPatch
) -> None:
    sending.failing_puts(monkeypatch, files.SEND_ATTEMPTS, after=True)
    assert await sending.send() is None
    (said,) = sending.rec.of(ch.Problem)
    assert said.code is ProblemCode.FILE_NOT_SENT and "scan.txt" in said.detail
    assert len(sending.puts) == files.SEND_ATTEMPTS and len(set(sending.puts)) == 1
    stored = await sending.on_server()
    assert len(stored) == 1  # the server has it (every reply was lost)
    # the specialist, told it did not reach the chat, drops the same file again
    again = await sending.send()
    assert again is not None and again.id == stored[0]
    assert len(set(sending.puts)) == 1  # under its key
    assert await sending.on_server() == stored
    assert sending.blobs() == 1  # not uploaded twice


async def test_an_upload_swept_meanwhile_is_uploaded_again_under_the_same_key(
    sending: Sending, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "SEND_ATTEMPTS", 1)
    sending.failing_puts(monkeypatch, 1, after=False)
    assert await sending.send() is None
    assert sending.problems() == [ProblemCode.FILE_NOT_SENT]
    deadline = time.monotonic() + GRACE_S + 20  # a bound: the sweep is the event
    while sending.blobs():
        assert time.monotonic() < deadline, "the unused upload was not swept"
        await asyncio.sleep(0.05)
    again = await sending.send()  # the old upload's id: 404 naming file_id
    assert again is not None and again.file is not None, sending.problems()
    assert len(sending.puts) == 3 and len(set(sending.puts)) == 1
    assert await sending.on_server() == [again.id]
    assert sending.blobs() == 1
