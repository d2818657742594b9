"""What a hostile or careless SIP peer sends, at our user agent on loopback (a review's
findings, each failing before its fix): a Via naming another host or a name (answered where
the request came from, `received` said — not resolved on the loop, not reflected to a third
address), media our RTP socket cannot use (488, not a call without audio), a CANCEL after a
minute of ringing (the call stops ringing), a caller who never hangs up (missed after the
ring limit, the line freed), an offer that holds (no RTP sent to it)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiosipua import SipMessage, SipRequest, SipResponse

from telephony.call import Call
from telephony.problems import CallState, EndReason
from telephony.sip import endpoint, wire
from telephony.sip.ua import UserAgent
from tests.app.workplaces import until

pytestmark = pytest.mark.telephony


class _Peer(asyncio.DatagramProtocol):
    """A raw UDP peer: what it sends, and every SIP response that comes back to it."""

    def __init__(self) -> None:
        self.got: asyncio.Queue[SipResponse] = asyncio.Queue()
        self.requests: asyncio.Queue[str] = asyncio.Queue()  # the methods the UA sent us
        self.sent_us: asyncio.Queue[SipRequest] = asyncio.Queue()  # and the requests whole
        self.transport: asyncio.DatagramTransport | None = None
        self.local = ""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.local = f"127.0.0.1:{transport.get_extra_info('sockname')[1]}"

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        message = SipMessage.parse(data)
        if isinstance(message, SipResponse):
            self.got.put_nowait(message)
        else:
            self.requests.put_nowait(message.method)
            self.sent_us.put_nowait(message)

    async def final(self, call_id: str, within: float = 5.0) -> list[int]:
        """The statuses answered to `call_id` up to its first final one."""
        return [r.status_code for r in await self.answers(call_id, within)]

    async def answers(self, call_id: str, within: float = 5.0) -> list[SipResponse]:
        """The responses to `call_id` up to its first final one."""
        seen: list[SipResponse] = []
        async with asyncio.timeout(within):  # an upper bound: the final answer is the event
            while True:
                response = await self.got.get()
                if response.call_id == call_id:
                    seen.append(response)
                    if response.status_code >= 200:
                        return seen


@pytest.fixture
async def peer() -> AsyncIterator[_Peer]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(_Peer, local_addr=("127.0.0.1", 0))
    try:
        yield protocol
    finally:
        transport.close()


def _request(
    method: str, ua: UserAgent, peer: _Peer, call_id: str, *, via: str = "", branch: str = "",
    body: str = "", rport: bool = True, seq: int = 1, to_tag: str = "",
) -> bytes:  # fmt: skip
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    branch = branch or f"z9hG4bK{secrets.token_hex(6)}"
    kind = "Content-Type: application/sdp\r\n" if body else ""
    return (
        f"{method} sip:linedesk@{target} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {via or peer.local};branch={branch}{';rport' if rport else ''}\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:caller@{peer.local}>;tag=c1\r\n"
        f"To: <sip:linedesk@{target}>{f';tag={to_tag}' if to_tag else ''}\r\n"
        f"Call-ID: {call_id}\r\nCSeq: {seq} {method}\r\nContact: <sip:caller@{peer.local}>\r\n"
        f"{kind}Content-Length: {len(body.encode())}\r\n\r\n{body}"
    ).encode()


def _sdp(media: str = "m=audio 40000 RTP/AVP 0\r\n", address: str = "IN IP4 127.0.0.1") -> str:
    return f"v=0\r\no=p 1 1 {address}\r\ns=-\r\nc={address}\r\nt=0 0\r\n{media}"


def _answering(ua: UserAgent) -> list[Call]:
    """The UA answers every call at once (no liveness watch: a test's peer sends no RTP);
    the calls, as they come."""
    calls: list[Call] = []

    def answer(call: Call) -> None:
        calls.append(call)
        asyncio.get_running_loop().create_task(call.answer())

    ua.on_incoming = answer
    ua.rtp_timeout = 0
    return calls


def _send(ua: UserAgent, peer: _Peer, data: bytes) -> None:
    assert peer.transport is not None
    peer.transport.sendto(data, ("127.0.0.1", ua.endpoint.local[1]))


@pytest.mark.parametrize("sent_by", ["sip-peer.invalid", "127.0.0.2"])
async def test_an_answer_goes_where_the_request_came_from(
    ua: UserAgent, peer: _Peer, sent_by: str
) -> None:
    """No rport: RFC 3261 §18.2.2 sends to `received` (the source), at the Via's port."""
    port = peer.local.split(":")[1]
    call_id = f"via-{secrets.token_hex(4)}"
    _send(ua, peer, _request("OPTIONS", ua, peer, call_id, via=f"{sent_by}:{port}", rport=False))
    assert await peer.final(call_id) == [200]


async def test_the_answer_says_where_the_request_came_from(ua: UserAgent, peer: _Peer) -> None:
    call_id = f"rport-{secrets.token_hex(4)}"
    _send(ua, peer, _request("OPTIONS", ua, peer, call_id, via="sip-peer.invalid:5060"))
    response = await asyncio.wait_for(peer.got.get(), 5)
    via = response.get_header("via") or ""
    assert "received=127.0.0.1" in via and f"rport={peer.local.split(':')[1]}" in via, via


@pytest.mark.parametrize(
    "body",
    [
        _sdp("m=audio 99999 RTP/AVP 0\r\n"),  # closed the RTP socket at the first packet
        _sdp("m=audio 40000 RTP/AVP 300\r\na=rtpmap:300 PCMU/8000\r\n"),  # failed every frame
        _sdp(address="IN IP6 ::1"),  # sent from an IPv4 socket: never arrived
        _sdp(address="IN IP4 media.example.invalid"),  # resolved inside sendto, on the loop
    ],
    ids=["port", "payload-type", "ipv6", "name"],
)
async def test_media_our_socket_cannot_use_is_refused(
    ua: UserAgent, peer: _Peer, body: str
) -> None:
    rang: list[Call] = []
    ua.on_incoming = rang.append
    call_id = f"media-{secrets.token_hex(4)}"
    _send(ua, peer, _request("INVITE", ua, peer, call_id, body=body))
    assert (await peer.final(call_id))[-1] == 488 and not rang


@pytest.mark.parametrize(
    ("offered", "answered"),
    [
        (
            "m=video 40002 RTP/AVP 31\r\nm=audio 40000 RTP/AVP 0\r\n",
            ["m=video 0 RTP/AVP 31", "m=audio {port} RTP/AVP 0"],
        ),
        (
            "m=audio 40000 RTP/AVP 96\r\na=rtpmap:96 AMR/8000\r\nm=audio 40002 RTP/AVP 0\r\n",
            ["m=audio 0 RTP/AVP 96", "m=audio {port} RTP/AVP 0"],
        ),  # (488 before: only the first audio stream was looked at)
        (
            "m=audio 40000 RTP/SAVP 0\r\nm=audio 40002 RTP/AVP 0\r\n",
            ["m=audio 0 RTP/SAVP 0", "m=audio {port} RTP/AVP 0"],
        ),  # (SRTP was answered as plain RTP)
        (
            "m=audio 40000 RTP/AVP 0\r\nc=IN IP6 ::1\r\nm=audio 40002 RTP/AVP 0\r\n",
            ["m=audio 0 RTP/AVP 0", "m=audio {port} RTP/AVP 0"],
        ),  # (an IPv6 stream first: the IPv4 one after it is taken)
    ],
    ids=["video-first", "second-audio", "srtp", "ipv6-first"],
)
async def test_the_answer_has_a_line_for_each_offered_stream(
    ua: UserAgent, peer: _Peer, offered: str, answered: list[str]
) -> None:
    """RFC 3264 §6: as many m= lines as the offer, in its order, the refused at port 0."""
    calls = _answering(ua)
    call_id = f"lines-{secrets.token_hex(4)}"
    _send(ua, peer, _request("INVITE", ua, peer, call_id, body=_sdp(offered)))
    ok = (await peer.answers(call_id))[-1]
    assert ok.status_code == 200
    port = calls[0].rtp.local[1]
    lines = [m for m in ok.text.split("\r\n") if m.startswith("m=")]
    assert lines == [a.format(port=port) for a in answered]
    assert calls[0].rtp.remote == ("127.0.0.1", 40002 if "40002 RTP/AVP 0" in offered else 40000)


async def test_a_cancel_after_a_minute_of_ringing_stops_it(
    ua: UserAgent, peer: _Peer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(endpoint, "LINGER", 0.1)  # 32 s: the INVITE forgotten after 64 s
    rang: list[Call] = []
    ua.on_incoming = rang.append
    call_id, branch = f"late-{secrets.token_hex(4)}", f"z9hG4bK{secrets.token_hex(6)}"
    _send(ua, peer, _request("INVITE", ua, peer, call_id, branch=branch, body=_sdp()))
    await asyncio.wait_for(peer.got.get(), 5)  # 180
    await asyncio.sleep(0.5)  # five times "64 s" later
    _send(ua, peer, _request("CANCEL", ua, peer, call_id, branch=branch))
    assert (await peer.final(call_id))[-1] == 200  # the CANCEL's (481 before: forgotten)
    assert (await peer.final(call_id))[-1] == 487  # the INVITE's
    assert rang[0].state is CallState.ENDED and rang[0].reason is EndReason.MISSED


async def test_a_caller_who_never_hangs_up_is_missed_and_frees_the_line(
    ua: UserAgent, peer: _Peer
) -> None:
    ua.ring_limit_s = 0.3
    rang: list[Call] = []
    ua.on_incoming = rang.append
    call_id = f"forever-{secrets.token_hex(4)}"
    _send(ua, peer, _request("INVITE", ua, peer, call_id, body=_sdp()))
    assert (await peer.final(call_id))[-1] == 480
    assert rang[0].reason is EndReason.MISSED and call_id not in ua.calls


@pytest.mark.parametrize("direction", ["sendonly", "inactive"])
async def test_nothing_is_sent_to_a_peer_that_holds(
    ua: UserAgent, peer: _Peer, direction: str
) -> None:
    answered = _answering(ua)
    call_id = f"held-{secrets.token_hex(4)}"
    body = _sdp(f"m=audio 40000 RTP/AVP 0\r\na={direction}\r\n")
    _send(ua, peer, _request("INVITE", ua, peer, call_id, body=body))
    assert (await peer.final(call_id))[-1] == 200
    (call,) = answered
    assert call.remote_held and not call.rtp.sending  # (the UA's stop ends the call)


async def test_a_bye_outside_any_dialog_is_no_such_call(ua: UserAgent, peer: _Peer) -> None:
    call_id = f"bye-{secrets.token_hex(4)}"
    _send(ua, peer, _request("BYE", ua, peer, call_id))
    assert await peer.final(call_id) == [481]  # 405, with BYE in its own Allow, before


async def test_requests_in_a_call_out_of_order_offerless_or_crossing_ours(
    ua: UserAgent, peer: _Peer
) -> None:
    """RFC 3261 §12.2.2: a lower CSeq is 500; §14.2: a re-INVITE while ours is pending is
    491; RFC 3264 §8: a re-INVITE without SDP (a session refresh) gets our offer in 200."""
    answered = _answering(ua)
    call_id = f"dialog-{secrets.token_hex(4)}"
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=5, body=_sdp()))
    ok = (await peer.answers(call_id))[-1]
    assert ok.status_code == 200
    tag = (ok.get_header("to") or "").rsplit("tag=", 1)[1]
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=5, to_tag=tag))
    (call,) = answered
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=6, to_tag=tag))  # no SDP
    refresh = (await peer.answers(call_id))[-1]
    assert refresh.status_code == 200  # 488 before
    assert [m for m in refresh.text.split("\r\n") if m.startswith("m=")] == [
        f"m=audio {call.rtp.local[1]} RTP/AVP 0"
    ]  # the call's codec: not every one we know
    moved = _sdp("m=audio 40002 RTP/AVP 0\r\na=sendonly\r\n", "IN IP4 127.0.0.3")
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=6, to_tag=tag, body=moved))
    await until(lambda: call.rtp.remote == ("127.0.0.3", 40002))  # their answer taken
    assert call.remote_held and not call.rtp.sending
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=7, to_tag=tag))  # a resume
    assert await peer.final(call_id) == [200]
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=7, to_tag=tag, body=_sdp()))
    await until(lambda: not call.remote_held)
    assert call.rtp.sending  # (left held for good before)
    _send(ua, peer, _request("INFO", ua, peer, call_id, seq=2, to_tag=tag))
    assert await peer.final(call_id) == [500]  # 200 before
    holding = asyncio.get_running_loop().create_task(call.hold(True))  # never answered
    while await asyncio.wait_for(peer.requests.get(), 5) != "INVITE":  # ours has come
        pass
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=8, to_tag=tag, body=_sdp()))
    assert await peer.final(call_id) == [491]  # 200 before
    holding.cancel()


