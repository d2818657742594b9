"""How a call notices that the other side is gone without a BYE (crashed, lost its
network): `watch_silence`, no RTP for `rtp_timeout` seconds while neither side holds; and
`Session`, the call's RFC 4028 session timer (negotiated by telephony/sip/session_expires.py).
Either ends the call as lost (`Call.lost`: a BYE, in case the other side still hears).

`Session` arms aiosipua's `SessionTimer` in the role the negotiation gave us: as the
refresher it refreshes at half the interval — a bodyless UPDATE where the other side allows
UPDATE, else a re-INVITE carrying Session-Expires (`Call.reinvite`); otherwise it watches,
re-armed by each refresh of the other side, and a session nobody refreshed ends the call as
lost (`Call.lost`: a BYE, in case the other side still hears).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiosipua import SipRequest, SipResponse
from aiosipua.session_timer import SessionTimer

from telephony.problems import CallState
from telephony.sip import session_expires
from telephony.sip.transactions import TransactionTimeout

if TYPE_CHECKING:
    from telephony.call import Call

log = logging.getLogger(__name__)


class Session:
    def __init__(
        self,
        call: Call,
        interval: int,
        refresher: str,
        we_are: str,
        peer: SipRequest | SipResponse,
    ) -> None:
        """`refresher` and `we_are`: "uac" or "uas"; `peer`: the other side's INVITE or 2xx
        (its Allow says whether it takes UPDATE)."""
        self.call = call
        self.header = session_expires.header(interval, refresher)
        self.refreshes = 0  # ours that the other side accepted
        self._updates = session_expires.allows_update(peer)
        self._timer = SessionTimer(
            interval,
            we_refresh=refresher == we_are,
            refresh=lambda: call._spawn(self._refresh(), "session refresh"),
            expire=self._expired,
        )
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def refreshed(self, response: SipResponse) -> None:
        """The other side refreshed (an UPDATE or a re-INVITE, answered by `response`)."""
        response.set_header("Session-Expires", self.header)
        response.set_header("Require", "timer")
        self._timer.refreshed()

    def _expired(self) -> None:
        log.info(
            "call %s: the session was not refreshed, the other side is gone", self.call.call_id
        )
        self.call.lost()

    async def _refresh(self) -> None:
        call = self.call
        if call.state is not CallState.CONNECTED or call.dialog is None:
            return
        if not self._updates:
            accepted = await call.reinvite(call.held)
        else:
            update = call.dialog.request("UPDATE", call.ua.endpoint.via())
            update.set_header("Session-Expires", self.header)
            update.set_header("Supported", "timer")
            try:
                response = await call.ua.endpoint.request(update, call.dialog.next_hop()).final
            except TransactionTimeout:
                return
            accepted = response.status_code < 300
        if accepted:
            self.refreshes += 1


async def watch_silence(call: Call) -> None:
    """No RTP for `call.rtp_timeout` seconds while neither side holds ends it as lost."""
    loop = asyncio.get_running_loop()
    seen, since = call.rtp.received, loop.time()
    while call.state is not CallState.ENDED:
        await asyncio.sleep(min(1.0, call.rtp_timeout / 4))
        if call.rtp.received != seen or call.held or call.remote_held:
            seen, since = call.rtp.received, loop.time()
        elif loop.time() - since > call.rtp_timeout and call.state is CallState.CONNECTED:
            gone = "call %s: no audio for %.0f s, the other side is gone"
            log.info(gone, call.call_id, call.rtp_timeout)
            call.lost()
            return


__all__ = ["Session", "watch_silence"]
