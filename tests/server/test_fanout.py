"""Live delivery of a burst (issue 8): a burst of events larger than the tail's read batch,
committed at once, reaches every live stream once each, in seq order, also when the tail
writes a socket's share of a batch as one run of frames — on both databases."""

from __future__ import annotations

import functools
import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.db import Database, parse_url
from server.core.models import Line
from server.events import log as eventlog
from server.events.fanout import READ_BATCH
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment
from tests.server.test_audience import PAUSED_READERS, Stream, _line_ids, _sentinel, _streams

pytestmark = pytest.mark.server
BURST = READ_BATCH * 2 + 37


def _burst(line_id: int, message: dict[str, Any], session: Session) -> None:
    company_id = session.scalar(select(Line.company_id).where(Line.id == line_id))
    assert company_id is not None
    for n in range(BURST):
        eventlog.append_sync(
            session,
            company_id,
            "message.created",
            {**message, "text": f"burst {n}"},
            line_id=line_id,
            chat_id=message["chat_id"],
            user_id=message.get("user_id"),
        )


async def test_a_burst_larger_than_the_read_batch_reaches_every_stream_once(
    deployment: Deployment, contract: Contract
) -> None:
    live = deployment.start(*PAUSED_READERS)
    async with Api(live.url, contract) as api:
        demo = await api.as_user("demo")
        line_id = (await _line_ids(demo))["Бухгалтерия 1С"]
        chat_id = (await demo.get(f"/lines/{line_id}/users", limit="1"))["items"][0]["chat_id"]
        sent = await demo.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "x"})
        assert sent.status == 201
        streams: dict[str, Stream] = await _streams(api, contract, "demo", "o.smirnova")
        db = Database(parse_url(deployment.db_url))
        try:
            await db.transact(functools.partial(_burst, line_id, sent.body))
        finally:
            await db.close()
        for stream in streams.values():
            await _sentinel(stream)  # on SQLite this also rings the server's tail
        for stream in streams.values():
            seen = await stream.live(contract)
            texts = [e["data"]["text"] for e in seen if e["kind"] == "message.created"]
            assert texts[:BURST] == [f"burst {n}" for n in range(BURST)], stream.name
            seqs = [e["seq"] for e in seen]
            assert seqs == sorted(set(seqs)), stream.name  # in order, none twice