def _origin(sdp_text: str) -> tuple[str, int]:
    (line,) = [x for x in sdp_text.split("\r\n") if x.startswith("o=")]
    _user, session, version, *_ = line[2:].split()
    return session, int(version)


_HELD = _sdp("m=audio 40000 RTP/AVP 0\r\na=sendonly\r\n")


async def _answers_through_a_hold(ua: UserAgent, peer: _Peer, call_id: str) -> list[SipResponse]:
    """A call answered by ``ua``, held by the peer (a re-INVITE), then a re-INVITE without
    SDP (our offer in the 200, their answer in the ACK): the three 200s. The UA answers."""
    _answering(ua)
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=1, body=_sdp()))
    answers = [(await peer.answers(call_id))[-1]]
    tag = _to_tag(answers[0])
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=1, to_tag=tag))
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=2, to_tag=tag, body=_HELD))
    answers.append((await peer.answers(call_id))[-1])
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=2, to_tag=tag))
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=3, to_tag=tag))  # no SDP
    answers.append((await peer.answers(call_id))[-1])
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=3, to_tag=tag, body=_sdp()))
    return answers


def _to_tag(response: SipResponse) -> str:
    return (response.get_header("to") or "").rsplit("tag=", 1)[1]


async def test_our_sdp_keeps_its_session_and_counts_its_versions(
    ua: UserAgent, peer: _Peer
) -> None:
    """RFC 3264 §8: each SDP of ours in a call has the same o= line but for its version, one
    up each time it changes (before: a new session id in every SDP, and version 1 in every
    answer — Asterisk's chan_sip, for one, skips an SDP whose version did not move); the
    same SDP again (a session refresh) keeps its version (RFC 6337 §5.3; before: one up)."""
    call_id = f"origin-{secrets.token_hex(4)}"
    answers = await _answers_through_a_hold(ua, peer, call_id)
    tag = _to_tag(answers[0])
    refreshed = []  # the same offer twice (a session refresh): the same answer, same version
    for seq in (4, 5):
        _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=seq, to_tag=tag, body=_HELD))
        refreshed.append((await peer.answers(call_id))[-1])
        _send(ua, peer, _request("ACK", ua, peer, call_id, seq=seq, to_tag=tag))
    answers += refreshed
    assert [r.status_code for r in answers] == [200] * 5
    session, version = _origin(answers[0].text)
    assert [_origin(r.text) for r in answers[1:]] == [
        (session, version + 1),
        (session, version + 2),
        (session, version + 3),
        (session, version + 3),
    ]
    assert refreshed[0].text == refreshed[1].text


