"""The user agent's socket — UDP, or a TCP listener and its connections
(telephony.sip.stream) — and the transaction table behind it.

Every datagram or framed message is parsed and checked (telephony.sip.wire); a bad one is
answered 400 when its sender can be named and dropped otherwise, and nothing that arrives
can raise out of `received`. Responses go to their client transaction by branch; a request
that repeats one in the table (same branch and method) is a retransmission and never
reaches the user agent again. Over TCP nothing is retransmitted, answers go back on the
connection a request came in on, and an outgoing connection that cannot be made fails its
transactions at once (`Unreachable`) instead of after 32 s.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable

from aiosipua import SipMessage, SipRequest, SipResponse

from telephony.sip import address, wire
from telephony.sip.stream import SipStream
from telephony.sip.transactions import (
    Address,
    ClientTransaction,
    ServerTransaction,
    TransactionTimeout,
)

log = logging.getLogger(__name__)

LINGER = 32.0  # how long a finished transaction still absorbs retransmissions (Timer D/J)
MAX_INCOMING = 64  # TCP connections from peers at once (a PBX needs one or a few)
KEPT_RINGING = 8  # times LINGER an INVITE without a final answer is kept (past ringing's limit)
RESOLVE_S = 5.0  # a next hop named, not numbered: how long its name may take to resolve
OnRequest = Callable[[SipRequest, ServerTransaction | None], None]
TRANSPORTS = ("udp", "tcp")


class Unreachable(TransactionTimeout):
    """No TCP connection could be made to the next hop."""


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _server_key(request: SipRequest) -> tuple[str, ...]:
    method = "INVITE" if request.method in ("ACK", "CANCEL") else request.method
    branch = wire.top_branch(request)
    if branch.startswith("z9hG4bK"):
        via = request.via[0]
        return (branch, f"{via.host}:{via.port}", method)
    # RFC 2543 peers: no magic cookie, match on the dialog-ish identifiers (§17.2.3)
    seq = (request.get_header("cseq") or "").split()[0]
    tag = address.tag_of(address.sender(request))
    return (request.call_id or "", seq, tag, method)


class Endpoint(asyncio.DatagramProtocol):
    def __init__(self, on_request: OnRequest, kind: str = "udp") -> None:
        if kind not in TRANSPORTS:
            raise ValueError(f"SIP transport {kind!r}: udp or tcp")
        self.on_request = on_request
        self.kind = kind
        self.reliable = kind == "tcp"
        self.transport: asyncio.DatagramTransport | None = None
        self._listener: asyncio.Server | None = None
        self._streams: dict[Address, SipStream] = {}
        self._incoming: set[SipStream] = set()
        self.local: Address = ("127.0.0.1", 0)
        # by (branch, method): a CANCEL shares its INVITE's branch (RFC 3261 §9.1)
        self._clients: dict[tuple[str, str], ClientTransaction] = {}
        self._servers: dict[tuple[str, ...], ServerTransaction] = {}
        self.bad_messages = 0
        self.absorbed = asyncio.Event()  # set at each retransmitted request absorbed

    async def open(self, host: str, port: int = 0) -> Address:
        loop = asyncio.get_running_loop()
        if self.reliable:
            self._listener = await loop.create_server(self._came_in, host, port, reuse_address=True)
            sock = self._listener.sockets[0].getsockname()
        else:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: self, local_addr=(host, port)
            )
            self.transport = transport
            sock = transport.get_extra_info("sockname")
        self.local = (sock[0], sock[1])
        return self.local

    def via(self) -> str:
        """Our Via for a new request, with a fresh branch."""
        return wire.via(self.local, self.kind.upper())

    def close(self) -> None:
        for tx in self._clients.values():
            tx.cancel()
        for stx in self._servers.values():
            stx.close()
        if self.transport is not None:
            self.transport.close()
            self.transport = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for stream in list(self._streams.values()):
            stream.close()

    def send(self, data: bytes, address: Address) -> None:
        if self.reliable:
            self._stream_to(address).write(data)
        elif self.transport is not None and not self.transport.is_closing():
            if _is_address(address[0]):
                self.transport.sendto(data, address)
            else:  # a name (a Contact's, a proxy's): resolved off the loop, not in sendto
                asyncio.get_running_loop().create_task(
                    self._send_to_name(data, address), name=f"sip to {address[0]}"
                )

    async def _send_to_name(self, data: bytes, address: Address) -> None:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(RESOLVE_S):
                found = await loop.getaddrinfo(
                    address[0], address[1], family=socket.AF_INET, type=socket.SOCK_DGRAM
                )
        except (OSError, TimeoutError) as exc:
            log.info("SIP to %s:%s: the name does not resolve (%s)", *address, exc)
            return
        if found and self.transport is not None and not self.transport.is_closing():
            host, port = found[0][4][:2]
            self.transport.sendto(data, (str(host), int(port)))

    # -- TCP connections
    def _stream(self, peer: Address) -> SipStream:
        stream = SipStream(self.received, self._stream_closed, peer)
        if peer[1]:
            self._streams[peer] = stream
        return stream

    def _came_in(self) -> SipStream:
        """A connection that came in; over MAX_INCOMING at once, closed as it opens (130
        idle ones took the process's last descriptors: a real INVITE went unanswered)."""
        stream = self._stream(("", 0))
        if len(self._incoming) >= MAX_INCOMING:
            stream.refused = True
        else:
            self._incoming.add(stream)
        return stream

    def _stream_to(self, address: Address) -> SipStream:
        stream = self._streams.get(address)
        if stream is None or stream.closed:
            stream = self._stream(address)
            asyncio.get_running_loop().create_task(
                self._connect(stream, address), name=f"sip tcp {address[0]}:{address[1]}"
            )
        return stream

    async def _connect(self, stream: SipStream, address: Address) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.create_connection(lambda: stream, address[0], address[1])
        except OSError as exc:
            log.info("SIP over TCP to %s:%s: %s", address[0], address[1], exc)
            stream.close()
            for tx in list(self._clients.values()):
                if tx.destination == address and not tx.final.done():
                    tx.final.set_exception(Unreachable(f"{address[0]}:{address[1]}: {exc}"))

    def _stream_closed(self, stream: SipStream) -> None:
        self._incoming.discard(stream)
        if self._streams.get(stream.peer) is stream:
            del self._streams[stream.peer]
        for key, known in list(self._streams.items()):
            if known is stream:
                del self._streams[key]

    # -- client side
    def request(self, request: SipRequest, destination: Address) -> ClientTransaction:
        tx = ClientTransaction(request, destination, self.send, self.reliable)
        key = (tx.branch, request.method)
        self._clients[key] = tx
        tx.final.add_done_callback(lambda _f: self._forget_client(key))
        return tx

    def pending(self, call_id: str, method: str) -> bool:
        """A request of ours with this Call-ID still waiting for its final answer."""
        return any(
            tx.request.call_id == call_id and m == method and not tx.final.done()
            for (_branch, m), tx in self._clients.items()
        )

    def _forget_client(self, key: tuple[str, str]) -> None:
        asyncio.get_running_loop().call_later(LINGER, self._clients.pop, key, None)

    def send_stateless(self, request: SipRequest, destination: Address) -> None:
        """ACK for a 2xx: its own branch, no transaction (RFC 3261 §13.2.2.4)."""
        self.send(bytes(request), destination)

    def server_transaction(self, request: SipRequest) -> ServerTransaction | None:
        return self._servers.get(_server_key(request))

    # -- what arrives
    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if not data.strip(b"\r\n"):
            return  # RFC 5626 keep-alive
        self.received(data, (addr[0], addr[1]))

    def received(self, data: bytes, source: Address, stream: SipStream | None = None) -> None:
        """One message (a datagram, or framed off a TCP connection: `stream`)."""
        if stream is not None and source not in self._streams:
            self._streams[source] = stream  # a connection that came in: answers go back on it
        try:
            message = wire.parse(data)
        except wire.BadMessage as exc:
            self.bad_messages += 1
            log.info("SIP message from %s:%s dropped: %s", source[0], source[1], exc)
            self._answer_bad(data, source, str(exc))
            return
        try:
            if isinstance(message, SipResponse):
                self._response(message)
            else:
                self._request(message, source)
        except Exception:
            log.exception("SIP message from %s:%s failed", *source)

    def _response(self, response: SipResponse) -> None:
        cseq = response.cseq
        method = cseq.method if cseq is not None else ""
        tx = self._clients.get((wire.top_branch(response), method))
        if tx is None or tx.request.via[0].host != response.via[0].host:
            log.debug("stray response %s dropped", response.status_code)
            return
        tx.receive(response)

    def _request(self, request: SipRequest, source: Address) -> None:
        key = _server_key(request)
        existing = self._servers.get(key)
        if request.method == "ACK":
            if existing is not None and existing.final_status >= 300:
                existing.acked.set()  # the ACK of our non-2xx: absorbed
                return
            self.on_request(request, None)  # the ACK of a 2xx belongs to the dialog
            return
        if request.method == "CANCEL":
            key = (*key[:-1], "CANCEL")
            existing = self._servers.get(key)
        if existing is not None:
            existing.retransmitted()
            self.absorbed.set()
            return
        wire.stamp_received(request, source)
        stx = ServerTransaction(request, source, self.send, self.reliable)
        self._servers[key] = stx
        asyncio.get_running_loop().call_later(LINGER * 2, self._forget_server, key)
        self.on_request(request, stx)

    def _forget_server(self, key: tuple[str, ...], kept: int = 0) -> None:
        stx = self._servers.get(key)
        if stx is None:
            return
        if stx.request.method == "INVITE" and stx.final_status < 200 and kept < KEPT_RINGING:
            # still ringing: its CANCEL may yet come (RFC 3261 §9.2; one after 64 s was
            # answered 481 and the call rang on), its retransmissions still absorbed
            loop = asyncio.get_running_loop()
            loop.call_later(LINGER, self._forget_server, key, kept + 1)
            return
        del self._servers[key]
        stx.close()

    def _answer_bad(self, data: bytes, source: Address, reason: str) -> None:
        """400 to a request whose Via, From, To, Call-ID and CSeq can still be read."""
        try:
            message = SipMessage.parse(data)
            if not isinstance(message, SipRequest) or message.method == "ACK":
                return
            if not all(message.headers.get(h) for h in ("via", "from", "to", "call-id", "cseq")):
                return
            phrase = "Bad Request"
            if not data.split(b"\n", 1)[0].rstrip().endswith(b"SIP/2.0"):
                status, phrase = 505, "Version Not Supported"
            else:
                status = 400
            response = wire.response_to(message, status, phrase, wire.tag())
            to = source if self.reliable else wire.reply_address(message, source)
            self.send(bytes(response), to)
        except Exception:
            return
