"""Call recording end to end: a real call to baresip through kamailio with the fake headset,
recorded by the client (both directions, Ogg Opus), uploaded to the real server as the
window does it (ui/calls/records.py → app/calls/recordings.py), downloaded and decoded:
baresip's 1 kHz tone is on the right channel, the microphone's 600 Hz tone on the left.
And a recording whose upload fails is kept and goes on the next connection."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.calls.part import CallBook
from app.context import Context
from app.core.domain import ConnectionState
from app.net.api import ApiClient
from app.store.credentials import Credentials
from contract import calls as wire
from telephony.media import recording
from telephony.media.audio import Headset
from telephony.problems import CallState, EndReason
from telephony.sip.ua import UserAgent
from tests.conftest import ServerProcess
from tests.telephony.audio_check import energy_at, strongest, tone
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.headset import FakeHeadset
from tests.telephony.peers import Peer, need, start_baresip, start_kamailio
from tests.telephony.test_audio import (  # noqa: F401 - the fake headset
    OPUS_FIRST,
    _until,
    headset,
)
from ui.calls.records import keep_record

pytestmark = pytest.mark.telephony
LIMIT = 60  # an upper bound for each awaited event on a loaded machine
USER = "a.troitskiy"


@pytest.fixture
async def core(server: ServerProcess, tmp_path: Path) -> AsyncIterator[tuple[CallBook, Context]]:
    """The client core's call book signed in as the demo specialist."""
    session = Context(tmp_path / "data", lambda _change: None, Credentials(use_keyring=False))
    api = ApiClient(server.url)
    await api.login("demo", "demo")
    session.api, session.server_url = api, server.url
    book = CallBook(session)
    try:
        yield book, session
    finally:
        await book.recordings.tasks.cancel_all()
        await api.close()


async def user_line(server: ServerProcess) -> tuple[int, int]:
    api = ApiClient(server.url)
    try:
        await api.login(USER, "demo")
        me = await api.call("GET", "/me")
        chat = (await api.call("GET", "/chats"))["items"][0]
        return int(me["id"]), int(chat["line"]["id"])
    finally:
        await api.close()


