"""One call, in or out: its state, its dialog, its audio.

A `Call` is made by the `UserAgent` (telephony.sip.ua) and observed through `listeners`
(called with the call on every change) and `on_dtmf`. Its methods never raise for the
peer's behaviour: what went wrong becomes `reason` (an EndReason) and `status`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from aiosipua import SipRequest, SipResponse

from telephony import sdp
from telephony.liveness import Session, watch_silence
from telephony.media import recording
from telephony.media.audio import AudioUnavailable, Headset
from telephony.media.rtp import RtpStream
from telephony.problems import REFUSALS, AudioProblem, CallState, EndReason, TransferState
from telephony.sip import session_expires, wire
from telephony.sip.dialog import Dialog
from telephony.sip.transactions import (
    ClientTransaction,
    ServerTransaction,
    TransactionTimeout,
    until_acked,
)

if TYPE_CHECKING:
    from telephony.sip.ua import UserAgent
    from telephony.transfer import Transfer

log = logging.getLogger(__name__)


class Call:
    def __init__(self, ua: UserAgent, direction: str, remote: str, call_id: str) -> None:
        self.ua = ua
        self.direction = direction  # "in" | "out"
        self.remote = remote  # the other side's From/To, as written
        self.call_id = call_id
        self.state = CallState.CALLING if direction == "out" else CallState.RINGING
        self.reason: EndReason | None = None
        self.status = 0
        self.held = False
        self.remote_held = False
        self.audio_problem: AudioProblem | None = None
        self.audio_moved = False  # the headset went away: the call is on the default devices
        self.devices_watched = asyncio.Event()  # a headset going away would be noticed now
        self.dialog: Dialog | None = None
        self.rtp = RtpStream(on_dtmf=self._dtmf)
        self.headset: Headset | None = None
        self.recording: recording.Recording | None = None  # both directions (ua.recordings: where)
        self.listeners: list[Callable[[Call], None]] = []
        self.dtmf_listeners: list[Callable[[str], None]] = []
        self.digits = ""
        self.connected = asyncio.Event()
        self.ended = asyncio.Event()
        self.changed = asyncio.Event()
        self._invite_tx: ServerTransaction | None = None
        self._invite: SipRequest | None = None
        self._offer: sdp.Media | None = None
        self._acked = asyncio.Event()
        self._cancel_requested = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self.rtp_timeout = ua.rtp_timeout
        self.transfer: Transfer | None = None  # the last blind transfer asked for
        self.session: Session | None = None  # RFC 4028, when negotiated (telephony/session.py)
        self.origin = sdp.Origin()  # our SDP's o= line through the call
        self.answer_due = 0.0  # our offer in a 200 unanswered (its ACK) until then: no other

    # -- observation
    def _changed(self) -> None:
        self.changed.set()
        for listener in list(self.listeners):
            listener(self)

    def _dtmf(self, digit: str) -> None:
        self.digits += digit
        for listener in list(self.dtmf_listeners):
            listener(digit)
        self._changed()

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_state(self, *states: CallState) -> None:
        while self.state not in states:
            self.changed.clear()
            await self.changed.wait()

    # -- media
    def _start_media(self, media: sdp.Media) -> None:
        self.rtp.configure(media.address, media.codec, media.dtmf_payload_type, media.dtmf_clock)
        if self.rtp_timeout > 0:
            self._spawn(watch_silence(self), "rtp watchdog")
        if self.ua.headset_factory is None or self.headset is not None:
            return
        if not self._open_headset():
            return
        if self.recording is None:  # both directions, from the audio callback
            self.recording = recording.begin(self.ua.recordings, self.rtp.codec.rate)
        if self.ua.device_watch is not None:
            follow = self.ua.device_watch.follow(self._audio_gone, self.devices_watched.set)
            self._spawn(follow, "audio devices")

    def _audio_gone(self) -> None:
        """A device the call uses was unplugged: reopen on the default devices, go on."""
        factory = self.ua.headset_factory
        if self.headset is None or factory is None or self.state is CallState.ENDED:
            return
        self.headset.stop()
        self._open_headset()  # the default devices (no device choice yet)
        self.audio_moved = True
        self._changed()

    def _open_headset(self) -> bool:
        factory = self.ua.headset_factory
        assert factory is not None
        self.headset = factory()
        try:
            self.headset.start(self.rtp.send_frame, self.rtp.jitter, self._record)
        except AudioUnavailable as exc:
            log.warning("call %s goes on without audio: %s", self.call_id, exc)
            self.headset = None
            self.audio_problem = AudioProblem.NO_AUDIO
            return False
        return True

    def _record(self, microphone: bytes, speaker: bytes) -> None:
        """On the audio thread: a block of each direction to the recording (never waits);
        the microphone as the other side hears it (nothing while muted or held)."""
        if self.recording is not None:
            sent = microphone if self.rtp.sending and not self.rtp.muted else b""
            self.recording.feed(sent, speaker)

    def lost(self) -> None:
        """The other side is gone (no audio, or no session refresh): a BYE, in case it
        hears (its answer not awaited), and the call ends as LOST."""
        if self.state is not CallState.CONNECTED:
            return
        if self.dialog is not None:
            bye = self.dialog.request("BYE", self.ua.endpoint.via())
            tx = self.ua.endpoint.request(bye, self.dialog.next_hop())
            self._spawn(self._cancel_answered(tx), "BYE to a lost peer")
        self._end(EndReason.LOST)

    def session_refreshed(self, response: SipResponse) -> None:
        """The other side refreshed the session (an UPDATE or a re-INVITE, answered by
        `response`): telephony/session.py."""
        if self.session is not None:
            self.session.refreshed(response)

    @property
    def session_refreshes(self) -> int:
        return 0 if self.session is None else self.session.refreshes

    def _end(self, reason: EndReason, status: int = 0) -> None:
        if self.state is CallState.ENDED:
            return
        if self.headset is not None:
            self.headset.stop()
            self.headset = None
        if self.recording is not None:  # the file is closed off the loop: `recording.done`
            self.recording.finish()
        self.rtp.close()
        if self.session is not None:
            self.session.cancel()
        current = asyncio.current_task()
        for task in self._tasks:  # the watchers wait on: they have nothing left to watch
            if task is not current and task.get_name() in ("rtp watchdog", "audio devices"):
                task.cancel()
        self.state, self.reason, self.status = CallState.ENDED, reason, status or self.status
        self.ua.forget(self)
        self.ended.set()
        self._changed()

    def set_muted(self, muted: bool) -> None:
        self.rtp.muted = muted
        self._changed()

    @property
    def muted(self) -> bool:
        return self.rtp.muted

    def send_dtmf(self, digit: str) -> None:
        if self.state is CallState.CONNECTED:
            self.rtp.send_dtmf(digit)

    # -- outgoing
    async def dial(self, invite: SipRequest, destination: tuple[str, int]) -> None:
        self._invite = invite
        tx = self.ua.endpoint.request(invite, destination)
        answered_challenge = False
        while True:
            response = await self._await_final(tx)
            if response is None:
                return
            if response.status_code in (401, 407) and not answered_challenge and self.ua.account:
                answered_challenge = True
                invite = self.ua.authorised(invite, response)
                self._invite = invite
                tx = self.ua.endpoint.request(invite, destination)
                continue
            break
        if response.status_code >= 300:
            reason = EndReason.of_status(response.status_code)
            if self._cancel_requested.is_set() and response.status_code == 487:
                reason = EndReason.CANCELLED
            self._end(reason, response.status_code)
            return
        dialog = Dialog.as_caller(invite, response)
        self.dialog = dialog
        ack = dialog.request("ACK", self.ua.endpoint.via(), seq=dialog.local_seq)
        ack_bytes, hop = bytes(ack), dialog.next_hop()
        self.ua.endpoint.send(ack_bytes, hop)
        tx.on_2xx_again = lambda _r: self.ua.endpoint.send(ack_bytes, hop)
        try:
            media = sdp.choose(response.text)
        except (sdp.NoCommonCodec, sdp.BadSdp):
            self.state = CallState.CONNECTED
            await self._bye(EndReason.NO_COMMON_CODEC)
            return
        self._start_media(media)
        self.state = CallState.CONNECTED
        self.connected.set()
        asked = session_expires.asked(response)
        if asked is not None:  # the callee set a session interval: refreshed as it says
            self.session = Session(self, asked[0], asked[1] or "uac", "uac", response)
        self._changed()
        if self._cancel_requested.is_set():
            await self.hang_up()

    async def _await_final(self, tx: ClientTransaction) -> SipResponse | None:
        """The final response, turning provisional ones into RINGING and a wish to stop
        into a CANCEL (sent only once something provisional came: RFC 3261 §9.1)."""
        cancel_sent = False
        while not tx.final.done():
            provisional = asyncio.ensure_future(tx.provisional.get())
            waiters: list[asyncio.Future[Any]] = [tx.final, provisional]
            cancel: asyncio.Future[Any] | None = None
            if not self._cancel_requested.is_set():
                cancel = asyncio.ensure_future(self._cancel_requested.wait())
                waiters.append(cancel)
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for waiter in (provisional, cancel):
                if waiter is not None and not waiter.done():
                    waiter.cancel()
            if provisional.done() and not provisional.cancelled():
                response = provisional.result()
                if response.status_code in (180, 183) and self.state is CallState.CALLING:
                    self.state = CallState.RINGING
                    self._changed()
            heard = tx.heard.is_set()
            if self._cancel_requested.is_set() and heard and not cancel_sent:
                cancel_sent = True
                self._send_cancel(tx.request, tx.destination)
        try:
            return tx.final.result()
        except TransactionTimeout:
            self._end(EndReason.UNREACHABLE)
            return None

    def _send_cancel(self, invite: SipRequest, destination: tuple[str, int]) -> None:
        cancel = wire.cancel_for(invite)
        self._spawn(self._cancel_answered(self.ua.endpoint.request(cancel, destination)), "CANCEL")

    async def _cancel_answered(self, tx: ClientTransaction) -> None:
        with contextlib.suppress(TransactionTimeout):
            await tx.final

    # -- incoming
    def ring(self, invite: SipRequest, tx: ServerTransaction, media: sdp.Media, tag: str) -> None:
        self._invite, self._invite_tx, self._offer, self._tag = invite, tx, media, tag
        ringing = wire.response_to(invite, 180, "Ringing", tag)
        ringing.set_header("Contact", self.ua.contact)
        for rr in invite.headers.get("record-route"):
            ringing.add_header("Record-Route", rr)
        tx.respond(ringing)

    async def answer(self) -> None:
        if self.state is not CallState.RINGING or self.direction != "in":
            return
        assert self._invite is not None and self._invite_tx is not None and self._offer is not None
        local = self.ua.advertised(await self.rtp.open(self.ua.host))
        direction = sdp.answer_direction(self._offer.direction)
        ok = wire.response_to(self._invite, 200, "OK", self._tag)
        ok.set_header("Contact", self.ua.contact)
        # RFC 3261 §12.1.1: the 2xx copies Record-Route (aiosipua 0.7.1 drops it)
        for rr in self._invite.headers.get("record-route"):
            ok.add_header("Record-Route", rr)
        ok.set_header("Content-Type", "application/sdp")
        ok.set_header("Supported", "timer")
        ok.text = sdp.answer(*local, self._offer, direction=direction, origin=self.origin)
        granted = session_expires.grant(self._invite, ok)  # a session interval asked: kept
        self.dialog = Dialog.as_callee(self._invite, self._tag, self.ua.contact)
        self._invite_tx.respond(ok)
        self._start_media(self._offer)
        self.take_media(self._offer)
        self.state = CallState.CONNECTED
        self.connected.set()
        if granted is not None:
            self.session = Session(self, *granted, "uas", self._invite)
        self._changed()
        self._spawn(self._retransmit_2xx(bytes(ok), self._invite_tx.reply_to), "sip 2xx")

    async def _retransmit_2xx(self, data: bytes, address: tuple[str, int]) -> None:
        """RFC 3261 §13.3.1.4: our 2xx again until the ACK comes; none in 64·T1: BYE."""

        def again() -> None:
            if self.state is CallState.CONNECTED:
                self.ua.endpoint.send(data, address)

        if not await until_acked(self._acked, again) and self.state is CallState.CONNECTED:
            await self._bye(EndReason.FAILED)

    def decline(self, status: int = 603) -> None:  # telephony.problems.REFUSALS
        if self.state is CallState.RINGING and self._invite_tx is not None and self._invite:
            phrase, reason = REFUSALS[status]
            self._invite_tx.respond(wire.response_to(self._invite, status, phrase, self._tag))
            self._end(reason, status)

    def cancelled_by_caller(self) -> None:
        if self.state is CallState.RINGING and self._invite_tx is not None and self._invite:
            self._invite_tx.respond(
                wire.response_to(self._invite, 487, "Request Terminated", self._tag)
            )
            self._end(EndReason.MISSED, 487)

    # -- in the dialog
    def acked(self) -> None:
        self._acked.set()

    def remote_bye(self) -> None:
        transfer = self.transfer  # the transferee may hang up before we act on its NOTIFY
        handed_over = transfer is not None and transfer.handed_over
        self._end(EndReason.TRANSFERRED if handed_over else EndReason.REMOTE_HUNG_UP)

    async def transfer_to(self, target: str) -> None:
        """Blind transfer to `target` (a sip: URI, or a user/number at the PBX): see
        telephony.transfer. Its progress is `transfer` (state, status), observed as every
        change of the call; the call ends as TRANSFERRED when the target answers."""
        from telephony.transfer import Transfer

        if self.state is not CallState.CONNECTED or self.dialog is None:
            return
        if self.transfer_in_progress is not None:
            return
        self.transfer = Transfer(self, self.ua.target_uri(target))
        await self.transfer.run()

    @property
    def transfer_in_progress(self) -> Transfer | None:
        transfer = self.transfer
        if transfer is not None and transfer.state in (TransferState.ASKING, TransferState.TRYING):
            return transfer
        return None

    def remote_reinvite(self, request: SipRequest, tx: ServerTransaction) -> None:
        """The other side holds, resumes or moves its media."""
        try:
            media = sdp.choose(request.text, keep=self.rtp.codec)
        except (sdp.NoCommonCodec, sdp.BadSdp):
            tx.respond(wire.response_to(request, 488, "Not Acceptable Here"))
            return
        self.take_media(media)
        ok = wire.response_to(request, 200, "OK")
        ok.set_header("Contact", self.ua.contact)
        ok.set_header("Content-Type", "application/sdp")
        local = self.ua.advertised(self.rtp.local)
        held = sdp.answer_direction(media.direction)
        ok.text = sdp.answer(*local, media, direction=held, origin=self.origin)
        self.session_refreshed(ok)
        tx.respond(ok)
        self._changed()

    def take_media(self, media: sdp.Media) -> None:
        """Their side of the call as offered or answered (a re-INVITE, an ACK's answer):
        where to, the codec (the device follows its rate), whether they hold — then none of
        our RTP goes to them (RFC 3264 §6.1; fifty packets a second went on)."""
        self.remote_held = sdp.holds(media)
        self.rtp.sending = not self.held and not self.remote_held
        rate = self.rtp.codec.rate
        self.rtp.configure(media.address, media.codec, media.dtmf_payload_type, media.dtmf_clock)
        if self.headset is not None and media.codec.rate != rate:
            self.headset.stop()
            self._open_headset()

    async def hang_up(self) -> None:
        if self.state is CallState.ENDED:
            return
        if self.state is CallState.CONNECTED:
            await self._bye(EndReason.HUNG_UP)
        elif self.direction == "out":
            self._cancel_requested.set()
            await self.ended.wait()
        else:
            self.decline()

    async def _bye(self, reason: EndReason) -> None:
        assert self.dialog is not None
        bye = self.dialog.request("BYE", self.ua.endpoint.via())
        tx = self.ua.endpoint.request(bye, self.dialog.next_hop())
        try:
            response = await tx.final
            self.status = response.status_code
        except TransactionTimeout:
            log.info("BYE of %s went unanswered", self.call_id)
        finally:  # (cut short too: the UA stopping — its RTP socket was left open)
            self._end(reason)

    async def hold(self, held: bool = True) -> bool:
        """Hold (a=sendonly) or resume (a=sendrecv) by re-INVITE; True when the peer agreed."""
        return await self.reinvite(held)

    async def reinvite(self, held: bool) -> bool:
        """A re-INVITE offering our media held or not (a hold, a resume, a refresh): agreed?"""
        if self.state is not CallState.CONNECTED or self.dialog is None:
            return False
        if time.monotonic() < self.answer_due:  # one offer at a time (RFC 3264 §4)
            return False
        local = self.ua.advertised(self.rtp.local)
        invite = self.dialog.request("INVITE", self.ua.endpoint.via())
        invite.set_header("Content-Type", "application/sdp")
        if self.session is not None:
            invite.set_header("Session-Expires", self.session.header)
            invite.set_header("Supported", "timer")
        direction = "sendonly" if held else "sendrecv"
        invite.text = sdp.offer(*local, direction=direction, origin=self.origin)
        tx = self.ua.endpoint.request(invite, self.dialog.next_hop())
        try:
            response = await tx.final
        except TransactionTimeout:
            return False
        if response.status_code < 300:
            ack = self.dialog.request("ACK", self.ua.endpoint.via(), seq=self.dialog.local_seq)
            self.ua.endpoint.send(bytes(ack), self.dialog.next_hop())
            self.held = held
            self.rtp.sending = not held and not self.remote_held
            self.ua.take_answer(self, response)  # where to, the codec, whether they hold
            self._changed()
            return True
        return False
