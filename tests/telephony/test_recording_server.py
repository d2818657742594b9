"""A call's recording on the real server process (SQLite): uploaded by the call's specialist,
read by whoever sees the call, refused when it is another's call, too large or not Ogg Opus."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from tests.conftest import ServerProcess, new_sqlite_server
from tests.server.api import Api, Contract
from tests.telephony.test_server_calls import next_call, user_line

pytestmark = [pytest.mark.telephony, pytest.mark.server]
CAP = 16 * 1024  # the test server's cap (--max-recording-size)


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture
def capped(sqlite_template: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    process = new_sqlite_server(sqlite_template, tmp_path, "--max-recording-size", str(CAP))
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def api(capped: ServerProcess, contract: Contract) -> AsyncIterator[Api]:
    async with Api(capped.url, contract) as client:
        yield client


def ogg_opus(seconds: float, hz: float = 440.0) -> bytes:
    """A tone on the right channel, silence on the left, as LineDesk records: Ogg Opus."""
    t = np.arange(int(8000 * seconds)) / 8000
    right = (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)
    out = io.BytesIO()
    samples = np.stack([np.zeros_like(right), right], axis=1)
    soundfile.write(out, samples, 8000, format="OGG", subtype="OPUS")
    return out.getvalue()


async def ended_call(demo: Api, line_id: int, user_id: int, sip: str) -> dict[str, Any]:
    new = {"line_id": line_id, "user_id": user_id, "direction": "out", "sip_call_id": sip}
    call = (await demo.call("POST", "/calls", new)).body
    path = f"/calls/{call['id']}/report"
    await demo.call("POST", path, {"state": "answered"})
    ended = await demo.call("POST", path, {"state": "ended", "result": "answered"})
    assert ended.status == 200, ended.body
    return dict(ended.body)


async def test_the_specialist_uploads_the_user_and_the_line_listen(
    api: Api, capped: ServerProcess
) -> None:
    demo = await api.as_user("demo")
    client, user_id, line_id = await user_line(api)
    call = await ended_call(demo, line_id, user_id, "rec1@me")
    assert call["recording"] is None
    path = f"/calls/{call['id']}/recording"
    assert (await demo.call("GET", path)).status == 404  # none yet
    data = ogg_opus(1.0)
    async with demo.events() as ws:
        await ws.receive(timeout=10)  # hello
        # the declared type is not what decides: the bytes are
        stored = await demo.call("PUT", path, raw=data, content_type="application/octet-stream")
        assert stored.status == 200, stored.body
        assert stored.body["recording"] == f"/api/v1{path}"
        assert stored.body["recording_size"] == len(data)
        event = await next_call(ws)
        assert event["id"] == call["id"] and event["recording"] == f"/api/v1{path}"
    for reader in (demo, client):  # a specialist of the line, the call's user
        got = await reader.call("GET", path)
        assert got.status == 200 and got.body == data
        assert got.headers["Content-Type"] == "audio/ogg"
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in got.headers["Content-Disposition"]
    decoded, rate = soundfile.read(io.BytesIO(got.body), dtype="float64")
    assert rate == 8000 and decoded.shape[1] == 2
    # sent again (a retried upload): replaced, the old blob gone from the files directory
    again = await demo.call("PUT", path, raw=ogg_opus(0.5), content_type="audio/ogg")
    assert again.status == 200 and again.body["recording_size"] != len(data)
    blobs = [p for p in capped.files_dir.iterdir() if p.is_file()]
    assert len(blobs) == 1 and blobs[0].stat().st_size == again.body["recording_size"]
    listed = await demo.get(f"/chats/{call['chat_id']}/calls")
    mine = next(c for c in listed["items"] if c["id"] == call["id"])
    assert mine["recording"] == f"/api/v1{path}"


async def test_who_may_upload_and_listen(api: Api) -> None:
    demo = await api.as_user("demo")
    morozov = await api.as_user("a.morozov")  # serves «Техподдержка» only
    mine = {line["id"] for line in (await morozov.get("/lines"))["items"]}
    line_id = next(
        line["id"] for line in (await demo.get("/lines"))["items"] if line["id"] not in mine
    )
    user = (await demo.get(f"/lines/{line_id}/users", limit="1"))["items"][0]
    call = await ended_call(demo, line_id, user["id"], "rec2@me")
    path = f"/calls/{call['id']}/recording"
    data = ogg_opus(0.5)
    # another line's specialist: no such call, to upload or to listen
    assert (await morozov.call("PUT", path, raw=data, content_type="audio/ogg")).status == 404
    # a colleague on the call's line who did not take the call: 403, said in words
    colleague = None
    for login in ("o.smirnova", "d.kuznetsov", "e.volkova", "m.lebedeva", "s.orlov"):
        candidate = await api.as_user(login)
        if line_id in {x["id"] for x in (await candidate.get("/lines"))["items"]}:
            colleague = candidate
            break
    assert colleague is not None, "the demo has another specialist on the line"
    refused = await colleague.call("PUT", path, raw=data, content_type="audio/ogg")
    assert refused.status == 403 and "specialist" in refused.body["detail"]
    stored = await demo.call("PUT", path, raw=data, content_type="audio/ogg")
    assert stored.status == 200
    assert (await colleague.call("GET", path)).status == 200  # the line's: may listen
    assert (await morozov.call("GET", path)).status == 404
    other_user = await api.as_user("k.nesterov")  # a client user, not the call's
    assert (await other_user.call("GET", path)).status == 404
    assert (await other_user.call("PUT", path, raw=data, content_type="audio/ogg")).status == 403
    assert (await api.call("GET", path)).status == 401  # nobody signed in


async def test_too_large_or_not_ogg_opus_is_refused_and_nothing_kept(
    api: Api, capped: ServerProcess
) -> None:
    demo = await api.as_user("demo")
    _client, user_id, line_id = await user_line(api)
    call = await ended_call(demo, line_id, user_id, "rec3@me")
    path = f"/calls/{call['id']}/recording"
    big = ogg_opus(1.0) + b"\x00" * CAP
    announced = await demo.call("PUT", path, raw=big, content_type="audio/ogg")
    assert announced.status == 413 and str(CAP) in announced.body["detail"]

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: refused as it passes
        for start in range(0, len(big), 4096):
            yield big[start : start + 4096]

    streamed = await demo.session.put(
        f"{api.base}/api/v1{path}", data=chunked(), headers=demo.headers()
    )
    assert streamed.status == 413
    streamed.release()
    wav = io.BytesIO()
    soundfile.write(wav, np.zeros(800, dtype=np.int16), 8000, format="WAV")
    vorbis = io.BytesIO()
    soundfile.write(vorbis, np.zeros(8000, dtype=np.int16), 8000, format="OGG", subtype="VORBIS")
    for body in (b"", b"OggS", wav.getvalue(), vorbis.getvalue(), b"<html>" * 100):
        refused = await demo.call("PUT", path, raw=body, content_type="audio/ogg")
        assert refused.status == 415, (body[:8], refused.body)
        assert "Ogg Opus" in refused.body["detail"], refused.body
    assert not [p for p in capped.files_dir.iterdir() if p.is_file()]
    record = await demo.get(f"/calls/{call['id']}")
    assert record["recording"] is None
    assert json.dumps(record)  # the record itself is untouched
