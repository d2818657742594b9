"""Sign-in, tokens, me, status, colleagues."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from server.core.db import Database, parse_url
from server.core.models import AuthToken
from server.core.problems import Problem
from tests.conftest import ServerProcess
from tests.server.api import PASSWORD, Api

pytestmark = pytest.mark.server


async def test_login_me_and_logout(api: Api) -> None:
    demo = await api.as_user("demo")
    me = await demo.get("/me")
    assert me["login"] == "demo"
    assert me["kind"] == "specialist"
    assert me["status"] in {"free", "away", "busy_new", "dnd"}
    assert (await demo.call("POST", "/auth/logout")).status == 204
    assert (await demo.call("GET", "/me")).status == 401


async def test_wrong_password_and_forged_token_are_401(api: Api) -> None:
    reply = await api.call("POST", "/auth/login", {"login": "demo", "password": "nope"})
    assert reply.status == 401
    unknown = await api.call("POST", "/auth/login", {"login": "nobody", "password": "demo"})
    assert unknown.status == 401
    forged = Api(api.base, api.contract, api.session, "forged-token")
    assert (await forged.call("GET", "/me")).status == 401
    assert (await api.call("GET", "/lines")).status == 401


async def test_failed_logins_are_rate_limited(api: Api) -> None:
    for _ in range(5):
        reply = await api.call("POST", "/auth/login", {"login": "o.smirnova", "password": "x"})
        assert reply.status == 401
    limited = await api.call("POST", "/auth/login", {"login": "o.smirnova", "password": "demo"})
    assert limited.status == 429
    assert int(limited.headers["Retry-After"]) >= 1
    # the name's owner, at another address, is not kept out by a guesser (they were)
    elsewhere = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
    async with aiohttp.ClientSession(connector=elsewhere) as session:
        owner = Api(api.base, api.contract, session)
        signed = await owner.call(
            "POST", "/auth/login", {"login": "o.smirnova", "password": PASSWORD}
        )
        assert signed.status == 200


def test_failures_are_counted_per_ipv6_network_not_per_address() -> None:
    """One host holds a whole IPv6 /64 (privacy addresses): each of its addresses counted
    alone gave a guesser endless fresh ones, and the per-name limit its owner's lockout."""
    from server.auth.tokens import LoginThrottle, client_of

    assert client_of("2001:db8:1:2::1") == client_of("2001:db8:1:2:ffff:1:2:3")
    assert client_of("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_of("2001:db8:1:3::1") != client_of("2001:db8:1:2::1")
    assert client_of("fe80::1%eth0") == "fe80::/64"
    assert client_of("::ffff:192.0.2.7") == "192.0.2.7" == client_of("192.0.2.7")
    assert client_of("64:ff9b::c000:207") == "192.0.2.7"  # through NAT64: not one for all
    assert client_of(None) == "" and client_of("not an address") == "not an address"
    throttle = LoginThrottle(5, 100, 50, dt.timedelta(minutes=1))
    for n in range(5):  # five failures from five addresses of one /64
        keys = throttle.keys("O.Smirnova", f"2001:db8:1:2::{n + 1:x}")
        throttle.check(keys)
        throttle.failed(keys)
    with pytest.raises(Problem):
        throttle.check(throttle.keys("o.smirnova", "2001:db8:1:2::99"))
    throttle.check(throttle.keys("o.smirnova", "2001:db8:1:3::99"))  # another network


async def test_client_user_signs_in(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    me = await client.get("/me")
    assert me["kind"] == "client"
    assert me["company"] is not None
    chats = await client.get("/chats")
    assert chats["items"]


async def test_status_change_and_colleagues(api: Api) -> None:
    demo = await api.as_user("demo")
    reply = await demo.call("PUT", "/me/status", {"status": "dnd"})
    assert reply.status == 200
    assert reply.body["status"] == "dnd"
    bad = await demo.call("PUT", "/me/status", {"status": "sleeping"})
    assert bad.status == 400
    smirnova = await api.as_user("o.smirnova")
    colleagues = (await smirnova.get("/colleagues"))["items"]
    assert {"dnd"} == {c["status"] for c in colleagues if c["full_name"].startswith("Демидова")}


async def test_tokens_are_stored_hashed_and_expire(api: Api, live: ServerProcess) -> None:
    demo = await api.as_user("demo")
    db = Database(parse_url(live.db_url))
    try:
        async with db.write() as session:
            stored = list(await session.scalars(select(AuthToken.token_hash)))
            assert demo.token not in stored
            assert hashlib.sha256(str(demo.token).encode()).hexdigest() in stored
            await session.execute(
                update(AuthToken).values(
                    expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
                )
            )
    finally:
        await db.close()
    assert (await demo.call("GET", "/me")).status == 401


async def test_no_token_is_401_before_anything_about_the_request(api: Api) -> None:
    """Every operation that needs a caller answers a request with no token 401, whatever is
    wrong with the rest (a malformed body, path and query): the caller learns nothing about
    the input before it has signed in — POST /calls and /remote-sessions once read the body
    first and said 400."""
    import re

    from contract.routes import OPERATIONS

    answered = {}
    for op in OPERATIONS:
        if not op.auth:
            continue
        path = re.sub(r"\{[^}]+\}", "1", op.path.removeprefix("/api/v1"))
        reply = await api.call(op.method, path, raw=b'{"broken', content_type="application/json")
        answered[f"{op.method} {op.path}"] = reply.status
    assert {k: v for k, v in answered.items() if v != 401} == {}
    assert len(answered) > 60  # every operation was tried


async def test_a_user_signed_in_on_a_mobile_device_shows_the_mobile_mark(api: Api) -> None:
    """Seed 001: the mobile mark "if the user's account is signed in on a mobile device" — on
    with a mobile session, told live to the line's specialists, off when the last one signs
    out; a desktop session changes nothing; a device it does not know is a 400."""
    demo = await api.as_user("demo")
    line = (await demo.get("/lines"))["items"][0]["id"]
    rows = (await demo.get(f"/lines/{line}/users", limit="500"))["items"]
    row = next(r for r in rows if not r["colleague"] and not r["mobile"])
    login = {"login": row["login"], "password": PASSWORD}

    async def mark_told(ws: Any) -> bool:
        while True:
            frame = json.loads((await ws.receive(timeout=10)).data)
            data = frame.get("data") or {}
            ours = frame.get("kind") == "user.updated" and data.get("id") == row["id"]
            if ours and "mobile" in data:
                return bool(data["mobile"])

    def shown() -> Any:
        return demo.get(f"/lines/{line}/users/{row['id']}")

    assert (await api.call("POST", "/auth/login", {**login, "device": "tablet"})).status == 400
    desktop = await api.call("POST", "/auth/login", {**login, "device": "desktop"})
    assert desktop.status == 200 and (await shown())["mobile"] is False
    async with demo.events() as ws:
        await ws.receive(timeout=10)  # hello
        phone = await api.call("POST", "/auth/login", {**login, "device": "mobile"})
        assert phone.status == 200
        assert await mark_told(ws) is True
        assert (await shown())["mobile"] is True
        second = await api.call("POST", "/auth/login", {**login, "device": "mobile"})
        mobile_api = Api(api.base, api.contract, api.session, phone.body["token"])
        assert (await mobile_api.call("POST", "/auth/logout")).status == 204
        assert (await shown())["mobile"] is True  # another mobile session still lasts
        second_api = Api(api.base, api.contract, api.session, second.body["token"])
        assert (await second_api.call("POST", "/auth/logout")).status == 204
        assert await mark_told(ws) is False
    assert (await shown())["mobile"] is False
