"""RFC 4475 torture messages, byte-exact from the RFC's archive, sent at our user agent.

The data is the project's shared test data (`../shared/testdata/sip_torture/`, not copied
here); its manifest says what the RFC expects of each and how to aim it at a UA on loopback.
Each one must be rejected (4xx/5xx) or ignored, a valid one must not be answered 400, and
the UA must still answer an OPTIONS after each: never a crash. The OPTIONS answer is also
the event that says everything the torture message caused has been sent (one socket, one
loop, in order).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path

import pytest
from aiosipua import SipMessage, SipResponse

from telephony.call import Call
from telephony.sip.ua import UserAgent

pytestmark = pytest.mark.telephony
TORTURE = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "sip_torture"
if not TORTURE.exists():  # the worktrees live beside /work/shared
    TORTURE = Path("/work/shared/testdata/sip_torture")
MANIFEST = json.loads((TORTURE / "manifest.json").read_text()) if TORTURE.exists() else None


class _Tester(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received.put_nowait(data)


def _aimed(entry: dict[str, object], target: str, local: str, run: str) -> bytes:
    data = (TORTURE / str(entry["file"])).read_bytes()
    values = {"{target}": target, "{local}": local, "{tp}": "UDP", "{run}": run}
    for rewrite in entry["rewrites"]:  # type: ignore[attr-defined]
        put = rewrite["put"]
        for key, value in values.items():
            put = put.replace(key, value)
        while "{user:" in put:
            start = put.index("{user:")
            end = put.index("}", start)
            put = put[:start] + put[start + 6 : end] + put[end + 1 :]
        find = rewrite["find"].encode()
        assert data.count(find) == rewrite.get("count", 1), rewrite["find"]
        data = data.replace(find, put.encode())
    return data


def _options(target: str, local: str, call_id: str) -> bytes:
    return (
        f"OPTIONS sip:probe@{target} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {local};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:tester@{local}>;tag=probe\r\n"
        f"To: <sip:probe@{target}>\r\n"
        f"Call-ID: {call_id}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


@pytest.mark.skipif(MANIFEST is None, reason="the shared RFC 4475 test data is not on this machine")
async def test_torture_messages_are_rejected_or_ignored(ua: UserAgent) -> None:
    rang: list[Call] = []

    def busy(call: Call) -> None:
        rang.append(call)
        call.decline(486)

    ua.on_incoming = busy
    loop = asyncio.get_running_loop()
    transport, tester = await loop.create_datagram_endpoint(_Tester, local_addr=("127.0.0.1", 0))
    local = f"127.0.0.1:{transport.get_extra_info('sockname')[1]}"
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    run = f"st{secrets.token_hex(3)}-"
    verdicts: dict[str, list[int]] = {}
    try:
        assert MANIFEST is not None
        for entry in MANIFEST["messages"]:
            name = entry["name"]
            aimed = _aimed(entry, target, local, run)
            transport.sendto(aimed, ("127.0.0.1", ua.endpoint.local[1]))
            probe = f"probe-{name}-{secrets.token_hex(4)}"
            transport.sendto(_options(target, local, probe), ("127.0.0.1", ua.endpoint.local[1]))
            statuses: list[int] = []
            async with asyncio.timeout(10):  # an upper bound: the probe's answer is the event
                while True:
                    message = SipMessage.parse(await tester.received.get())
                    if not isinstance(message, SipResponse):
                        continue  # e.g. a BYE or a retransmission aimed at the tester
                    if message.call_id == probe:
                        assert message.status_code == 200, name
                        break
                    # this message's answers (not a late retransmission of an earlier one's)
                    mine = message.call_id and message.call_id.encode() in aimed
                    if mine and message.status_code >= 200:
                        statuses.append(message.status_code)
            verdicts[name] = statuses
            expect = entry["expect"]
            if expect["type"] == "ignore":
                assert statuses == [], (name, statuses)
            elif expect["type"] == "reject":
                assert all(s >= 400 for s in statuses), (name, statuses)
            elif expect["type"] == "accept":
                assert 400 not in statuses, (name, statuses)
            else:  # "rfc": the RFC's own answer, or at least no success it did not ask for
                allowed = set(expect["codes"])
                assert all(s in allowed or s >= 400 for s in statuses), (name, statuses)
            if "udp_single_method" in expect:
                assert len(statuses) <= 1, (name, statuses)
    finally:
        transport.close()
    # the valid INVITEs rang (and were declined busy); nothing was left ringing
    assert all(call.reason is not None for call in rang)
    assert ua.endpoint.bad_messages > 10
    assert len(verdicts) == len(MANIFEST["messages"])
