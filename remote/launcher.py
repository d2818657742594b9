"""The launcher: starts viewers as its own children and follows each to its end.

Guarantees:
- never a shell: each backend's argument list goes to `create_subprocess_exec`;
- one private 0700 secrets directory per session (a 0600 password file or profile in it),
  removed once the viewer is connected and, whatever happens, when it ends;
- a reverse session listens on a port of its own, picked free by bind(0), closed with it;
- a repeater session with a viewer that cannot say the repeater's id (TigerVNC) goes through
  a `remote.repeater.Relay` opened before the viewer starts and closed with the session;
- the outcome comes from the viewer's log (`remote.outcome`), not its exit code;
- a request nobody answers within `answer_timeout` ends as TIMED_OUT (viewer stopped);
- `stop(session_id)` and `stop_all()` end only this launcher's own children, by PID
  (SIGTERM, then SIGKILL after `stop_grace` seconds) — never a viewer that took the session
  into its own window (Remmina: handed over, `_handed_over`);
- every phase change is reported once through `on_change`, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from remote.backends import Backend, Launch
from remote.outcome import LogReader, Phase
from remote.params import InvalidParameter, Mode, Request, Target
from remote.repeater import Relay, RepeaterError

_log = logging.getLogger("linedesk.remote")
_SETTLED = frozenset({Phase.CONNECTED, Phase.HANDED_OVER})


@dataclass(frozen=True, slots=True)
class Change:
    session_id: str
    phase: Phase
    detail: str = ""


class Viewer:
    """One session's viewer, as the launcher follows it."""

    def __init__(self, request: Request, backend: Backend, secrets: Path) -> None:
        self.request = request
        self.backend = backend
        self.secrets: Path | None = secrets
        self.session_id = request.session_id
        self.phase = Phase.STARTING
        self.detail = ""
        self.listen_port: int | None = None
        self.relay: Relay | None = None
        self.launch: Launch | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.log: list[str] = []
        self._changed = asyncio.Condition()
        self._ended = asyncio.Event()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def live(self) -> bool:
        return not self._ended.is_set()

    async def settled(self) -> Phase:
        """Wait until the viewer is connected (or handed over) or has ended; the phase."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.phase in _SETTLED or self.phase.final)
        return self.phase

    async def wait_phase(self, phase: Phase) -> Phase:
        """Wait until the viewer reaches `phase` or a final one; the phase it is in then."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.phase is phase or self.phase.final)
        return self.phase

    async def ended(self) -> Phase:
        await self._ended.wait()
        return self.phase