def _connection(sdp_text: str) -> tuple[str, str]:
    (c,) = [x for x in sdp_text.split("\r\n") if x.startswith("c=")]
    (m,) = [x for x in sdp_text.split("\r\n") if x.startswith("m=audio")]
    return c.split()[-1], m.split()[1]


async def test_every_sdp_of_a_call_names_the_advertised_media_address(
    ua: UserAgent, peer: _Peer
) -> None:
    """Where the other side sends our audio when it is not where we listen (a relay, a NAT's
    public address): the answer, a re-INVITE's answer and an offer in a 200 all name it
    (before: only an outgoing call's first offer did; every later SDP moved the peer's
    audio to the address behind the relay)."""
    ua.media_address = lambda _local: ("192.0.2.7", 40002)
    answers = await _answers_through_a_hold(ua, peer, f"advertised-{secrets.token_hex(4)}")
    assert [_connection(r.text) for r in answers] == [("192.0.2.7", "40002")] * 3
    (call,) = ua.calls.values()  # and our own offer: a hold, once the ACK's answer is in
    await until(lambda: call.answer_due == 0.0)
    holding = asyncio.ensure_future(call.hold())
    assert _connection((await _their_invite(peer)).text) == ("192.0.2.7", "40002")
    holding.cancel()


async def _their_invite(peer: _Peer) -> SipRequest:
    while (request := await asyncio.wait_for(peer.sent_us.get(), 5)).method != "INVITE":
        pass
    return request


