"""The embedded demo server: `python -m server` as a child process on a free loopback port.

Started with an argument list (never a shell) by `spawn()` — `python -m app` does that
right after parsing its arguments, so the server starts while the window is built;
one reader thread takes the child's stdout: its `LINEDESK-SERVER READY <url>` line
is awaited by `start()` with a timeout, the rest is kept for the log. The child is
stopped by PID on `stop()` and, as a last resort, at interpreter exit.

Light to import (no asyncio at module level): `spawn()` runs before the first paint.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

log = logging.getLogger("linedesk.demo")

READY = "LINEDESK-SERVER READY "
SESSION_LINE = "LINEDESK-SERVER TOKEN "  # the demo specialist's session (`--sign-in-demo`)
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class DemoServerError(RuntimeError):
    pass


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("linedesk", appauthor=False))


class DemoServer:
    def __init__(
        self, data_dir: Path | str | None = None, *, seed: str = "demo", traffic: float = 0.0
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.seed = seed
        self.traffic = traffic  # demo client users' messages per second (0: a quiet demo)
        self.url: str | None = None
        self._last_url = ""  # kept across stop(): restart() takes the same port again
        self.token: str | None = None  # the demo specialist's session, from the child
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready: Future[str] = Future()  # the URL, set by the reader thread
        self._reader: threading.Thread | None = None
        self.output: list[str] = []  # the child's last lines, for the log and error messages

    @property
    def db_path(self) -> Path:
        return self.data_dir / "demo.sqlite3"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def ended(self) -> bool:
        """It was started and its process is gone (killed, crashed) without `stop()`."""
        return self._proc is not None and self._proc.poll() is not None

    @property
    def port(self) -> int:
        """The port it listens (or last listened) on; 0 before it ever did."""
        url = self.url or self._last_url
        try:
            return int(url.rsplit(":", 1)[1].split("/", 1)[0]) if url else 0
        except (IndexError, ValueError):
            return 0

    async def restart(self, wait_s: float = 30.0) -> str:
        """Start it again on the same database — on its old port when that is free (the
        program's url stays valid), else on another; returns the url."""
        port = self.port
        await self.stop()
        if port:
            try:
                return await self.start(wait_s, port=port)
            except DemoServerError as e:
                log.warning("the demo server could not take port %s again: %s", port, e)
        return await self.start(wait_s)

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
            "--reseed-stale-demo",  # its own file: a demo of an earlier day starts afresh
            "--stop-with-stdin",  # this process holds the pipe: killed, the server stops too
            "--sign-in-demo",  # a token on the pipe: the first sign-in skips argon2
            *(["--demo-traffic", str(self.traffic)] if self.traffic > 0 else []),
        ]

    def spawn(self, port: int = 0) -> None:
        """Start the child now (no event loop needed); `start()` then waits for it."""
        if self._proc is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONUNBUFFERED"] = "1"
        argv = self.argv(port)
        log.info("starting the demo server: %s", argv)
        self._ready = Future()
        self._proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,  # never written; its end (our exit) stops the server
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(self.data_dir),
        )
        atexit.register(_kill_at_exit, self._proc.pid)
        self._reader = threading.Thread(
            target=self._read, args=(self._proc,), name="linedesk-demo-server", daemon=True
        )
        self._reader.start()

    async def start(self, wait_s: float = 30.0, port: int = 0) -> str:
        """Start the child (unless `spawn()` did) and return its URL once it listens."""
        import asyncio

        self.spawn(port)
        try:
            self.url = await asyncio.wait_for(asyncio.wrap_future(self._ready), wait_s)
        except (TimeoutError, DemoServerError) as e:
            tail = "\n".join(self.output[-20:])
            await self.stop()
            raise DemoServerError(f"the demo server did not start: {e}\n{tail}") from None
        log.info("demo server %s at %s", self.pid, self.url)
        self._last_url = self.url
        return self.url

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        """The reader thread: SESSION_LINE → `token`; READY → the future; every line → `output`;
        EOF → done."""
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line.startswith(SESSION_LINE):  # before READY; never logged
                self.token = line[len(SESSION_LINE) :].strip() or None
                self._remember(SESSION_LINE + "(not shown)")
                continue
            self._remember(line)
            if line.startswith(READY) and not self._ready.done():
                self._ready.set_result(line[len(READY) :].strip())
        if not self._ready.done():
            self._ready.set_exception(DemoServerError(f"exited with code {proc.wait()}"))

    def _remember(self, line: str) -> None:
        self.output.append(line)
        del self.output[:-200]
        log.debug("server: %s", line)

    async def stop(self, wait_s: float = 10.0) -> None:
        import asyncio

        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, wait_s)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                await asyncio.to_thread(proc.wait)
        if self._reader is not None:
            await asyncio.to_thread(self._reader.join, wait_s)  # ends at the child's EOF
            self._reader = None
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()
        atexit.unregister(_kill_at_exit)
        log.info("demo server %s stopped (%s)", proc.pid, proc.returncode)
        self.url = None


def _kill_at_exit(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)