class Launcher:
    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        on_change: Callable[[Change], None] | None = None,
        answer_timeout: float = 120.0,
        stop_grace: float = 5.0,
        secrets_root: Path | None = None,
        hand_over_after: float = 5.0,
    ) -> None:
        self._env = dict(os.environ if env is None else env)
        self._on_change = on_change
        self.answer_timeout = answer_timeout
        self.stop_grace = stop_grace
        self.hand_over_after = hand_over_after
        self._secrets_root = secrets_root
        self._viewers: dict[str, Viewer] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def viewers(self) -> list[Viewer]:
        """The live viewers following a session, oldest first (not the handed-over ones)."""
        return [v for v in self._viewers.values() if v.live and v.phase is not Phase.HANDED_OVER]

    def get(self, session_id: str) -> Viewer | None:
        return self._viewers.get(session_id)

    async def start(self, backend: Backend, request: Request) -> Viewer:
        """Start a viewer for `request`; returns at once (follow it with `settled()`)."""
        old = self._viewers.get(request.session_id)
        if old is not None and old.live:
            raise InvalidParameter("session id", f"{request.session_id} (already live)")
        secrets = Path(tempfile.mkdtemp(prefix="linedesk-remote-", dir=self._secrets_root))
        viewer = Viewer(request, backend, secrets)
        self._viewers[request.session_id] = viewer
        self._report(viewer, Phase.STARTING)
        task = asyncio.get_running_loop().create_task(
            self._run(viewer), name=f"remote viewer {request.session_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return viewer

    async def stop(self, session_id: str) -> None:
        viewer = self._viewers.get(session_id)
        if viewer is None or not viewer.live or viewer.phase is Phase.HANDED_OVER:
            return  # (a handed-over session is the viewer's own, in its window)
        if not viewer.phase.final:
            self._report(viewer, Phase.ENDED, "stopped")
        await self._terminate(viewer)
        await viewer.ended()

    async def stop_all(self) -> None:
        await asyncio.gather(*(self.stop(v.session_id) for v in self.viewers()))

    # --- one viewer -----------------------------------------------------------------------

    async def _run(self, viewer: Viewer) -> None:
        try:
            await self._follow(viewer)
        except Exception as exc:  # a viewer's failure is its outcome, not the launcher's
            _log.exception("viewer %s failed", viewer.session_id)
            if not viewer.phase.final:
                self._report(viewer, Phase.FAILED, type(exc).__name__)
            if viewer.process is not None and viewer.process.returncode is None:
                await self._terminate(viewer)
        finally:
            self._remove_secrets(viewer)
            if viewer.relay is not None:
                await viewer.relay.close()
            viewer._ended.set()

    async def _follow(self, viewer: Viewer) -> None:
        backend, request = viewer.backend, viewer.request
        if backend.executable() is None:
            self._report(viewer, Phase.VIEWER_MISSING, backend.program)
            return
        if request.target.mode is Mode.REVERSE:
            viewer.listen_port = free_port()
        elif request.target.mode is Mode.REPEATER and Mode.REPEATER not in backend.modes:
            if not backend.relays_repeater:
                raise InvalidParameter("mode", f"repeater ({backend.name})")
            target = request.target
            assert target.host is not None and target.port is not None and target.repeater_id
            try:
                viewer.relay = await Relay.open(target.host, target.port, target.repeater_id)
            except RepeaterError as exc:
                phase = Phase.REFUSED if exc.refused else Phase.UNREACHABLE
                self._report(viewer, phase, str(exc))
                return
            # the viewer goes to the relay as to a direct host; the repeater is the relay's
            request = dataclasses.replace(
                request, target=Target(Mode.DIRECT, "127.0.0.1", viewer.relay.port)
            )
        assert viewer.secrets is not None
        launch = await asyncio.to_thread(
            backend.build, request, viewer.secrets, viewer.listen_port, self._env
        )
        viewer.launch = launch
        env = {**self._env, **launch.env}
        env = {k: v for k, v in env.items() if v != ""}
        viewer.process = process = await asyncio.create_subprocess_exec(
            *launch.argv,
            stdin=asyncio.subprocess.PIPE
            if launch.stdin is not None
            else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
        )
        _log.info("viewer %s started: pid %s", viewer.session_id, process.pid)
        if launch.stdin is not None:
            assert process.stdin is not None
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(launch.stdin)
                await process.stdin.drain()
            process.stdin.close()
        reader = backend.log_reader()
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.answer_timeout, self._timed_out, viewer)
        settle = None
        if not launch.tracks_session:  # (Remmina: see `_handed_over`)
            settle = loop.call_later(self.hand_over_after, self._handed_over, viewer)
        try:
            await self._read_log(viewer, reader)
            returncode = await process.wait()
        finally:
            timer.cancel()
            if settle is not None:
                settle.cancel()
        connected = viewer.phase is Phase.CONNECTED
        if not viewer.phase.final:
            self._report(viewer, reader.at_exit(returncode, connected), f"exit {returncode}")

    async def _read_log(self, viewer: Viewer, reader: LogReader) -> None:
        assert viewer.process is not None and viewer.process.stdout is not None
        async for raw in viewer.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            viewer.log.append(line)
            phase = reader.feed(line)
            if phase is None or phase is viewer.phase or viewer.phase.final:
                continue
            self._report(viewer, phase, line.strip())
            if (
                phase is Phase.CONNECTED
                and viewer.launch
                and viewer.launch.remove_secrets_when_connected
            ):
                self._remove_secrets(viewer)
            if phase.final:
                await self._terminate(viewer)

    def _handed_over(self, viewer: Viewer) -> None:
        """A single-instance viewer still running `hand_over_after` seconds after its start
        is the program's first instance: it shows the session in its own window and lives
        as long as that window, not as long as the session. It is handed over (no time-out
        ends it, `stop` leaves it to the specialist); a second start that passed the session
        to a running instance and exited 0 is handed over by its exit (the log reader)."""
        if viewer.phase is Phase.STARTING:
            self._report(viewer, Phase.HANDED_OVER, "shown in the viewer's own window")
            self._remove_secrets(viewer)  # it has read its profile (the password in it)

    def _timed_out(self, viewer: Viewer) -> None:
        if viewer.phase in _SETTLED or viewer.phase.final:
            return
        self._report(viewer, Phase.TIMED_OUT, f"no answer in {self.answer_timeout:g} s")
        task = asyncio.get_running_loop().create_task(self._terminate(viewer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _terminate(self, viewer: Viewer) -> None:
        """SIGTERM to our own child by PID, SIGKILL after the grace period."""
        process = viewer.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), self.stop_grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    def _remove_secrets(self, viewer: Viewer) -> None:
        if viewer.secrets is not None:
            shutil.rmtree(viewer.secrets, ignore_errors=True)
            viewer.secrets = None

    def _report(self, viewer: Viewer, phase: Phase, detail: str = "") -> None:
        viewer.phase, viewer.detail = phase, detail
        _log.info("viewer %s: %s %s", viewer.session_id, phase.value, detail)

        async def notify() -> None:
            async with viewer._changed:
                viewer._changed.notify_all()

        task = asyncio.get_running_loop().create_task(notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if self._on_change is not None:
            self._on_change(Change(viewer.session_id, phase, detail))


def free_port(host: str = "") -> int:
    """A port free on every interface right now (a listening viewer binds them all)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
