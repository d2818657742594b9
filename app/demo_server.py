"""The embedded demo server: `python -m server` as a child process on a free loopback port.

Started with an argument list (never a shell); its `LINEDESK-SERVER READY <url>`
line on stdout is awaited with a timeout; it is stopped by PID on `stop()`
and, as a last resort, at interpreter exit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

log = logging.getLogger("linedesk.demo")

READY = "LINEDESK-SERVER READY "
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DemoServerError(RuntimeError):
    pass


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("linedesk", appauthor=False))


class DemoServer:
    def __init__(self, data_dir: Path | str | None = None, *, seed: str = "demo") -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.seed = seed
        self.url: str | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self.output: list[str] = []  # the child's last lines, for the log and error messages

    @property
    def db_path(self) -> Path:
        return self.data_dir / "demo.sqlite3"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def argv(self, port: int = 0) -> list[str]:
        return [
            sys.executable,
            "-m",
            "server",
            "--db",
            f"sqlite+aiosqlite:///{self.db_path}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--seed",
            self.seed,
        ]

    async def start(self, wait_s: float = 30.0, port: int = 0) -> str:
        """Start the child and return its URL once it listens."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONUNBUFFERED"] = "1"
        argv = self.argv(port)
        log.info("starting the demo server: %s", argv)
        self._proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
            cwd=str(self.data_dir),
        )
        atexit.register(_kill_at_exit, self._proc.pid)
        try:
            self.url = await asyncio.wait_for(self._read_ready(), wait_s)
        except (TimeoutError, DemoServerError) as e:
            tail = "\n".join(self.output[-20:])
            await self.stop()
            raise DemoServerError(f"the demo server did not start: {e}\n{tail}") from None
        self._drain = asyncio.get_running_loop().create_task(self._drain_output())
        log.info("demo server %s at %s", self._proc.pid, self.url)
        return self.url

    async def _read_ready(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        while True:
            raw = await self._proc.stdout.readline()
            if not raw:
                raise DemoServerError(f"exited with code {await self._proc.wait()}")
            line = raw.decode("utf-8", "replace").rstrip()
            self._remember(line)
            if line.startswith(READY):
                return line[len(READY) :].strip()

    def _remember(self, line: str) -> None:
        self.output.append(line)
        del self.output[:-200]
        log.debug("server: %s", line)

    async def _drain_output(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        while raw := await self._proc.stdout.readline():
            self._remember(raw.decode("utf-8", "replace").rstrip())

    async def stop(self, wait_s: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), wait_s)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                await proc.wait()
        if self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain
            self._drain = None
        atexit.unregister(_kill_at_exit)
        log.info("demo server %s stopped (%s)", proc.pid, proc.returncode)
        self.url = None


def _kill_at_exit(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)