async def _connected(ua: UserAgent, peer: _Peer, call_id: str) -> tuple[Call, str]:
    """A call from the peer, answered by ``ua`` and ACKed: the call, our dialog tag."""
    calls = _answering(ua)
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=1, body=_sdp()))
    tag = _to_tag((await peer.answers(call_id))[-1])
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=1, to_tag=tag))
    (call,) = calls
    await until(lambda: call.state is CallState.CONNECTED)
    return call, tag


async def test_the_answer_to_our_re_invite_is_taken(ua: UserAgent, peer: _Peer) -> None:
    """Our hold offers every codec we have; the answer says where their media goes now, in
    which codec: taken (before: ACKed and ignored — our RTP went on to the old port)."""
    call_id = f"reanswer-{secrets.token_hex(4)}"
    call, _tag = await _connected(ua, peer, call_id)
    holding = asyncio.ensure_future(call.hold())
    invite = await _their_invite(peer)
    ok = wire.response_to(invite, 200, "OK")
    ok.set_header("Contact", f"<sip:caller@{peer.local}>")
    ok.set_header("Content-Type", "application/sdp")
    ok.text = _sdp("m=audio 40010 RTP/AVP 8\r\na=recvonly\r\n")
    assert peer.transport is not None
    peer.transport.sendto(bytes(ok), ("127.0.0.1", ua.endpoint.local[1]))
    assert await asyncio.wait_for(holding, 5) is True
    assert call.rtp.remote == ("127.0.0.1", 40010) and call.rtp.codec.name == "PCMA"
    assert call.held and not call.remote_held and not call.rtp.sending


