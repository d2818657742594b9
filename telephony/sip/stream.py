"""SIP over TCP (RFC 3261 §18.3): one connection, messages framed by Content-Length.

A connection either came in (the PBX reaching us) or was opened by us (to the PBX, to a
dialog's next hop); both are `SipStream`s, kept by the endpoint under the peer's address
and used for everything sent there. Bytes written before an outgoing connection is up
wait for it. Framing is strict: a head without an end within `MAX_MESSAGE` bytes, a
missing or bad Content-Length (mandatory on a stream) or a body over the cap closes the
connection — nothing after it could be framed — and the endpoint carries on. A CRLF CRLF
keep-alive is answered with CRLF (RFC 5626 §3.5.1).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

log = logging.getLogger(__name__)

MAX_MESSAGE = 65_536  # bytes: a head, and a body, over this close the connection
_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})[ \t]*\r?$", re.I | re.M)

Address = tuple[str, int]
OnMessage = Callable[[bytes, Address, "SipStream"], None]


def frame(buffer: bytes) -> tuple[bytes | None, bytes, bool]:
    """(the first whole message or None, what is left, whether a keep-alive ping came
    first). Raises ValueError when the stream cannot be framed."""
    stripped = buffer.lstrip(b"\r\n")
    ping = len(buffer) - len(stripped) >= 4
    end = stripped.find(b"\r\n\r\n")
    if end < 0:
        if len(stripped) > MAX_MESSAGE:
            raise ValueError("a SIP head longer than 64 KiB")
        return None, stripped, ping
    found = _LENGTH.findall(stripped[:end])
    if len(found) != 1:
        raise ValueError("no Content-Length on a stream" if not found else "two Content-Lengths")
    length = int(found[0])
    if length > MAX_MESSAGE:
        raise ValueError("a SIP body over 64 KiB")
    total = end + 4 + length
    if len(stripped) < total:
        return None, stripped, ping
    return stripped[:total], stripped[total:], ping


class SipStream(asyncio.Protocol):
    def __init__(
        self, on_message: OnMessage, on_closed: Callable[[SipStream], None], peer: Address
    ) -> None:
        self.peer = peer
        self._on_message = on_message
        self._on_closed = on_closed
        self._buffer = b""
        self._pending: list[bytes] = []
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        name = transport.get_extra_info("peername")
        if name:
            self.peer = (name[0], name[1])
        for data in self._pending:
            transport.write(data)
        self._pending.clear()

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        if self.transport is None:
            self._pending.append(data)
        elif not self.transport.is_closing():
            self.transport.write(data)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._buffer and not self.closed:
            try:
                message, self._buffer, ping = frame(self._buffer)
            except ValueError as exc:
                log.info("SIP over TCP from %s:%s closed: %s", *self.peer, exc)
                self.close()
                return
            if ping:
                self.write(b"\r\n")
            if message is None:
                return
            self._on_message(message, self.peer, self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.closed = True
        self._pending.clear()
        self._on_closed(self)

    def close(self) -> None:
        """Closed by us (a framing error, the endpoint closing) or never connected."""
        if self.transport is not None:
            self.transport.close()  # connection_lost follows
        elif not self.closed:
            self.closed = True
            self._pending.clear()
            self._on_closed(self)


__all__ = ["MAX_MESSAGE", "SipStream", "frame"]
