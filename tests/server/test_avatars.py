"""Account pictures: upload, serving with its headers, who may see them, bad uploads, the
user.updated event, the demo's portraits."""

from __future__ import annotations

import asyncio
import hashlib
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from server.demo import avatar_art
from server.photos import images
from tests.conftest import ServerProcess
from tests.server.api import Api, Contract
from tests.server.rivals import rival_specialist
from tests.server.test_events import frame

pytestmark = pytest.mark.server

CAP = 256 * 1024
SERVED = {
    "Cache-Control": "private, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
LINE_TECH = "Техподдержка"
LINE_ACCOUNTING = "Бухгалтерия 1С"


def png(width: int, height: int, colour: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    return avatar_art.png([[colour] * width for _ in range(height)])


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg(width: int, height: int) -> bytes:
    """A real (grey) baseline JPEG: one Huffman code each for DC 0 and end-of-block."""
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    one_code = bytes([1] + [0] * 15) + b"\x00"
    return (
        b"\xff\xd8"
        + _segment(0xDB, b"\x00" + bytes([1] * 64))
        + _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + _segment(0xC4, b"\x00" + one_code)
        + _segment(0xC4, b"\x10" + one_code)
        + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + scan.replace(b"\xff", b"\xff\x00")
        + b"\xff\xd9"
    )


def version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def path_of(url: str) -> str:
    """An avatar_url as a path for Api.call (which adds /api/v1)."""
    assert url.startswith("/api/v1/")
    return url.removeprefix("/api/v1")


async def upload(client: Api, data: bytes, content_type: str = "image/png") -> dict[str, Any]:
    reply = await client.call("PUT", "/me/avatar", raw=data, content_type=content_type)
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def lines_by_name(specialist: Api) -> dict[str, int]:
    return {line["name"]: line["id"] for line in (await specialist.get("/lines"))["items"]}


async def row(specialist: Api, line_id: int, user_id: int) -> dict[str, Any]:
    (found,) = (await specialist.get(f"/lines/{line_id}/rows", ids=str(user_id)))["items"]
    return dict(found)


async def user_of(
    specialist: Api, line_id: int, *, avoid: frozenset[int] | set[int] = frozenset()
) -> dict[str, Any]:
    """A client user (not a colleague) of the line, not among ``avoid``."""
    ids = (await specialist.get(f"/lines/{line_id}/directory"))["ids"]
    candidates = [i for i in ids if i not in avoid][:60]
    rows = (await specialist.get(f"/lines/{line_id}/rows", ids=",".join(map(str, candidates))))[
        "items"
    ]
    return dict(next(r for r in rows if not r["colleague"]))


# --- the image checks, without a server ---------------------------------------------------


def test_real_pictures_pass_with_their_size() -> None:
    assert images.check(png(96, 64), images.PNG, 16, 1024) == (96, 64)
    assert images.check(jpeg(40, 24), images.JPEG, 16, 1024) == (40, 24)
    assert images.check(avatar_art.render(0), images.PNG, 16, 1024) == (96, 96)


@pytest.mark.parametrize(
    ("data", "declared", "says"),
    [
        (b"", images.PNG, "empty"),
        (b"hello, world", images.PNG, "not a PNG"),
        (png(32, 32), images.JPEG, "is a PNG image, not JPEG"),
        (jpeg(32, 32), images.PNG, "is a JPEG image, not PNG"),
        (png(32, 32)[:-20], images.PNG, "truncated"),
        (png(32, 32)[:40], images.PNG, "truncated"),
        (png(32, 32) + b"<script>", images.PNG, "after the end"),
        (png(8, 8), images.PNG, "8×8"),
        (png(2000, 16), images.PNG, "2000×16"),
        (jpeg(32, 32)[:-2], images.JPEG, "truncated"),
        (jpeg(32, 32)[:30], images.JPEG, "truncated"),
        (jpeg(16, 1100), images.JPEG, "16×1100"),
        (b"\xff\xd8\xff\xd9", images.JPEG, "no image data"),
    ],
)
def test_bad_pictures_say_what_is_wrong(data: bytes, declared: str, says: str) -> None:
    with pytest.raises(images.BadImage, match=says):
        images.check(data, declared, 16, 1024)


def test_a_corrupt_png_chunk_is_caught() -> None:
    data = bytearray(png(32, 32))
    data[-20] ^= 0x55  # inside IDAT: its CRC no longer matches
    with pytest.raises(images.BadImage, match="CRC"):
        images.check(bytes(data), images.PNG, 16, 1024)


def _idat(data: bytes) -> bytes:
    pos, out = 8, b""
    while pos < len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        if data[pos + 4 : pos + 8] == b"IDAT":
            out += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(out)


def test_committed_portraits_are_what_the_generator_draws() -> None:
    committed = sorted(avatar_art.AVATARS.glob("*.png"))
    assert [p.name for p in committed] == [
        avatar_art.file_name(i) for i in range(len(avatar_art.PORTRAITS))
    ]
    assert 8 <= len(committed) <= 12
    for index, path in enumerate(committed):
        data = path.read_bytes()
        assert images.check(data, images.PNG, 96, 96) == (96, 96)
        assert _idat(data) == _idat(avatar_art.render(index)), path.name  # the same pixels


# --- against the server --------------------------------------------------------------------


async def test_upload_is_served_and_named_everywhere(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await lines_by_name(demo))[LINE_TECH]
    user = await user_of(demo, line_id)
    client = await api.as_user(user["login"])
    picture = png(120, 100)
    me = await upload(client, picture)
    url = f"/api/v1/users/{user['id']}/avatar?v={version(picture)}"
    assert me["avatar_url"] == url
    assert (await client.get("/me"))["avatar_url"] == url
    assert (await row(demo, line_id, user["id"]))["avatar_url"] == url
    assert (await demo.get(f"/lines/{line_id}/users/{user['id']}"))["avatar_url"] == url
    page = await demo.get(f"/lines/{line_id}/users", limit="500")
    assert next(r for r in page["items"] if r["id"] == user["id"])["avatar_url"] == url

    for viewer in (client, demo):
        served = await viewer.call("GET", path_of(url))
        assert served.status == 200
        assert served.body == picture
        assert served.headers["Content-Type"] == "image/png"
        assert {k: served.headers[k] for k in SERVED} == SERVED
        assert served.headers["ETag"] == f'"{version(picture)}"'
    # revalidation, and an old or made-up version
    async with demo.session.get(
        demo.base + url, headers={**demo.headers(), "If-None-Match": f'"{version(picture)}"'}
    ) as revalidated:
        assert revalidated.status == 304
    stale = await demo.call("GET", f"/users/{user['id']}/avatar", params={"v": "0" * 16})
    assert stale.status == 404

    # a JPEG replaces it: a new URL, served as JPEG
    photo = jpeg(64, 48)
    me = await upload(client, photo, "image/jpeg")
    assert me["avatar_url"] == f"/api/v1/users/{user['id']}/avatar?v={version(photo)}"
    served = await demo.call("GET", path_of(str(me["avatar_url"])))
    assert (served.status, served.body, served.headers["Content-Type"]) == (
        200,
        photo,
        "image/jpeg",
    )
    assert (await demo.call("GET", path_of(url))).status == 404  # the old version

    # removed: null everywhere, 404; removing again is fine
    for _ in range(2):
        removed = await client.call("DELETE", "/me/avatar")
        assert removed.status == 200
        assert removed.body["avatar_url"] is None
    assert (await row(demo, line_id, user["id"]))["avatar_url"] is None
    assert (await demo.call("GET", path_of(str(me["avatar_url"])))).status == 404
    assert (await client.call("GET", f"/users/{user['id']}/avatar")).status == 404


async def test_user_updated_reaches_the_specialists_stream(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    line_id = (await lines_by_name(demo))[LINE_ACCOUNTING]
    user = await user_of(demo, line_id)
    client = await api.as_user(user["login"])
    picture = png(48, 48)
    url = f"/api/v1/users/{user['id']}/avatar?v={version(picture)}"
    async with demo.events() as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        await upload(client, picture)
        event = await _until(ws, contract, lambda f: f.get("kind") == "user.updated")
        assert event["data"] == {"id": user["id"], "avatar_url": url}
        assert event["user_id"] == user["id"]
        assert event["line_id"] in (await lines_by_name(demo)).values()
        await client.call("DELETE", "/me/avatar")
        event = await _until(
            ws, contract, lambda f: f.get("kind") == "user.updated" and f["line_id"] == line_id
        )
        assert event["data"] == {"id": user["id"], "avatar_url": None}


async def test_a_specialists_picture_and_their_colleague_rows(api: Api, contract: Contract) -> None:
    demo = await api.as_user("demo")
    smirnova = await api.as_user("o.smirnova")
    line_id = (await lines_by_name(demo))[LINE_ACCOUNTING]
    ids = (await demo.get(f"/lines/{line_id}/directory"))["ids"]
    rows = (await demo.get(f"/lines/{line_id}/rows", ids=",".join(map(str, ids[-200:]))))["items"]
    colleague = next(r for r in rows if r["login"] == "o.smirnova.user")
    picture = jpeg(200, 200)
    async with demo.events() as ws:
        assert (await frame(ws, contract))["type"] == "hello"
        me = await upload(smirnova, picture, "image/jpeg")
        own = f"/api/v1/specialists/{me['id']}/avatar?v={version(picture)}"
        linked = f"/api/v1/users/{colleague['id']}/avatar?v={version(picture)}"
        assert me["avatar_url"] == own
        event = await _until(ws, contract, lambda f: f.get("kind") == "user.updated")
        assert event["data"] == {"id": colleague["id"], "avatar_url": linked}
    assert (await row(demo, line_id, colleague["id"]))["avatar_url"] == linked
    listed = (await demo.get("/colleagues"))["items"]
    assert next(c for c in listed if c["id"] == me["id"])["avatar_url"] == own
    for viewer, path in ((demo, own), (smirnova, own), (demo, linked)):
        served = await viewer.call("GET", path_of(path))
        assert (served.status, served.body) == (200, picture)
    client = await api.as_user((await user_of(demo, line_id))["login"])
    assert (await client.call("GET", path_of(own))).status == 404
    removed = await smirnova.call("DELETE", "/me/avatar")
    assert removed.body["avatar_url"] is None
    assert (await row(demo, line_id, colleague["id"]))["avatar_url"] is None
    assert (await demo.call("GET", path_of(linked))).status == 404


async def test_who_may_see_a_picture(api: Api, live: ServerProcess) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    lines = await lines_by_name(demo)
    tech_ids = set((await morozov.get(f"/lines/{lines[LINE_TECH]}/directory"))["ids"])
    vendor = (await demo.get(f"/lines/{lines['1С:Вендор — вторая линия']}/directory"))["ids"]
    stranger_of_morozov = await user_of(demo, lines[LINE_ACCOUNTING], avoid=tech_ids | set(vendor))
    of_morozov = await user_of(demo, lines[LINE_TECH])
    rival_token = await rival_specialist(live, "rival.avatar")
    rival = Api(api.base, api.contract, api.session, rival_token)
    other_client = await api.as_user(of_morozov["login"])

    owner = await api.as_user(stranger_of_morozov["login"])
    me = await upload(owner, png(64, 64))
    path = path_of(str(me["avatar_url"]))
    assert (await owner.call("GET", path)).status == 200
    assert (await demo.call("GET", path)).status == 200
    for viewer in (morozov, rival, other_client):
        reply = await viewer.call("GET", path)
        assert reply.status == 404, viewer.token
        assert reply.body["type"].endswith("/not-found")
        assert reply.body == (await viewer.call("GET", "/users/999999/avatar")).body
    assert (await api.call("GET", path)).status == 401  # no token
    assert (
        await api.call("PUT", "/me/avatar", raw=png(64, 64), content_type="image/png")
    ).status == 401
    assert (await api.call("DELETE", "/me/avatar")).status == 401

    # a line's specialist sees its users' pictures
    tech_me = await upload(other_client, png(32, 32))
    assert (await morozov.call("GET", path_of(str(tech_me["avatar_url"])))).status == 200
    # a specialist's picture: their company, not another's and not client users
    smirnova = await api.as_user("o.smirnova")
    own = path_of(str((await upload(smirnova, png(40, 40)))["avatar_url"]))
    assert (await morozov.call("GET", own)).status == 200
    for viewer in (rival, other_client, owner):
        assert (await viewer.call("GET", own)).status == 404


async def test_bad_uploads_store_nothing(api: Api) -> None:
    demo = await api.as_user("demo")
    user = await user_of(demo, (await lines_by_name(demo))[LINE_TECH])
    client = await api.as_user(user["login"])
    good = png(64, 64)
    before = await upload(client, good)
    head = png(5000, 5000)[:33]  # just the signature and a 5000×5000 IHDR
    cases = [
        (b"\x89PNG\r\n\x1a\n" + bytes(CAP), "image/png", 413, "payload-too-large"),
        (good, "text/plain", 415, "unsupported-media-type"),
        (good, "image/gif", 415, "unsupported-media-type"),
        (good, "application/octet-stream", 415, "unsupported-media-type"),
        (good, "image/jpeg", 422, "invalid-image"),
        (good[:-30], "image/png", 422, "invalid-image"),
        (b"GIF89a garbage" * 10, "image/png", 422, "invalid-image"),
        (head, "image/png", 422, "invalid-image"),
        (b"", "image/png", 422, "invalid-image"),
        (jpeg(32, 32)[:-40], "image/jpeg", 422, "invalid-image"),
    ]
    for data, content_type, status, slug in cases:
        reply = await client.call("PUT", "/me/avatar", raw=data, content_type=content_type)
        assert reply.status == status, (content_type, data[:16], reply.body)
        assert reply.body["type"].endswith("/" + slug)
        if status == 422:
            assert reply.body["errors"][0]["field"] == "body"
            assert reply.body["detail"] == reply.body["errors"][0]["message"]
    sized = await client.call("PUT", "/me/avatar", raw=head, content_type="image/png")
    assert "5000×5000" in sized.body["detail"]
    mislabelled = await client.call("PUT", "/me/avatar", raw=good, content_type="image/jpeg")
    assert "PNG" in mislabelled.body["detail"]
    assert (await client.get("/me"))["avatar_url"] == before["avatar_url"]
    served = await client.call("GET", path_of(str(before["avatar_url"])))
    assert served.body == good


async def test_an_oversized_stream_is_refused_while_it_streams(api: Api) -> None:
    """Chunked, with no Content-Length: refused after the cap, not after the whole body."""
    client = await api.as_user("a.troitskiy")
    before = (await client.get("/me"))["avatar_url"]
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b"\x89PNG\r\n\x1a\n"
        for _ in range(64):  # up to 4 MiB
            sent += 64 * 1024
            yield bytes(64 * 1024)
            await asyncio.sleep(0.01)

    headers = {**client.headers(), "Content-Type": "image/png"}
    try:
        async with client.session.put(
            client.base + "/api/v1/me/avatar", data=body(), headers=headers
        ) as reply:
            assert reply.status == 413
            assert reply.content_type == "application/problem+json"
    except aiohttp.ClientError:
        pass  # the server may close the connection before the client has read the answer
    assert sent < 4 * 1024 * 1024
    assert (await client.get("/me"))["avatar_url"] == before


async def test_the_demo_has_pictures(api: Api) -> None:
    demo = await api.as_user("demo")
    assert (await demo.get("/me"))["avatar_url"] is None
    lines = await lines_by_name(demo)
    for name in (LINE_TECH, LINE_ACCOUNTING):
        ids = (await demo.get(f"/lines/{lines[name]}/directory"))["ids"]
        rows = (await demo.get(f"/lines/{lines[name]}/rows", ids=",".join(map(str, ids[:60]))))[
            "items"
        ]
        with_picture = [r for r in rows if r["avatar_url"]]
        assert 0.2 * len(rows) <= len(with_picture) <= 0.5 * len(rows), name
        served = await demo.call("GET", path_of(with_picture[0]["avatar_url"]))
        assert served.status == 200
        assert served.headers["Content-Type"] == "image/png"
        assert with_picture[0]["avatar_url"].endswith("?v=" + version(served.body))
        assert images.check(served.body, images.PNG, 96, 96) == (96, 96)
    colleagues = (await demo.get("/colleagues"))["items"]
    assert any(c["avatar_url"] for c in colleagues)
    assert not all(c["avatar_url"] for c in colleagues)


async def _until(
    ws: aiohttp.ClientWebSocketResponse,
    contract: Contract,
    wanted: Callable[[dict[str, Any]], bool],
) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            got = await frame(ws, contract)
            if wanted(got):
                return got