async def test_no_offer_of_ours_while_theirs_is_unanswered(ua: UserAgent, peer: _Peer) -> None:
    """After an offer in our 200 (a re-INVITE without SDP) its answer comes in the ACK; a
    hold meanwhile would be a second offer in flight (RFC 3264 §4): refused until then."""
    call_id = f"one-offer-{secrets.token_hex(4)}"
    call, tag = await _connected(ua, peer, call_id)
    _send(ua, peer, _request("INVITE", ua, peer, call_id, seq=2, to_tag=tag))  # no SDP
    assert [r.status_code for r in await peer.answers(call_id)][-1] == 200
    assert await asyncio.wait_for(call.hold(), 1) is False  # at once, nothing sent
    while not peer.sent_us.empty():
        assert peer.sent_us.get_nowait().method != "INVITE"
    _send(ua, peer, _request("ACK", ua, peer, call_id, seq=2, to_tag=tag, body=_sdp()))
    await until(lambda: call.answer_due == 0.0)
    holding = asyncio.ensure_future(call.hold())
    assert (await _their_invite(peer)).method == "INVITE"
    holding.cancel()


# -- over TCP ----------------------------------------------------------------------------


@pytest.fixture
async def tcp_ua() -> AsyncIterator[UserAgent]:
    agent = UserAgent(transport="tcp")
    await agent.start()
    try:
        yield agent
    finally:
        await agent.stop()


