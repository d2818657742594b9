"""A line's directory (every user compactly, for local search) and its rows by id."""

from __future__ import annotations

import gzip

import pytest

from tests.server.api import Api
from tests.server.test_lines import all_users, line_named

pytestmark = pytest.mark.server


async def test_directory_is_every_user_in_the_list_order(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    d = await demo.get(f"/lines/{line['id']}/directory")
    assert d["ids"] == [r["id"] for r in rows]
    assert d["chat_ids"] == [r["chat_id"] for r in rows]
    assert [t is None for t in d["last_message_at"]] == [r["last_message"] is None for r in rows]
    for row, text in zip(rows, d["search"], strict=True):
        assert text == text.lower()
        assert str(row["full_name"]).lower().replace("ё", "е") in text  # ё folded as е
        assert str(row["login"]).lower() in text


async def test_rows_by_id_in_the_order_asked(api: Api) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    rows = await all_users(demo, line["id"], 500)
    wanted = [rows[-1]["id"], rows[0]["id"], rows[len(rows) // 2]["id"]]
    got = await demo.get(f"/lines/{line['id']}/rows", ids=",".join(map(str, wanted)))
    assert [r["id"] for r in got["items"]] == wanted
    by_id = {r["id"]: r for r in rows}
    assert all(r == by_id[r["id"]] for r in got["items"])


async def test_another_lines_users_are_not_found(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    demo_lines = {ln["id"] for ln in (await demo.get("/lines"))["items"]}
    own_line = (await morozov.get("/lines"))["items"][0]["id"]
    hidden_line = next(iter(demo_lines - {own_line}))
    hidden_user = (await demo.get(f"/lines/{hidden_line}/users", limit="1"))["items"][0]["id"]
    for path, params in (
        (f"/lines/{hidden_line}/directory", None),
        (f"/lines/{hidden_line}/rows", {"ids": str(hidden_user)}),
        ("/lines/999999/directory", None),
        ("/lines/999999/rows", {"ids": "1"}),
    ):
        reply = await morozov.call("GET", path, params=params)
        assert reply.status == 404, (path, reply.status)
    # another line's user asked for on one's own line: left out, nothing leaks
    own = await morozov.get(f"/lines/{own_line}/rows", ids=str(hidden_user))
    own_ids = set((await morozov.get(f"/lines/{own_line}/directory"))["ids"])
    assert [r["id"] for r in own["items"]] == ([hidden_user] if hidden_user in own_ids else [])
    client = await api.as_user("a.troitskiy")
    reply = await client.call("GET", f"/lines/{own_line}/directory")
    assert reply.status == 403


@pytest.mark.parametrize("ids", ["", "x", "1,,2", "0", "-1", ",".join(["1"] * 501)])
async def test_bad_ids_are_400(api: Api, ids: str) -> None:
    demo = await api.as_user("demo")
    line = await line_named(demo, "Бухгалтерия")
    reply = await demo.call("GET", f"/lines/{line['id']}/rows", params={"ids": ids})
    assert reply.status == 400, (ids, reply.status)


async def test_a_long_directory_goes_compressed(api: Api) -> None:
    """A 100 000-user line's directory is 18.8 MB of JSON: on a 10 Mbit/s link that alone
    was past the client's time limit. Compressed when asked (aiohttp's client asks), the
    short ones as they are."""
    import aiohttp

    from server.clients.directory import COMPRESSED_FROM

    demo = await api.as_user("demo")
    seen = []
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        for line in (await demo.get("/lines"))["items"]:
            url = f"{demo.base}/api/v1/lines/{line['id']}/directory"
            plain_only = {**demo.headers(), "Accept-Encoding": "identity"}
            async with http.get(url, headers=plain_only) as reply:
                plain = await reply.read()
            headers = {**demo.headers(), "Accept-Encoding": "gzip"}
            async with http.get(url, headers=headers) as reply:
                sent, encoding = await reply.read(), reply.headers.get("Content-Encoding")
            long = len(plain) > COMPRESSED_FROM
            assert encoding == ("gzip" if long else None), (len(plain), encoding)
            if long:
                assert gzip.decompress(sent) == plain and len(sent) < len(plain) // 2
            seen.append(long)
    assert True in seen and False in seen  # (the demo has both)
