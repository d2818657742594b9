"""One incoming call, one decision of who it rings (server/calls/ringing.py): the PBX's fork
reaches every specialist's client with the same SIP Call-ID; each asks ``/call-ring`` with it,
the first question decides and every other is told the same — however the statuses move
meanwhile, and on PostgreSQL whichever of two server processes each question reaches. An old
call's decision is forgotten by the server's sweep."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import create_async_engine

from server.calls.models import RingDecision
from server.core.db import parse_url
from tests.server.api import Api, Contract
from tests.server.conftest import Deployment, each_database

pytestmark = [pytest.mark.telephony, pytest.mark.server]

USER = "a.troitskiy"
SPECIALISTS = ("demo", "o.smirnova", "m.lebedeva", "s.orlov", "d.kuznetsov")


deployment = each_database()


async def _kept(db_url: str, *, back_date: bool = False) -> int:
    """How many decisions the database keeps (after moving them all long into the past)."""
    engine = create_async_engine(parse_url(db_url))
    try:
        async with engine.begin() as connection:
            if back_date:
                await connection.execute(
                    update(RingDecision).values(decided_at=dt.datetime(2000, 1, 1))
                )
            return int(await connection.scalar(select(func.count()).select_from(RingDecision)))
    finally:
        await engine.dispose()


async def test_every_client_of_one_call_is_told_the_same(deployment: Deployment) -> None:
    count = 2 if deployment.backend == "postgres" else 1
    servers = [deployment.start("--sweep-every", "0.1") for _ in range(count)]
    apis = [Api(s.url, Contract.load()) for s in servers]
    for api in apis:
        await api.__aenter__()
    try:
        client = await apis[0].as_user(USER)
        login = (await client.get("/me"))["login"]
        line_id = int((await client.get("/chats"))["items"][0]["line"]["id"])
        # every specialist of the line among the demo's, each through one of the processes
        serving: list[Api] = []
        ids: dict[Api, int] = {}
        for k, name in enumerate(SPECIALISTS):
            who = await apis[k % count].as_user(name)
            lines = {int(line["id"]) for line in (await who.get("/lines"))["items"]}
            if line_id in lines:
                serving.append(who)
                ids[who] = int((await who.get("/me"))["id"])
        assert len(serving) >= 3, "the demo line should have several specialists"
        address = f"sip:{login}@pbx"

        async def ring(who: Api, call_id: str | None = "fork-1@pbx") -> list[int]:
            asked = {"line_id": str(line_id), "address": address}
            if call_id is not None:
                asked["call_id"] = call_id
            return list((await who.get("/call-ring", **asked))["specialist_ids"])

        # all at once, many times each: one answer
        told = await asyncio.gather(*(ring(who) for who in serving * 4))
        assert len({tuple(ids) for ids in told}) == 1, told
        decided = told[0]
        assert decided, "a known caller of an open line is rung at someone"
        # whoever was named goes Do not disturb: this call's answer stays, a new call's moves
        named = next(w for w in serving if ids[w] in decided)
        assert (await named.call("PUT", "/me/status", {"status": "dnd"})).status in (200, 204)
        try:
            for who in serving:
                assert await ring(who) == decided
            me = ids[named]
            assert me not in await ring(serving[0], None)
            assert me not in await ring(serving[-1], "fork-2@pbx")
            # the decisions of calls long over: the sweep forgets them, the Call-ID decides anew
            assert await _kept(deployment.db_url, back_date=True) == 2
            for _ in range(100):
                if await _kept(deployment.db_url) == 0:
                    break
                await asyncio.sleep(0.05)
            assert await _kept(deployment.db_url) == 0
            assert me not in await ring(serving[1], "fork-1@pbx")
        finally:
            await named.call("PUT", "/me/status", {"status": "free"})
        # a Call-ID no SIP message could carry: refused as such
        bad = await serving[0].call(
            "GET", f"/call-ring?line_id={line_id}&address={address}&call_id=a%20b"
        )
        assert bad.status == 400, bad.body
    finally:
        for api in apis:
            await api.__aexit__(None, None, None)
