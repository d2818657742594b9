"""The user agent: one UDP endpoint, an optional PBX registration, the calls.

`UserAgent.start()` binds; with an `Account` it registers (telephony.sip.registration).
`call(target)` dials (through the account's outbound proxy or server when there is one);
`on_incoming` is called with each new ringing `Call` (a retransmitted INVITE is not new).
Requests it cannot serve are answered with the RFC's status (405, 415, 416, 420, 481, 488),
never by an exception.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from aiosipua import SipDigestAuth, SipMessage, SipRequest, SipResponse
from aiosipua.auth import answer_challenge

from telephony import sdp
from telephony.call import Call
from telephony.media import devices
from telephony.media.audio import Headset
from telephony.media.devices import DeviceWatch
from telephony.problems import CallState
from telephony.sip import address, session_expires, wire
from telephony.sip.dialog import uri_address
from telephony.sip.endpoint import Endpoint
from telephony.sip.registration import Account, Registration
from telephony.sip.transactions import ServerTransaction

log = logging.getLogger(__name__)

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, UPDATE"
RING_LIMIT_S = 180.0  # how long an incoming call rings unanswered at most
SUPPORTED = {"timer"}  # option tags (RFC 4028 session timers: telephony/sip/session_expires.py)
_DIALOG_ONLY = {"BYE", "INFO", "UPDATE", "NOTIFY", "PRACK"}  # outside a dialog: 481
_DIALOG_METHODS = {"BYE", "INVITE", "INFO", "OPTIONS", "UPDATE", "NOTIFY"}


class UserAgent:
    def __init__(
        self,
        account: Account | None = None,
        *,
        host: str = "127.0.0.1",
        user: str = "linedesk",
        headset_factory: Callable[[], Headset] | None = None,
        transport: str = "udp",
    ) -> None:
        """`transport`: "udp" or "tcp", when there is no `account` (whose own it is then)."""
        self.account = account
        self.host = host
        self.user = account.user if account else user
        self.headset_factory = headset_factory
        # who says a headset went away mid-call (PipeWire on Linux; None: nobody)
        self.device_watch: DeviceWatch | None = devices.watch() if headset_factory else None
        self.endpoint = Endpoint(self._on_request, account.transport if account else transport)
        self.registration: Registration | None = None
        self.calls: dict[str, Call] = {}
        self.on_incoming: Callable[[Call], None] | None = None
        self.incoming_count = 0
        self.rtp_timeout = 30.0  # seconds without audio before a call is taken as lost
        self.min_session_expires = session_expires.MIN_SE  # a shorter interval asked: 422
        self.ring_limit_s = RING_LIMIT_S  # (a test shortens it)
        # where calls are recorded, both directions (telephony/media/recording.py); None: not
        self.recordings: Path | None = None
        # where the other side sends our audio, when not where we listen (a media relay in
        # front of us, a NAT's public address): the RTP address an offer advertises
        self.media_address: Callable[[tuple[str, int]], tuple[str, int]] | None = None

    @property
    def contact(self) -> str:
        local = self.endpoint.local
        tcp = ";transport=tcp" if self.endpoint.reliable else ""
        return f"<sip:{self.user}@{local[0]}:{local[1]}{tcp}>"

    @property
    def aor(self) -> str:
        if self.account is not None:
            return self.account.aor
        return f"sip:{self.user}@{self.endpoint.local[0]}:{self.endpoint.local[1]}"

    async def start(self, port: int = 0) -> None:
        await self.endpoint.open(self.host, port)
        if self.account is not None:
            self.registration = Registration(self.endpoint, self.account, self.contact)
            self.registration.start()

    async def stop(self) -> None:
        """Calls ended and the binding removed, as far as the PBX answers; the SIP socket is
        closed whatever happens meanwhile — also when the caller gives up waiting (the
        window's quitting gives it a few seconds; a PBX that stopped answering kept the
        port open until the process ended)."""
        try:
            for call in list(self.calls.values()):
                if call.state is CallState.RINGING and call.direction == "in":
                    call.decline()  # it could not be answered any more (and its ringing stops)
                elif call.state is CallState.CONNECTED:
                    try:
                        async with asyncio.timeout(5):
                            await call.hang_up()
                    except TimeoutError:
                        log.info("call %s left without a BYE answer", call.call_id)
            if self.registration is not None:
                await self.registration.stop()
        finally:
            self.endpoint.close()

    def forget(self, call: Call) -> None:
        self.calls.pop(call.call_id, None)

    # -- out
    async def call(self, target: str) -> Call:
        """A new outgoing call to `target` (a sip: URI, or a user/number at the PBX)."""
        target = self.target_uri(target)
        call_id = wire.branch()[7:] + "@linedesk"
        call = Call(self, "out", target, call_id)
        local_rtp = await call.rtp.open(self.host)
        invite = SipRequest(method="INVITE", uri=target)
        invite.add_header("Via", self.endpoint.via())
        invite.set_header("Max-Forwards", "70")
        name = (
            f'"{self.account.display_name}" ' if self.account and self.account.display_name else ""
        )
        invite.set_header("From", f"{name}<{self.aor}>;tag={wire.tag()}")
        invite.set_header("To", f"<{target}>")
        invite.set_header("Call-ID", call_id)
        invite.set_header("CSeq", "1 INVITE")
        invite.set_header("Contact", self.contact)
        invite.set_header("Allow", ALLOW)
        invite.set_header("Supported", "timer")
        invite.set_header("User-Agent", "LineDesk")
        invite.set_header("Content-Type", "application/sdp")
        invite.text = sdp.offer(*self.advertised(local_rtp), origin=call.origin)
        destination = self.account.first_hop() if self.account else uri_address(target)
        self.calls[call_id] = call
        call._spawn(call.dial(invite, destination), f"dial {target}")
        return call

    def advertised(self, local_rtp: tuple[str, int]) -> tuple[str, int]:
        """The RTP address every SDP of a call names (its first offer as its re-INVITEs')."""
        return self.media_address(local_rtp) if self.media_address else local_rtp

    def target_uri(self, target: str) -> str:
        """`target` as a SIP URI: a user or a number is one at the PBX's domain."""
        if target.startswith(("sip:", "sips:")):
            return target
        if self.account is None:
            raise ValueError("a number needs a PBX")
        return f"sip:{target}@{self.account.domain}"

    def authorised(self, request: SipRequest, challenge: SipResponse) -> SipRequest:
        """`request` again with a new branch, CSeq + 1 and the digest answer."""
        assert self.account is not None
        auth = SipDigestAuth(self.account.auth_user or self.account.user, self.account.password)
        header = answer_challenge(
            auth, challenge, challenge.status_code, request.method, request.uri
        )
        again = SipRequest(method=request.method, uri=request.uri, body=request.body)
        for name, values in request.headers.items():
            for value in values:
                again.add_header(name, value)
        again.set_header("Via", self.endpoint.via())
        seq = int((request.get_header("cseq") or "1").split()[0]) + 1
        again.set_header("CSeq", f"{seq} {request.method}")
        if header is not None:
            again.set_header(*header)
        return again

    # -- in
    def _on_request(self, request: SipRequest, tx: ServerTransaction | None) -> None:
        call = self.calls.get(request.call_id or "")
        in_dialog = bool(address.tag_of(address.recipient(request)))
        if request.method == "ACK":
            if call is not None:
                call.acked()
                if request.body and call.state is CallState.CONNECTED:
                    self.take_answer(call, request)
            return
        assert tx is not None
        if request.method == "CANCEL":
            self._cancel(request, tx, call)
            return
        if not request.uri.startswith(("sip:", "sips:")):
            tx.respond(wire.response_to(request, 416, "Unsupported URI Scheme", wire.tag()))
            return
        required = [
            option
            for value in request.headers.get("require")
            for option in address.split_list(value)
            if option.strip() and option.strip().lower() not in SUPPORTED
        ]
        if required:
            bad = wire.response_to(request, 420, "Bad Extension", wire.tag())
            bad.set_header("Unsupported", ", ".join(o.strip() for o in required))
            tx.respond(bad)
            return
        if in_dialog:
            self._in_dialog(request, tx, call)
            return
        if request.method == "INVITE":
            self._invite(request, tx)
        elif request.method == "OPTIONS":
            ok = wire.response_to(request, 200, "OK", wire.tag())
            ok.set_header("Allow", ALLOW)
            ok.set_header("Accept", "application/sdp")
            tx.respond(ok)
        elif request.method in _DIALOG_ONLY:  # (405 named them in its own Allow)
            tx.respond(wire.response_to(request, 481, "Call/Transaction Does Not Exist"))
        else:
            not_allowed = wire.response_to(request, 405, "Method Not Allowed", wire.tag())
            not_allowed.set_header("Allow", ALLOW)
            tx.respond(not_allowed)

    def _cancel(self, request: SipRequest, tx: ServerTransaction, call: Call | None) -> None:
        invite_tx = self.endpoint.server_transaction(request)
        if invite_tx is None or call is None:
            tx.respond(
                wire.response_to(request, 481, "Call/Transaction Does Not Exist", wire.tag())
            )
            return
        tx.respond(wire.response_to(request, 200, "OK", wire.tag()))
        call.cancelled_by_caller()

    def _in_dialog(self, request: SipRequest, tx: ServerTransaction, call: Call | None) -> None:
        if call is None or call.dialog is None or not call.dialog.accepts(request):
            tx.respond(wire.response_to(request, 481, "Call/Transaction Does Not Exist"))
            return
        if not call.dialog.in_order(request):
            tx.respond(wire.response_to(request, 500, "Out Of Order"))
            return
        if request.method == "INVITE" and self.endpoint.pending(call.call_id, "INVITE"):
            tx.respond(wire.response_to(request, 491, "Request Pending"))  # glare (§14.2)
            return
        if request.method == "INVITE" and not request.body:
            self._offerless(request, tx, call)
            return
        if request.method == "BYE":
            tx.respond(wire.response_to(request, 200, "OK"))
            call.remote_bye()
        elif request.method == "INVITE":
            call.remote_reinvite(request, tx)
        elif request.method == "UPDATE":  # a session refresh (a bodyless UPDATE)
            ok = wire.response_to(request, 200, "OK")
            call.session_refreshed(ok)
            tx.respond(ok)
        elif request.method == "NOTIFY":
            from telephony.transfer import answer_notify

            tx.respond(answer_notify(call, request))
        elif request.method in _DIALOG_METHODS:
            tx.respond(wire.response_to(request, 200, "OK"))
        else:
            tx.respond(wire.response_to(request, 405, "Method Not Allowed"))

    def _offerless(self, request: SipRequest, tx: ServerTransaction, call: Call) -> None:
        """A re-INVITE without SDP (a session refresh, a resume, a move some PBXs send; 488
        before, and the call could end): our media as they are — the call's codec — offered
        in the 200 (RFC 3264 §8); their answer comes in the ACK (`take_answer`)."""
        ok = wire.response_to(request, 200, "OK")
        ok.set_header("Contact", self.contact)
        ok.set_header("Content-Type", "application/sdp")
        rtp, held = call.rtp, "sendonly" if call.held else "sendrecv"
        there = rtp.remote or ("0.0.0.0", 0)  # noqa: S104 (not in the SDP: ours is)
        ours = sdp.Media(there, rtp.codec, rtp.dtmf_payload_type, held, rtp.dtmf_clock)
        ok.text = sdp.answer(*self.advertised(rtp.local), ours, direction=held, origin=call.origin)
        call.answer_due = time.monotonic() + 32.0  # the 2xx's retransmissions end (64·T1)
        call.session_refreshed(ok)
        tx.respond(ok)

    def take_answer(self, call: Call, message: SipMessage) -> None:
        """Their answer to our offer (in an ACK, or a 2xx to our re-INVITE): where their
        media is now, the codec, whether they hold (a PBX resuming a hold this way was left
        held: no audio went to it again). None in it: the media stay as they were."""
        call.answer_due = 0.0
        if not message.body:
            return
        try:
            call.take_media(sdp.choose(message.text, keep=call.rtp.codec))
        except (sdp.NoCommonCodec, sdp.BadSdp) as exc:
            log.info("call %s: the answer is not taken: %s", call.call_id, exc)

    def _invite(self, request: SipRequest, tx: ServerTransaction) -> None:
        tx.respond(wire.response_to(request, 100, "Trying"))
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if request.body and content_type != "application/sdp":
            unsupported = wire.response_to(request, 415, "Unsupported Media Type", wire.tag())
            unsupported.set_header("Accept", "application/sdp")
            tx.respond(unsupported)
            return
        try:
            media = sdp.choose(request.text)
        except (sdp.NoCommonCodec, sdp.BadSdp):
            tx.respond(wire.response_to(request, 488, "Not Acceptable Here", wire.tag()))
            return
        asked = session_expires.asked(request)
        if asked is not None and asked[0] < self.min_session_expires:
            small = wire.response_to(request, 422, "Session Interval Too Small", wire.tag())
            small.set_header("Min-SE", str(self.min_session_expires))
            tx.respond(small)
            return
        call_id = request.call_id or ""
        if call_id in self.calls or self.on_incoming is None:
            tx.respond(wire.response_to(request, 486, "Busy Here", wire.tag()))
            return
        remote = address.without_tag(request.get_header("from") or "")
        call = Call(self, "in", remote, call_id)
        self.calls[call_id] = call
        self.incoming_count += 1
        call.ring(request, tx, media, wire.tag())
        # unanswered that long: missed, and the caller told 480 (two callers who never hung
        # up held both lines for good, every real caller busy)
        asyncio.get_running_loop().call_later(self.ring_limit_s, call.decline, 480)
        self.on_incoming(call)