def _options_tcp(ua: UserAgent, n: int) -> bytes:
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    return (
        f"OPTIONS sip:linedesk@{target} SIP/2.0\r\n"
        f"Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK{n}x{secrets.token_hex(4)}\r\n"
        f"Max-Forwards: 70\r\nFrom: <sip:p@127.0.0.1:9>;tag=t\r\nTo: <sip:linedesk@{target}>\r\n"
        f"Call-ID: tcp-{n}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    ).encode()


async def test_half_a_message_held_closes_the_connection(
    tcp_ua: UserAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    from telephony.sip import stream

    monkeypatch.setattr(stream, "UNFINISHED_S", 0.3)  # 32 s
    reader, writer = await asyncio.open_connection("127.0.0.1", tcp_ua.endpoint.local[1])
    writer.write(_options_tcp(tcp_ua, 1)[:60])  # a head begun, never ended
    assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the UA
    writer.close()


async def test_a_steady_stream_split_mid_message_stays_open(
    tcp_ua: UserAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write ends inside the next message: every message ends in time, the stream is
    no slow peer (it was closed UNFINISHED_S after its first partial read)."""
    from telephony.sip import stream

    monkeypatch.setattr(stream, "UNFINISHED_S", 0.5)
    reader, writer = await asyncio.open_connection("127.0.0.1", tcp_ua.endpoint.local[1])
    data = b"".join(_options_tcp(tcp_ua, 100 + n) for n in range(40))
    step = len(data) // 30 + 7  # never on a message's boundary for long
    for start in range(0, len(data), step):
        writer.write(data[start : start + step])
        await asyncio.sleep(0.05)  # 1.5 s of traffic in all: three times the limit
    answered = 0
    while answered < 40:
        line = await asyncio.wait_for(reader.readline(), 5)
        assert line, f"closed after {answered} answers"
        answered += line.startswith(b"SIP/2.0 200")
    writer.close()


async def test_connections_over_the_cap_are_closed_and_the_others_served(
    tcp_ua: UserAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(endpoint, "MAX_INCOMING", 3)
    port = tcp_ua.endpoint.local[1]
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
    await asyncio.sleep(0.1)  # (accepted)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await asyncio.wait_for(reader.read(), 5) == b""  # the fourth: closed at once
    writer.close()
    reader, writer = held[0]
    writer.write(_options_tcp(tcp_ua, 2))
    assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"SIP/2.0 200")
    for _reader, w in held:
        w.close()


async def test_answers_nobody_reads_do_not_pile_up(tcp_ua: UserAgent) -> None:
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", tcp_ua.endpoint.local[1]))
    sock.setblocking(False)
    _reader, writer = await asyncio.open_connection(sock=sock, limit=1024)
    requests = b"".join(_options_tcp(tcp_ua, n) for n in range(200))
    most = 0
    for _ in range(80):  # ≈ 10 MB of requests; their answers never read
        writer.write(requests)
        await asyncio.sleep(0.05)
        most = max(most, *(
            s.transport.get_write_buffer_size()
            for s in tcp_ua.endpoint._streams.values()
            if s.transport is not None
        ), 0)  # fmt: skip
    assert most < 1 << 20, most  # 17 MiB after 8 s before, and growing
    writer.close()
