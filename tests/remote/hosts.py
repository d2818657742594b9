"""Real programs for the remote tests: Xvfb displays, x11vnc as the user's computer.

Everything started here is stopped by its PID. Ports come from bind(0).
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from remote import vncauth
from remote.launcher import free_port

START_TIMEOUT = 30.0


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Display:
    """`Xvfb -displayfd`: the display number is read from the pipe, no guessing."""

    def __init__(self, size: str = "800x600x24") -> None:
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            number = _read_line(pipe.fileno(), START_TIMEOUT)
        self.name = f":{number}"

    def stop(self) -> None:
        _stop(self.process)

    def screenshot(self, path: Path, window: str = "root") -> Path:
        subprocess.run(
            ["import", "-display", self.name, "-window", window, str(path)],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return path

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env={**os.environ, "DISPLAY": self.name},
            capture_output=True,
            timeout=30,
            check=False,
        )
        return done.stdout.decode().strip()

    def paint(self, color: str, size: str) -> subprocess.Popen[bytes]:
        """A window of one colour over the whole screen (ImageMagick's `display`; no window
        manager, so it sits at 0,0): what the specialist must see through the viewer.
        Returns once the window is on the screen; the caller stops the process."""
        process = subprocess.Popen(
            ["display", "-display", self.name, "-size", size, "-geometry", "+0+0", f"xc:{color}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.xdotool("search", "--sync", "--onlyvisible", "--name", f"^ImageMagick: {color}$")
        return process

    def pixel(self, tmp: Path, x: int, y: int) -> str:
        """The colour at x,y of the whole screen now, as ImageMagick names it."""
        shot = self.screenshot(tmp / f"shot-{time.monotonic_ns()}.png")
        done = subprocess.run(
            ["convert", str(shot), "-format", f"%[pixel:p{{{x},{y}}}]", "info:"],
            capture_output=True,
            check=True,
            timeout=30,
        )
        return done.stdout.decode().strip()


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Poll a condition that has no event of its own (a screen's pixels) until it holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.1)


def _read_line(fd: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise TimeoutError("Xvfb did not tell its display")
            chunk = os.read(fd, 64)
            if not chunk:
                raise RuntimeError("Xvfb ended before telling its display")
            data += chunk
    return data.decode().strip()


class VncHost:
    """x11vnc on a display, as the user's computer: a password, and optionally
    `-accept popup` (the user is asked) or `-connect` (it dials a listening viewer)."""

    def __init__(
        self,
        display: Display,
        password: str | None,
        *,
        ask: bool = False,
        connect_to: int | None = None,
        repeater: tuple[int, str] | None = None,
    ) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="linedesk-x11vnc-"))
        self.port = free_port("127.0.0.1")
        argv = ["x11vnc", "-display", display.name, "-shared"]
        if password is not None:
            argv += ["-rfbauth", str(vncauth.write_password_file(self.dir, password))]
        argv += ["-forever", "-nopw", "-norc", "-noxdamage", "-localhost"]
        if connect_to is not None:
            argv += ["-rfbport", "0", "-connect", f"127.0.0.1:{connect_to}"]
        elif repeater is not None:  # (port, id): it dials an UltraVNC repeater
            port, id_ = repeater
            argv += ["-rfbport", "0", "-connect", f"repeater=ID:{id_}+127.0.0.1:{port}"]
        else:
            argv += ["-rfbport", str(self.port)]
        if ask:
            argv += ["-accept", "popup"]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if connect_to is None and repeater is None:
            assert self.process.stdout is not None
            line = _read_line(self.process.stdout.fileno(), START_TIMEOUT)
            assert line == f"PORT={self.port}", line

    def stop(self) -> None:
        _stop(self.process)
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)