@pytest.mark.parametrize(
    ("codecs", "rate"), [("PCMU,PCMA", 8000), (OPUS_FIRST, 48_000)], ids=["g711", "opus"]
)
async def test_a_call_is_recorded_both_ways_uploaded_and_heard_back(
    tmp_path: Path,
    headset: FakeHeadset,  # noqa: F811 - the fixture imported above
    core: tuple[CallBook, Context],
    server: ServerProcess,
    codecs: str,
    rate: int,
) -> None:
    """In G.711 and in Opus: the recording is made at the device's (the codec's) rate."""
    book, _session = core
    user_id, line_id = await user_line(server)
    # baresip plays 3 s of 1 kHz, then hangs up when its file ends (after 3 s of silence)
    bob, bob_port = start_baresip(
        tmp_path / "bob", tone(tmp_path / "bob.wav", 1000, 3, 3), codecs=codecs
    )
    kamailio, kport = start_kamailio(
        tmp_path / "k", {"alice": ALICE_PASSWORD}, routes={"bob": f"sip:127.0.0.1:{bob_port}"}
    )
    agent = UserAgent(alice(kport), headset_factory=Headset)
    agent.recordings = tmp_path / "in-progress"
    await agent.start()
    feeder: Peer | None = None
    try:
        call = await agent.call(f"sip:bob@127.0.0.1:{kport}")
        kept = asyncio.ensure_future(keep_record(book, call, line_id, user_id))
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
        assert call.state is CallState.CONNECTED, (call.reason, call.status)
        assert call.recording is not None, "the call is recorded"
        mic = tone(tmp_path / "mic.wav", 600, 2)
        feeder = Peer(
            "pw-play",
            [need("pw-play"), "-P", "{ node.name=micfeeder node.autoconnect=false }", str(mic)],
            tmp_path,
            tmp_path / "pw-play.log",
            env=headset.env,
        )
        await _until(lambda: "micfeeder" in headset.nodes(), "the microphone feeder")
        headset.run(["pw-link", "micfeeder:output_MONO", "headset_mic:input_MONO"])
        async with asyncio.timeout(LIMIT):
            await call.ended.wait()
        assert call.reason is EndReason.REMOTE_HUNG_UP
        async with asyncio.timeout(LIMIT):
            record_id = await kept
        assert record_id is not None
        async with asyncio.timeout(LIMIT):
            await book.recordings.flush()  # after the upload keep_record started, if any
    finally:
        await agent.stop()
        if feeder is not None:
            feeder.stop()
        kamailio.stop()
        bob.stop()
    assert call.recording.dropped == 0
    assert not list((tmp_path / "in-progress").iterdir()), "the file was moved to be kept"
    assert book.recordings.waiting() == [], "uploaded and removed"
    record = book.records[record_id]
    assert record.recording == f"/api/v1/calls/{record_id}/recording", record
    # heard back from the server, as the timeline plays it
    target = await book.recordings.fetch(record, tmp_path / "heard.opus")
    data = target.read_bytes()
    assert data[:4] == b"OggS" and b"OpusHead" in data[:64]
    samples, file_rate = soundfile.read(io.BytesIO(data), dtype="float64")
    assert file_rate == rate and samples.shape[1] == 2
    seconds = len(samples) / rate
    mine, theirs = samples[:, 0], samples[:, 1]
    tenth = np.ones(rate // 10) / (rate // 10)
    loud = np.convolve(theirs**2, tenth, "same")
    heard = theirs[loud > loud.max() / 4]
    said = mine[np.convolve(mine**2, tenth, "same") > 1e-4]
    print(
        f"recording: {seconds:.1f} s, {len(data)} bytes ({len(data) * 8 / seconds / 1000:.1f}"
        f" kbit/s), heard {len(heard) / rate:.1f} s loud, said {len(said) / rate:.1f} s"
    )
    assert len(heard) > 2 * rate and len(said) > 1 * rate, (len(heard), len(said))
    hz, share = strongest(heard, rate)
    assert abs(hz - 1000) < 15 and share > 0.8, (hz, share)  # baresip's tone, right channel
    hz, share = strongest(said, rate)
    assert abs(hz - 600) < 15 and share > 0.8, (hz, share)  # the microphone's, left channel
    # the channels are apart: baresip's tone is not on the left, the microphone's not on the
    # right — in each half second where the tone plays (a click of the loaded machine's audio
    # graph, heard on both channels at once, spreads over every frequency of its half second)
    for tone_hz, on, off in ((1000, theirs, mine), (600, mine, theirs)):
        ratios = [
            energy_at(off[i : i + rate // 2], tone_hz, rate)
            / energy_at(on[i : i + rate // 2], tone_hz, rate)
            for i in range(0, len(on) - rate // 2, rate // 2)
            if energy_at(on[i : i + rate // 2], tone_hz, rate) > 0
            and np.std(on[i : i + rate // 2]) > 0.05
        ]
        assert len(ratios) >= 3 and float(np.median(ratios)) < 1 / 100, (tone_hz, ratios)


async def test_a_recording_that_cannot_go_is_kept_and_goes_on_the_next_connection(
    tmp_path: Path, core: tuple[CallBook, Context], server: ServerProcess
) -> None:
    book, _session = core
    user_id, line_id = await user_line(server)
    record = await book.begin(line_id, user_id, wire.CallDirection.OUTGOING, "kept@linedesk")
    await book.answered(record.id)
    await book.ended(record.id, wire.CallResult.ANSWERED)
    # a recording made by the recorder itself, fed as the audio callback feeds it
    made = recording.Recording(tmp_path / "in-progress" / "call.opus")
    made.start()
    t = np.arange(160) / 8000
    block = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes()
    for _ in range(100):
        made.feed(b"", block)
    made.finish()
    assert made.done is not None
    path = await made.done
    assert path is not None and made.seconds == 2.0
    size = path.stat().st_size
    server.stop()  # the server is gone when the call ends
    kept = book.recordings.keep(record.id, path)
    async with asyncio.timeout(LIMIT):
        await book.recordings.tasks.join()
    assert kept.is_file() and book.recordings.waiting() == [kept], "kept for later"
    server.start()  # back (the same port): the event stream says connected
    book.recordings.on_connection(ConnectionState.CONNECTED)
    async with asyncio.timeout(LIMIT):
        await book.recordings.tasks.join()
    assert book.recordings.waiting() == [] and not kept.exists()
    assert book.records[record.id].recording is not None
    assert book.records[record.id].recording_size == size
