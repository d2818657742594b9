"""RFC 3261 §17 transactions, where aiosipua 0.7.1 is wrong.

Over TCP (`reliable`) nothing is retransmitted — the connection does that — and the
timeouts stay (Timer B/F: 64*T1), as §17.1.1.2 and §17.2.1 say.

Guarantees (each proven against a real peer in tests/telephony/):
- a client request is retransmitted on Timer A/E (T1 doubling; non-INVITE capped at T2) until
  a response, and fails with `TransactionTimeout` after 64*T1 (Timer B/F);
- a non-2xx final response to an INVITE is ACKed by the transaction (same branch), and each
  retransmission of it is ACKed again;
- a retransmitted request (same top Via branch and method) never reaches the user agent again:
  the server transaction answers it with its last response;
- a non-2xx final response of an INVITE server transaction is retransmitted (Timer G) until
  its ACK arrives, and the ACK is absorbed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiosipua import SipRequest, SipResponse

from telephony.sip import wire

log = logging.getLogger(__name__)

T1 = 0.5
T2 = 4.0
Address = tuple[str, int]
Send = Callable[[bytes, Address], None]


class TransactionTimeout(Exception):
    """No final response came within 64*T1."""


class ClientTransaction:
    def __init__(
        self, request: SipRequest, destination: Address, send: Send, reliable: bool = False
    ) -> None:
        self.request = request
        self.reliable = reliable
        self.destination = destination
        self.branch = wire.top_branch(request)
        self.is_invite = request.method == "INVITE"
        self._send = send
        self._data = bytes(request)
        loop = asyncio.get_running_loop()
        self.final: asyncio.Future[SipResponse] = loop.create_future()
        self.provisional: asyncio.Queue[SipResponse] = asyncio.Queue()
        self._ack: bytes | None = None
        self.heard = asyncio.Event()
        self._wake = asyncio.Event()
        self.on_2xx_again: Callable[[SipResponse], None] | None = None
        self._task = asyncio.create_task(self._run(), name=f"sip-tx {request.method}")

    def _emit(self) -> None:
        self._send(self._data, self.destination)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 64 * T1
        interval = T1
        self._emit()
        while not self.final.done():
            if self.is_invite and self.heard.is_set():
                # a ringing INVITE waits for its final response as long as it rings (no Timer B)
                await asyncio.wait([self.final])
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                self.final.set_exception(TransactionTimeout(self.request.method))
                return
            self._wake.clear()
            try:
                async with asyncio.timeout(min(interval, remaining)):
                    await self._wake.wait()
                continue  # a response came: look again
            except TimeoutError:
                pass
            # Timer A (INVITE: doubling) / Timer E (non-INVITE: capped at T2, T2 once heard)
            if not self.reliable:
                self._emit()
            interval = interval * 2 if self.is_invite else min(interval * 2, T2)
            if self.heard.is_set():
                interval = T2

    def receive(self, response: SipResponse) -> None:
        self._wake.set()
        if response.status_code < 200:
            self.heard.set()
            if not self.final.done():
                self.provisional.put_nowait(response)
            return
        if self.is_invite and response.status_code >= 300:
            # RFC 3261 §17.1.1.3: the transaction ACKs a non-2xx final response, each time
            if self._ack is None:
                self._ack = bytes(self._ack_for(response))
            self._send(self._ack, self.destination)
        if not self.final.done():
            self.final.set_result(response)
        elif response.status_code < 300 and self.on_2xx_again is not None:
            self.on_2xx_again(response)

    def _ack_for(self, response: SipResponse) -> SipRequest:
        ack = SipRequest(method="ACK", uri=self.request.uri)
        ack.add_header("Via", self.request.headers.get("via")[0])
        for route in self.request.headers.get("route"):
            ack.add_header("Route", route)
        ack.set_header("Max-Forwards", "70")
        ack.set_header("From", self.request.get_header("from") or "")
        ack.set_header("To", response.get_header("to") or "")
        ack.set_header("Call-ID", self.request.call_id or "")
        seq = (self.request.get_header("cseq") or "1").split()[0]
        ack.set_header("CSeq", f"{seq} ACK")
        for name in ("authorization", "proxy-authorization"):
            for value in self.request.headers.get(name):
                ack.add_header(name.title(), value)
        return ack

    def cancel(self) -> None:
        self._task.cancel()


class ServerTransaction:
    def __init__(
        self, request: SipRequest, source: Address, send: Send, reliable: bool = False
    ) -> None:
        self.request = request
        self.source = source
        self.reliable = reliable
        # over TCP the answer goes back on the connection the request came in on (§18.2.2)
        self.reply_to = source if reliable else wire.reply_address(request, source)
        self._send = send
        self.last: bytes | None = None
        self.final_status = 0
        self.acked = asyncio.Event()
        self._timer: asyncio.Task[None] | None = None

    def respond(self, response: SipResponse) -> None:
        if self.final_status >= 200:
            return
        self.last = bytes(response)
        self._send(self.last, self.reply_to)
        if response.status_code >= 200:
            self.final_status = response.status_code
            invite = self.request.method == "INVITE"
            if invite and response.status_code >= 300 and not self.reliable:
                self._timer = asyncio.create_task(self._timer_g(), name="sip Timer G")

    async def _timer_g(self) -> None:
        interval = T1
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(64 * T1):
                while not self.acked.is_set():
                    try:
                        async with asyncio.timeout(interval):
                            await self.acked.wait()
                    except TimeoutError:
                        if self.last is not None:
                            self._send(self.last, self.reply_to)
                        interval = min(interval * 2, T2)

    def retransmitted(self) -> None:
        """The same request again: the last response again, nothing to the user agent."""
        if self.last is not None:
            self._send(self.last, self.reply_to)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


async def until_acked(acked: asyncio.Event, again: Callable[[], None]) -> bool:
    """A UAS core's 2xx retransmission (RFC 3261 §13.3.1.4): `again()` at T1, doubling up
    to T2, until `acked` is set; False when 64·T1 passed without it."""
    interval = T1
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(64 * T1):
            while not acked.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(interval):
                        await acked.wait()
                if not acked.is_set():
                    again()
                interval = min(interval * 2, T2)
            return True
    return False
