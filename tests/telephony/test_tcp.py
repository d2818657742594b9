"""SIP over TCP (Settings → PBX connection → Transport: TCP): registration through kamailio
listening on TCP, the stream's framing, and what a broken stream or a PBX
that does not listen does — a clear outcome at once, the agent going on. Calls both ways
over TCP: test_calls_out.py and test_defects.py, each run on both transports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from telephony.problems import RegistrationState
from telephony.sip.stream import MAX_MESSAGE, frame
from telephony.sip.ua import UserAgent
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.peers import Peer, free_udp_port, start_kamailio

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


def options(port: int, branch: str = "z9hG4bKtcp1") -> bytes:
    return (
        f"OPTIONS sip:linedesk@127.0.0.1:{port};transport=tcp SIP/2.0\r\n"
        f"Via: SIP/2.0/TCP 127.0.0.1:9;branch={branch}\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
        f"To: <sip:linedesk@127.0.0.1:{port}>\r\n"
        f"Call-ID: {branch}@probe\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def test_a_stream_is_framed_by_content_length() -> None:
    one = options(5060)
    two = options(5060, "z9hG4bKtcp2")
    body = b"v=0\r\n"
    with_body = one.replace(b"Content-Length: 0", b"l: 5") + body
    assert frame(one + two) == (one, two, False)  # two in one read
    assert frame(one[:30]) == (None, one[:30], False)  # half a head: wait for more
    assert frame(with_body[:-2]) == (None, with_body[:-2], False)  # half a body: wait
    assert frame(with_body) == (with_body, b"", False)  # compact "l:" form
    assert frame(b"\r\n\r\n" + one) == (one, b"", True)  # a keep-alive ping first
    for broken, why in (
        (one.replace(b"Content-Length: 0\r\n", b""), "no Content-Length"),
        (one.replace(b"Content-Length: 0", b"Content-Length: 0\r\nl: 0"), "two"),
        (one.replace(b"Content-Length: 0", b"Content-Length: 99999999"), "over 64 KiB"),
        (b"X" * (MAX_MESSAGE + 1), "longer than 64 KiB"),
    ):
        with pytest.raises(ValueError, match=why):
            frame(broken)


@pytest.fixture
def kamailio_tcp(tmp_path: Path) -> Iterator[tuple[Peer, int]]:
    peer, port = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD}, tcp=True)
    yield peer, port
    peer.stop()


async def test_registers_over_tcp_and_a_wrong_password_is_said(
    kamailio_tcp: tuple[Peer, int],
) -> None:
    agent = UserAgent(alice(kamailio_tcp[1], transport="tcp"))
    assert agent.contact.endswith(";transport=tcp>")
    await agent.start()  # (a TCP listener: no UDP socket at all, so this is TCP)
    try:
        assert agent.registration is not None
        async with asyncio.timeout(LIMIT):
            await agent.registration.wait_for(RegistrationState.REGISTERED)
    finally:
        await agent.stop()
    wrong = UserAgent(alice(kamailio_tcp[1], "not-it", transport="tcp"))
    await wrong.start()
    try:
        assert wrong.registration is not None
        async with asyncio.timeout(LIMIT):
            await wrong.registration.wait_for(RegistrationState.FAILED)
    finally:
        await wrong.stop()


async def test_a_pbx_not_listening_on_tcp_is_said_at_once() -> None:
    from ui.calls.texts import registration_text

    agent = UserAgent(alice(free_udp_port(), transport="tcp"))  # nothing listens there
    await agent.start()
    started = time.monotonic()
    try:
        assert agent.registration is not None
        async with asyncio.timeout(LIMIT):
            await agent.registration.wait_for(RegistrationState.FAILED)
        assert time.monotonic() - started < 10  # not the 32 s of an unanswered UDP REGISTER
        assert registration_text(agent.registration)
    finally:
        await agent.stop()


async def test_a_broken_stream_is_closed_and_the_agent_answers_the_next() -> None:
    agent = UserAgent(transport="tcp")
    await agent.start()
    port = agent.endpoint.local[1]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(options(port).replace(b"Content-Length: 0\r\n", b""))  # unframeable
        async with asyncio.timeout(LIMIT):
            assert await reader.read() == b""  # closed by the agent
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"\r\n\r\n")  # a keep-alive ping: a CRLF pong
        async with asyncio.timeout(LIMIT):
            assert await reader.readexactly(2) == b"\r\n"
        writer.write(options(port)[:40])  # one request in two pieces
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(options(port)[40:])
        async with asyncio.timeout(LIMIT):
            status = await reader.readline()
            head = await reader.readuntil(b"\r\n\r\n")
        assert status.startswith(b"SIP/2.0 200"), status
        assert b"z9hG4bKtcp1" in head  # the answer to that request, on its connection
        writer.close()
    finally:
        await agent.stop()
