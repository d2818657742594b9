"""REGISTER with digest auth, kept fresh (the app/net/events.py EventStream shape).

Guarantees: one owned task (`start`/`stop`); a wrong password ends in FAILED with
WRONG_PASSWORD after one answered challenge (never a loop of 401s); the binding is refreshed
at half its granted lifetime (at most `expires - 5` s); a PBX that does not answer is
NO_ANSWER, retried with backoff; `retry_now` re-registers at once (a network change);
`stop` unregisters (Expires: 0).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from aiosipua import SipDigestAuth, SipRequest, SipResponse
from aiosipua.auth import answer_challenge

from telephony.problems import RegistrationProblem, RegistrationState
from telephony.sip import address, wire
from telephony.sip.endpoint import Endpoint
from telephony.sip.transactions import TransactionTimeout

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Account:
    """A SIP account on a PBX (the window's Settings → PBX connection)."""

    server: str
    user: str
    password: str = ""
    port: int = 5060
    auth_user: str = ""
    display_name: str = ""
    outbound_proxy: str = ""  # host[:port]
    expires: int = 300
    transport: str = "udp"  # or "tcp" (telephony/sip/stream.py)

    @property
    def domain(self) -> str:
        return self.server if self.port == 5060 else f"{self.server}:{self.port}"

    @property
    def aor(self) -> str:
        return f"sip:{self.user}@{self.domain}"

    def first_hop(self) -> tuple[str, int]:
        if self.outbound_proxy:
            host, _, port = self.outbound_proxy.partition(":")
            return (host, int(port or 5060))
        return (self.server, self.port)


class Registration:
    def __init__(self, endpoint: Endpoint, account: Account, contact: str) -> None:
        self.endpoint = endpoint
        self.account = account
        self.contact = contact
        self.state = RegistrationState.REGISTERING
        self.problem: RegistrationProblem | None = None
        self.status = 0
        self.expires = 0
        self.listeners: list[Callable[[Registration], None]] = []
        self.changed = asyncio.Event()
        self._call_id = wire.branch()[7:] + "@linedesk"
        self._tag = wire.tag()
        self._seq = 0
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="sip registration")

    def retry_now(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.state is RegistrationState.REGISTERED:
            with contextlib.suppress(TransactionTimeout, OSError):
                async with asyncio.timeout(5):
                    await self._register(0)

    async def wait_for(self, *states: RegistrationState) -> None:
        while self.state not in states:
            self.changed.clear()
            await self.changed.wait()

    def _set(self, state: RegistrationState, problem: RegistrationProblem | None = None) -> None:
        self.state, self.problem = state, problem
        self.changed.set()
        for listener in list(self.listeners):
            listener(self)

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                response = await self._register(self.account.expires)
            except TransactionTimeout:
                self._set(RegistrationState.FAILED, RegistrationProblem.NO_ANSWER)
                response = None
            except OSError:
                self._set(RegistrationState.FAILED, RegistrationProblem.UNREACHABLE)
                response = None
            if response is not None and 200 <= response.status_code < 300:
                failures = 0
                self.expires = self._granted(response)
                self._set(RegistrationState.REGISTERED)
                delay = max(1.0, min(self.expires / 2, self.expires - 5))
            else:
                if response is not None:
                    self.status = response.status_code
                    problem = (
                        RegistrationProblem.WRONG_PASSWORD
                        if response.status_code in (401, 403, 407)
                        else RegistrationProblem.REJECTED
                    )
                    self._set(RegistrationState.FAILED, problem)
                failures += 1
                delay = min(300.0, 5.0 * 2 ** min(failures, 6)) * random.uniform(0.8, 1.2)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _granted(self, response: SipResponse) -> int:
        for contact in address.contacts(response):
            value = contact.params.get("expires")
            if value and value.isdigit() and self.contact.strip("<>") in str(contact.uri.host):
                return int(value)
        header = response.get_header("expires")
        if header and header.strip().isdigit():
            return int(header)
        for contact in address.contacts(response):
            value = contact.params.get("expires")
            if value and value.isdigit():
                return int(value)
        return self.account.expires

    def _request(self, expires: int) -> SipRequest:
        self._seq += 1
        account = self.account
        request = SipRequest(method="REGISTER", uri=f"sip:{account.domain}")
        request.add_header("Via", self.endpoint.via())
        request.set_header("Max-Forwards", "70")
        name = f'"{account.display_name}" ' if account.display_name else ""
        request.set_header("From", f"{name}<{account.aor}>;tag={self._tag}")
        request.set_header("To", f"{name}<{account.aor}>")
        request.set_header("Call-ID", self._call_id)
        request.set_header("CSeq", f"{self._seq} REGISTER")
        request.set_header("Contact", self.contact)
        request.set_header("Expires", str(expires))
        request.set_header("User-Agent", "LineDesk")
        return request

    async def _register(self, expires: int) -> SipResponse:
        destination = self.account.first_hop()
        request = self._request(expires)
        response = await self.endpoint.request(request, destination).final
        if response.status_code in (401, 407):
            auth = SipDigestAuth(self.account.auth_user or self.account.user, self.account.password)
            header = answer_challenge(auth, response, response.status_code, "REGISTER", request.uri)
            if header is None:
                return response
            request = self._request(expires)
            request.set_header(*header)
            response = await self.endpoint.request(request, destination).final
        return response
