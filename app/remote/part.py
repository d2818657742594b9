"""RemoteDesk: the part of the core that owns the specialist's remote sessions.

- the intent `CONNECT` asks the server for a session (by request or by password), after a
  pre-flight check (viewer installed? host reachable?) whose failures come back as
  `RemoteChanged` with a phase and no session started;
- `remote.updated` events keep `sessions`; when one of ours becomes accepted with a way to
  reach the host, the launcher (remote/) starts the viewer; the viewer's phases are reported
  to the server (connected, ended, failed with the reason, timed_out);
- a request the user has not answered in `request_timeout` seconds is reported timed out;
- `STOP` ends a live session's viewer (only ours, by PID), `COMMENT` saves the comment;
- a session the server ends while our viewer runs (the user was disconnected from the
  line) closes that viewer;
- `close()` stops every viewer (the window asks before quitting while any is live).

The password of a by-password session lives only in memory until its viewer starts (then in
the launcher's 0600 file, removed once connected).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import socket
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msgspec

from app.context import Context
from app.core.changes import RemoteChanged
from app.core.tasks import Tasks
from app.net.errors import ApiError
from app.net.events import Event
from app.store.settings import Settings
from contract import remote as wire
from contract.types import EventKind
from remote import preflight
from remote.backends import BACKENDS, Backend, CommandTemplate
from remote.launcher import Change as ViewerChange
from remote.launcher import Launcher
from remote.outcome import Phase
from remote.params import InvalidParameter, Mode, Request, Target

log = logging.getLogger("linedesk.remote")

REPORT_RETRY_S = (1.0, 2.0, 4.0, 8.0, 15.0) + (30.0,) * 9
"""Waits between a viewer's report and its next try when the network or the server failed
it (≈ 5 min in all): the one "connected" report lost left the session "accepted", until the
server timed it out under a connected viewer (docs/remote.md)."""
CONNECT = "remote.connect"
STOP = "remote.stop"
COMMENT = "remote.comment"

S = wire.RemoteState
_REPORTED = {
    Phase.CONNECTED: S.CONNECTED,
    Phase.ENDED: S.ENDED,
    Phase.HANDED_OVER: S.CONNECTED,
    Phase.TIMED_OUT: S.TIMED_OUT,
}


@dataclass(slots=True)
class _Pending:
    password: str | None
    view_only: bool
    reverse: bool


class RemoteDesk:
    def __init__(self, session: Context, settings: Settings) -> None:
        self._session = session
        self._settings = settings
        self.sessions: dict[int, wire.RemoteSession] = {}
        self.phases: dict[int, Phase] = {}
        self._pending: dict[int, _Pending] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._launched: set[int] = set()  # a viewer was started for these (once each)
        self._reporting: dict[int, asyncio.Lock] = {}  # a session's reports go in order
        self.request_timeout: float = wire.REQUEST_TIMEOUT
        self.launcher = Launcher(on_change=self._on_viewer)
        self._tasks = Tasks(log=log)
        self.backend_factory: Callable[[], Backend] = self._backend
        self.on_engaged: Callable[[bool], None] = lambda _on: None  # a viewer runs, or none
        session.routes.register(EventKind.REMOTE_UPDATED, self.on_event)
        session.intents.register(CONNECT, self.connect)
        session.intents.register(STOP, self.stop)
        session.intents.register(COMMENT, self.comment)

    # -- what the window reads ------------------------------------------------------------

    def live(self) -> list[wire.RemoteSession]:
        """Our sessions not yet over, oldest first."""
        me = self._session.me
        return [
            s
            for s in sorted(self.sessions.values(), key=lambda s: s.id)
            if s.state not in wire.FINAL_STATES and (me is None or s.specialist_id == me.id)
        ]

    def _backend(self) -> Backend:
        return backend_of(self._settings)

    # -- intents --------------------------------------------------------------------------

    async def connect(
        self,
        line_id: int,
        user_id: int,
        mode: wire.RemoteMode,
        password: str | None = None,
        host: str | None = None,
        port: int | None = None,
        reverse: bool = False,
        view_only: bool | None = None,
    ) -> wire.RemoteSession | None:
        """Ask for a session; None when the pre-flight check found a problem (said by a
        `RemoteChanged` with its phase)."""
        reach: wire.Reach | None = None
        if reverse:
            reach = wire.ReverseReach()
        elif host is not None and port is not None:
            reach = wire.DirectReach(host, port)
        problems = await self.check(reach)
        if problems:
            self._session.emit(RemoteChanged(None, problems[0].value, user_id))
            return None
        api = self._session.api
        assert api is not None
        body: dict[str, object] = {"line_id": line_id, "user_id": user_id, "mode": mode.value}
        if reach is not None:
            body["reach"] = msgspec.to_builtins(reach)
        raw = await api.call("POST", "/remote-sessions", json=body)
        made = msgspec.convert(raw, wire.RemoteSession)
        if view_only is None:
            view_only = self._settings.remote_view_only
        self._pending[made.id] = _Pending(password, view_only, reverse)
        if made.state is S.REQUESTED:
            loop = asyncio.get_running_loop()
            self._timers[made.id] = loop.call_later(
                self.request_timeout, self._request_timed_out, made.id
            )
        self._update(made)
        return made

    async def check(self, reach: wire.Reach | None) -> list[Phase]:
        """The pre-flight: the viewer installed; the host reachable when it is known."""
        backend = self.backend_factory()
        if reach is None or reach.via is not wire.Via.DIRECT:
            return [] if backend.executable() is not None else [Phase.VIEWER_MISSING]
        try:
            target = Target.of(Mode.DIRECT, reach.host, reach.port)
        except InvalidParameter:
            return [Phase.UNREACHABLE]
        return await preflight.check(backend, target)

    async def stop(self, session_id: int) -> None:
        if self.launcher.get(str(session_id)) is not None:
            await self.launcher.stop(str(session_id))  # its ENDED is reported
        else:
            await self._report(session_id, S.ENDED, None)

    async def comment(self, session_id: int, text: str) -> None:
        api = self._session.api
        assert api is not None
        path = f"/remote-sessions/{session_id}/comment"
        raw = await api.call("PUT", path, json={"comment": text})
        self._update(msgspec.convert(raw, wire.RemoteSession))

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        await self.launcher.stop_all()
        with contextlib.suppress(TimeoutError):  # the last reports, briefly
            async with asyncio.timeout(5.0):
                await self._tasks.join()
        await self._tasks.cancel_all()

    # -- the server's events and the viewer's phases ---------------------------------------

    def on_event(self, ev: Event) -> None:
        if isinstance(ev.payload, wire.RemoteSession):
            self._update(ev.payload)

    def _update(self, s: wire.RemoteSession) -> None:
        old = self.sessions.get(s.id)
        self.sessions[s.id] = s
        if s.state is not S.REQUESTED and (timer := self._timers.pop(s.id, None)):
            timer.cancel()
        pending = self._pending.get(s.id)
        if (
            pending is not None
            and s.state is S.ACCEPTED
            and s.reach is not None
            and s.id not in self._launched
        ):
            self._launched.add(s.id)
            self._launch(s, pending)
        if s.state in wire.FINAL_STATES:
            self._pending.pop(s.id, None)
            viewer = self.launcher.get(str(s.id))
            if viewer is not None and viewer.live and not viewer.phase.final:
                log.info("session %s ended on the server (%s): viewer closed", s.id, s.reason)
                self._spawn(self.launcher.stop(str(s.id)))  # (the user was disconnected)
        if old != s:
            self._session.emit(RemoteChanged(s, _value(self.phases.get(s.id)), s.user_id))
        self._engagement()

    def _engagement(self) -> None:
        """Working in a viewer: a viewer of ours still going, or a session of ours connected
        (a viewer handed over to its own window — Remmina — is followed by the server's
        session, until it ends)."""
        viewing = any(not v.phase.final for v in self.launcher.viewers())
        self.on_engaged(viewing or any(s.state is S.CONNECTED for s in self.live()))

    def _launch(self, s: wire.RemoteSession, pending: _Pending) -> None:
        assert s.reach is not None
        reach = s.reach
        try:
            target = Target.of(Mode(reach.via.value), reach.host, reach.port, reach.repeater_id)
            request = Request(
                str(s.id), target, password=pending.password, view_only=pending.view_only
            )
        except InvalidParameter as exc:  # what the server handed over is not passed on
            log.warning("session %s: %s refused", s.id, exc)
            self._spawn(self._report(s.id, S.FAILED, f"invalid {exc.field}"))
            return
        pending.password = None  # from here on only the launcher's 0600 file has it
        self._spawn(self.launcher.start(self.backend_factory(), request))

    def _on_viewer(self, change: ViewerChange) -> None:
        session_id = int(change.session_id)
        self.phases[session_id] = change.phase
        if change.phase is Phase.LISTENING:  # reverse: tell the user side where to dial
            self._spawn(self._listening(session_id))
        s = self.sessions.get(session_id)
        self._session.emit(RemoteChanged(s, change.phase.value, s.user_id if s else None))
        state = _REPORTED.get(change.phase)
        if state is None and change.phase.final:
            state = S.FAILED
        if state is not None:
            reason = change.phase.value if state is S.FAILED else None
            self._spawn(self._report(session_id, state, reason))
        self._engagement()

    def _request_timed_out(self, session_id: int) -> None:
        self._timers.pop(session_id, None)
        s = self.sessions.get(session_id)
        if s is not None and s.state is S.REQUESTED:
            self.phases[session_id] = Phase.TIMED_OUT
            self._spawn(self._report(session_id, S.TIMED_OUT, "no answer"))

    async def _listening(self, session_id: int) -> None:
        viewer = self.launcher.get(str(session_id))
        if viewer is None or viewer.listen_port is None or self._session.server_url is None:
            return
        host = await asyncio.to_thread(local_address, self._session.server_url)
        listening = wire.ListeningReach(host, viewer.listen_port)
        await self._report(session_id, S.ACCEPTED, None, listening)

    async def _report(
        self,
        session_id: int,
        state: wire.RemoteState,
        reason: str | None,
        listening: wire.ListeningReach | None = None,
    ) -> None:
        """Tell the server what the viewer did; one session's reports in the order made
        (connected before ended, even when the specialist stops at once)."""
        async with self._reporting.setdefault(session_id, asyncio.Lock()):
            await self._send_report(session_id, state, reason, listening)

    async def _send_report(
        self,
        session_id: int,
        state: wire.RemoteState,
        reason: str | None,
        listening: wire.ListeningReach | None,
    ) -> None:
        api = self._session.api
        if api is None:
            return
        s = self.sessions.get(session_id)
        if s is not None and s.state in wire.FINAL_STATES:
            return
        body: dict[str, object] = {"state": state.value}
        if reason:
            body["reason"] = reason
        if listening is not None:
            body["listening"] = msgspec.to_builtins(listening)
        path = f"/remote-sessions/{session_id}/report"
        waits = iter(REPORT_RETRY_S)
        while True:
            try:
                raw = await api.call("POST", path, json=body)
                break
            except Exception as exc:  # a report that does not get through is logged, not raised
                wait = next(waits, None) if isinstance(exc, ApiError) and exc.transient else None
                log.warning("session %s: report %s failed: %s", session_id, state.value, exc)
                if wait is None:
                    return
            await asyncio.sleep(wait)  # the network or the server back meanwhile: again
            api, s = self._session.api, self.sessions.get(session_id)
            if api is None or (s is not None and s.state in wire.FINAL_STATES):
                return
        self._update(msgspec.convert(raw, wire.RemoteSession))

    def _spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        self._tasks.spawn(coro, name="remote")


def backend_of(settings: Settings) -> Backend:
    """The viewer backend the settings choose. A command template is split into its
    arguments as a POSIX shell would (shlex), but never run by a shell."""
    if settings.remote_backend == CommandTemplate.name and settings.remote_command_template:
        try:
            return CommandTemplate(shlex.split(settings.remote_command_template))
        except (ValueError, InvalidParameter):
            log.warning("the remote command template cannot be read; TigerVNC instead")
    kind = BACKENDS.get(settings.remote_backend, BACKENDS["tigervnc"])
    return kind(settings.remote_viewer_path or None)


def local_address(server_url: str) -> str:
    """The address of this machine on the way to the server (what the user's host, which
    reaches the server, most likely reaches too). No packet is sent: a UDP socket's connect
    only picks the route."""
    parts = urlsplit(server_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 443
    try:
        family, _type, _proto, _name, address = socket.getaddrinfo(host, port)[0]
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(address)
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def _value(phase: Phase | None) -> str | None:
    return phase.value if phase is not None else None
