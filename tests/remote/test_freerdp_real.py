"""The FreeRDP backend with the real xfreerdp against freerdp-shadow-cli (NLA, a SAM file)
sharing a virtual screen: the password goes on stdin; the outcome from its log."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from remote.backends import FreeRdp
from remote.launcher import Launcher, free_port
from remote.outcome import Phase
from remote.params import Mode, Request, Target
from tests.remote.hosts import Display, _stop, wait_until

pytestmark = [
    pytest.mark.remote,
    pytest.mark.skipif(
        not (shutil.which("freerdp-shadow-cli") and shutil.which("xfreerdp")),
        reason="freerdp2-shadow-x11 / freerdp2-x11 not installed (scripts/system-deps.sh)",
    ),
]

USER, PASSWORD = "ivanov", "Rdp-pass1"


@pytest.fixture
def rdp_host(user_screen: Display, tmp_path: Path) -> Iterator[int]:
    """freerdp-shadow-cli on the user's screen, NLA against a SAM file (winpr-hash's NT
    hash); the port once it listens."""
    nt_hash = subprocess.run(
        ["winpr-hash", "-u", USER, "-p", PASSWORD], capture_output=True, check=True, text=True
    ).stdout.strip()
    sam = tmp_path / "sam"
    sam.write_text(f"{USER}:::{nt_hash}:::\n")
    port = free_port("127.0.0.1")
    argv = ["freerdp-shadow-cli", f"/port:{port}", "/bind-address:127.0.0.1", "+auth"]
    argv += ["/sec:nla", f"/sam-file:{sam}"]
    process = subprocess.Popen(
        argv,
        env={"DISPLAY": user_screen.name, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # its log is block-buffered into a pipe: it is ready when its port accepts
        wait_until(lambda: listening(port) or process.poll() is not None, 30, "the RDP host")
        assert process.poll() is None, "freerdp-shadow-cli ended"
        yield port
    finally:
        _stop(process)


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def cmdline(pid: int | None) -> bytes:
    path = Path(f"/proc/{pid}/cmdline")
    return path.read_bytes() if pid is not None and path.exists() else b""


@pytest.mark.parametrize(
    ("password", "phase"), [(PASSWORD, Phase.CONNECTED), ("wrong", Phase.PASSWORD_REJECTED)]
)
async def test_freerdp_password_on_stdin(
    launcher: Launcher, rdp_host: int, password: str, phase: Phase
) -> None:
    target = Target.of(Mode.DIRECT, "127.0.0.1", rdp_host)
    request = Request("rdp", target, password=password, username=USER)
    # the shadow server's self-made certificate names "vm", not 127.0.0.1: tofu would ask
    viewer = await launcher.start(FreeRdp(cert="ignore"), request)
    assert await viewer.settled() is phase
    assert password.encode() not in cmdline(viewer.pid)
