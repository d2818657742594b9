"""A UDP relay between our UA and a peer that can lose chosen datagrams (a wire that drops).

Client-facing socket on `port`; each datagram from the client goes to `target` from the
relay's peer-facing socket, and each one from the target goes back to the last client.
`drop(predicate)` loses the datagrams (either way) for which it returns True.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


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
