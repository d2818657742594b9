"""The outbox without a server: storage, survival across reopen, failure and retry states."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.domain import Author, Message
from app.core.problems import ProblemCode
from app.net.api import ApiClient, BadRequest, Unreachable
from app.store.outbox import FAILED, PENDING, Delivered, Failed, Outbox

pytestmark = pytest.mark.core


class FakeApi:
    """Stands in for ApiClient.put_message only."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail: Exception | None = None
        self.stored: dict[str, Message] = {}

    async def put_message(
        self,
        chat_id: int,
        client_msg_id: str,
        text: str,
        quote_id: int | None = None,
        quote_text: str = "",
    ) -> Message:
        self.calls.append(client_msg_id)
        if self.fail is not None:
            raise self.fail
        if client_msg_id not in self.stored:
            from datetime import UTC, datetime

            self.stored[client_msg_id] = Message(
                len(self.stored) + 1,
                chat_id,
                client_msg_id,
                Author(1, "specialist", "S"),
                text,
                datetime.now(UTC),
            )
        return self.stored[client_msg_id]


def api(fake: FakeApi) -> ApiClient:
    return fake  # type: ignore[return-value]


async def test_items_survive_reopen_and_are_delivered_once(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    a = box.add("acc", 7, "first")
    b = box.add("acc", 7, "second")
    box.add("other", 7, "not mine")
    box.close()

    box = Outbox(path)
    assert [i.text for i in box.pending("acc")] == ["first", "second"]
    fake = FakeApi()
    fake.fail = Unreachable()
    with pytest.raises(Unreachable):
        await box.flush(api(fake), "acc")
    assert [i.state for i in box.items("acc")] == [PENDING, PENDING]
    fake.fail = None
    results = await box.flush(api(fake), "acc")
    assert [type(r) for r in results] == [Delivered, Delivered]
    assert fake.calls == [a.client_msg_id, a.client_msg_id, b.client_msg_id]
    assert box.items("acc") == []
    assert await box.flush(api(fake), "acc") == []
    assert len(fake.stored) == 2
    box.close()


async def test_permanent_rejection_fails_with_reason_and_retry(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    item = box.add("acc", 7, "x" * 10_001)
    fake = FakeApi()
    fake.fail = BadRequest(
        detail="text is too long", status=422, errors=(("text", "at most 10000"),)
    )
    [result] = await box.flush(api(fake), "acc")
    assert isinstance(result, Failed)
    assert result.error == ProblemCode.MESSAGE_TOO_LONG
    [stored] = box.items("acc")
    assert (stored.state, stored.error) == (FAILED, ProblemCode.MESSAGE_TOO_LONG)
    assert box.pending("acc") == []
    box.retry(item.client_msg_id)
    fake.fail = None
    [result] = await box.flush(api(fake), "acc")
    assert isinstance(result, Delivered)
    box.close()


def test_an_outbox_written_before_quote_fragments_opens_and_keeps_them(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "outbox.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " client_msg_id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, chat_id INTEGER NOT NULL,"
        " text TEXT NOT NULL, quote_id INTEGER, created_at TEXT NOT NULL,"
        " state TEXT NOT NULL DEFAULT 'pending', error TEXT NOT NULL DEFAULT '',"
        " attempts INTEGER NOT NULL DEFAULT 0);"
        "INSERT INTO outbox (client_msg_id, account, chat_id, text, quote_id, created_at)"
        " VALUES ('a', 'acc', 1, 'old reply', 7, '2026-12-01T10:00:00+00:00');"
    )
    old.close()
    box = Outbox(path)
    (item,) = box.items("acc")
    assert (item.text, item.quote_id, item.quote_text) == ("old reply", 7, "")
    box.add("acc", 1, "new reply", 7, quote_text="a part")
    assert [i.quote_text for i in box.items("acc")] == ["", "a part"]
    box.close()
