"""Blind transfer of a connected call (RFC 3515 REFER, RFC 5589 §6).

`Transfer.run()` sends the REFER in the call's dialog (along its route set) and waits for
the other side's NOTIFYs (`Event: refer`, a `message/sipfrag` body: the status line of
its call to the target). A final 2xx fragment: the transfer is DONE and the call is
ended with a BYE as TRANSFERRED (unless the other side ended it first). A REFER refused, a
final non-2xx fragment, or no final fragment within `NOTIFY_WITHIN` seconds: FAILED with
the status, and the call goes on — the specialist still has the caller.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from aiosipua import SipRequest, SipResponse

from telephony.problems import CallState, EndReason, TransferState
from telephony.sip import wire
from telephony.sip.transactions import TransactionTimeout

if TYPE_CHECKING:
    from telephony.call import Call

log = logging.getLogger(__name__)

NOTIFY_WITHIN = 64.0  # seconds: the target rings for a while before it answers or not


def sipfrag_status(body: str) -> int:
    """The status code of a `message/sipfrag` body ("SIP/2.0 180 Ringing"), 0 if none."""
    first = body.strip().split("\n", 1)[0].split()
    if len(first) >= 2 and first[0].upper() == "SIP/2.0" and first[1].isdigit():
        return int(first[1])
    return 0


class Transfer:
    def __init__(self, call: Call, target: str) -> None:
        self.call = call
        self.target = target  # a sip: URI
        self.state = TransferState.ASKING
        self.status = 0  # the REFER's refusal, or the target's last status as notified
        self._final: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    @property
    def handed_over(self) -> bool:
        """The target answered (a final 2xx fragment came), acted on or not yet."""
        return self.state is TransferState.DONE or (
            self._final.done() and 200 <= self._final.result() < 300
        )

    def _set(self, state: TransferState, status: int) -> None:
        self.state, self.status = state, status
        self.call._changed()

    async def run(self) -> None:
        call, ua = self.call, self.call.ua
        assert call.dialog is not None
        refer = call.dialog.request("REFER", ua.endpoint.via())
        refer.set_header("Refer-To", f"<{self.target}>")
        refer.set_header("Referred-By", f"<{ua.aor}>")
        tx = ua.endpoint.request(refer, call.dialog.next_hop())
        try:
            response = await tx.final
        except TransactionTimeout:
            self._set(TransferState.FAILED, 408)
            return
        if response.status_code >= 300:
            log.info("call %s: REFER refused with %s", call.call_id, response.status_code)
            self._set(TransferState.FAILED, response.status_code)
            return
        self._set(TransferState.TRYING, 100)
        ended = asyncio.ensure_future(call.ended.wait())
        waiters: list[asyncio.Future[Any]] = [self._final, ended]
        try:
            await asyncio.wait(waiters, timeout=NOTIFY_WITHIN, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
        if not self._final.done():  # no final fragment: the call ended, or it took too long
            self._set(TransferState.FAILED, 487 if call.ended.is_set() else 408)
            return
        status = self._final.result()
        if status >= 300:
            self._set(TransferState.FAILED, status)
            return
        self._set(TransferState.DONE, status)
        if call.state is CallState.CONNECTED:
            await call._bye(EndReason.TRANSFERRED)

    def notified(self, request: SipRequest) -> int:
        """A NOTIFY of this transfer: the status to answer it with (RFC 3515 §2.4.4)."""
        event = (request.get_header("event") or "").split(";")[0].strip().lower()
        if event != "refer":
            return 489  # Bad Event
        status = sipfrag_status(request.text or "")
        if status and self.state in (TransferState.ASKING, TransferState.TRYING):
            self.status = status
            if status >= 200 and not self._final.done():
                self._final.set_result(status)
            else:
                self.call._changed()
        state = (request.get_header("subscription-state") or "").lower()
        if state.startswith("terminated") and not self._final.done():
            self._final.set_result(status if status >= 200 else 487)
        return 200


def answer_notify(call: Call, request: SipRequest) -> SipResponse:
    """Hand an in-dialog NOTIFY to the call's transfer; the response to send."""
    transfer = call.transfer_in_progress
    status = transfer.notified(request) if transfer is not None else 481
    phrase = {200: "OK", 481: "Subscription Does Not Exist", 489: "Bad Event"}[status]
    return wire.response_to(request, status, phrase)


__all__ = ["NOTIFY_WITHIN", "Transfer", "answer_notify", "sipfrag_status"]
