"""SIP over TCP (RFC 3261 §18.3): one connection, messages framed by Content-Length.

A connection either came in (the PBX reaching us) or was opened by us (to the PBX, to a
dialog's next hop); both are `SipStream`s, kept by the endpoint under the peer's address
and used for everything sent there. Bytes written before an outgoing connection is up
wait for it. Framing is strict: a head without an end within `MAX_MESSAGE` bytes, a
missing or bad Content-Length (mandatory on a stream) or a body over the cap closes the
connection — nothing after it could be framed — and the endpoint carries on. A CRLF CRLF
keep-alive is answered with CRLF (RFC 5626 §3.5.1). A peer may not hold us: a message
begun must end within `UNFINISHED_S`, and one that reads no answers is read no more (and
closed past `WRITE_CAP`); the endpoint takes at most `MAX_INCOMING` connections.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

log = logging.getLogger(__name__)

MAX_MESSAGE = 65_536  # bytes: a head, and a body, over this close the connection
UNFINISHED_S = 32.0  # a message begun and not ended within this (64·T1) closes the connection
WRITE_CAP = 1 << 20  # bytes of answers the peer does not read: past this, closed
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
        self.refused = False  # (set by the endpoint: one connection over its cap)
        self._unfinished: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if self.refused:
            transport.close()
            return
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
            if self.transport.get_write_buffer_size() > WRITE_CAP:
                log.info("SIP over TCP to %s:%s closed: it reads no answers", *self.peer)
                self.close()

    # a peer that does not read its answers: no more of its requests are read meanwhile
    # (17 MiB of answers piled up in a few seconds, and grew)
    def pause_writing(self) -> None:
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

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
                self._unfinished_after()
                return
            if self._unfinished is not None:  # that one ended: the next is timed afresh
                self._unfinished.cancel()
                self._unfinished = None
            self._on_message(message, self.peer, self)
        self._unfinished_after()

    def _unfinished_after(self) -> None:
        """A message begun must end within UNFINISHED_S: half a head sent and held (300
        such connections stayed open for good)."""
        if not self._buffer.strip(b"\r\n"):
            if self._unfinished is not None:
                self._unfinished.cancel()
                self._unfinished = None
        elif self._unfinished is None:
            loop = asyncio.get_running_loop()
            self._unfinished = loop.call_later(UNFINISHED_S, self._too_slow)

    def _too_slow(self) -> None:
        log.info("SIP over TCP from %s:%s closed: a message not ended in time", *self.peer)
        self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._unfinished is not None:
            self._unfinished.cancel()
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


__all__ = ["MAX_MESSAGE", "UNFINISHED_S", "WRITE_CAP", "SipStream", "frame"]
