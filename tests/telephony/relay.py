"""A UDP relay between our UA and a peer that can lose chosen datagrams (a wire that drops).

Client-facing socket on `port`; each datagram from the client goes to `target` from the
relay's peer-facing socket, and each one from the target goes back to the last client.
`drop(predicate)` loses the datagrams (either way) for which it returns True.

`call_through` puts a one-way relay (the peer's RTP to our call) in front of a call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telephony.call import Call
    from telephony.sip.ua import UserAgent


class OneWay(asyncio.DatagramProtocol):
    """A relay of the peer's RTP: what it keeps it sends on to ``target`` (``forward``);
    a subclass decides in ``datagram_received`` what to keep."""

    def __init__(self) -> None:
        self.target: tuple[str, int] = ("127.0.0.1", 0)
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def forward(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(data, self.target)


async def call_through(agent: UserAgent, uri: str, relay: OneWay, limit: float) -> Call:
    """Call ``uri`` from ``agent`` with the call's SDP naming ``relay``'s address, the relay
    sending on to where the call listens; returns when the call has ended (the peer hangs
    up), the agent stopped."""
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: relay, local_addr=("127.0.0.1", 0))
    front = transport.get_extra_info("sockname")[:2]

    def advertise(local: tuple[str, int]) -> tuple[str, int]:
        relay.target = local  # the relay sends on to where the call listens
        return (str(front[0]), int(front[1]))  # the peer sends to the relay

    agent.media_address = advertise
    await agent.start()
    try:
        call = await agent.call(uri)
        async with asyncio.timeout(limit):
            await call.ended.wait()
    finally:
        await agent.stop()
        transport.close()
    return call


class _Side(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: Callable[[bytes, tuple[str, int]], None]) -> None:
        self.on_datagram = on_datagram

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.on_datagram(data, addr)


class Relay:
    def __init__(self, target: tuple[str, int], drop: Callable[[bytes], bool]) -> None:
        self.target = target
        self.drop = drop
        self.dropped: list[bytes] = []
        self.client: tuple[str, int] | None = None
        self._front: asyncio.DatagramTransport | None = None
        self._back: asyncio.DatagramTransport | None = None
        self.port = 0

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._front, _ = await loop.create_datagram_endpoint(
            lambda: _Side(self._from_client), local_addr=("127.0.0.1", 0)
        )
        self._back, _ = await loop.create_datagram_endpoint(
            lambda: _Side(self._from_target), local_addr=("127.0.0.1", 0)
        )
        self.port = self._front.get_extra_info("sockname")[1]
        return self.port

    def _from_client(self, data: bytes, addr: tuple[str, int]) -> None:
        self.client = addr
        if self.drop(data):
            self.dropped.append(data)
        elif self._back is not None:
            self._back.sendto(data, self.target)

    def _from_target(self, data: bytes, _addr: tuple[str, int]) -> None:
        if self.drop(data):
            self.dropped.append(data)
        elif self._front is not None and self.client is not None:
            self._front.sendto(data, self.client)

    def close(self) -> None:
        for transport in (self._front, self._back):
            if transport is not None:
                transport.close()
