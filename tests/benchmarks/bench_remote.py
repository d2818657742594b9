"""Remote desktop benchmark.

``remote.connect_to_viewer``: the Connect dialog's choice (by password) → the viewer connected
to a loopback host — the Workplace's `remote.connect` intent, which the dialog's button runs:
the pre-flight (viewer installed, host reachable), POST /remote-sessions on the real server
(demo-seeded SQLite), the launcher writing the password file and starting the real TigerVNC
viewer, its log read until "Using pixel format". Median of RUNS (goal ≤ 1 s).
``floor``: the same viewer started by hand on the same host with a ready password file, until
the same log line. Xvfb (-displayfd) is the user's screen with x11vnc and the specialist's.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import emit, note

RUNS = 7
PASSWORD = "bench!"


def viewer_by_hand(port: int, passwd: Path, display: str) -> float:
    env = {**os.environ, "DISPLAY": display, "LC_MESSAGES": "C.UTF-8"}
    argv = ["xtigervncviewer", "-PasswordFile", str(passwd), "-AlertOnFatalError=0"]
    argv += ["-ReconnectOnError=0", f"127.0.0.1::{port}"]
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            if b"Using pixel format" in raw:
                return time.perf_counter() - start
        raise RuntimeError("the viewer ended without connecting")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)  # its last log lines, then its end
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


async def through_the_core(url: str, data: Path, port: int) -> list[float]:
    from app.core import changes as ch
    from app.remote import part as remote_part
    from contract.remote import RemoteMode
    from tests.app.workplaces import client_api, make_workplace, until

    client = await client_api(url, "a.troitskiy")
    user_id = int((await client.call("GET", "/me"))["id"])
    line_id = int((await client.call("GET", "/chats"))["items"][0]["line"]["id"])
    await client.close()
    wp = make_workplace(data)
    try:
        assert await wp.sign_in(url, "demo", "demo", remember=False)
        times: list[float] = []
        for _ in range(RUNS):
            connected = asyncio.Event()

            def on_change(change: object) -> None:
                if isinstance(change, ch.RemoteChanged) and change.phase == "connected":
                    connected.set()  # noqa: B023 - this run's event

            unsubscribe = wp.subscribe(on_change)
            start = time.perf_counter()
            args = (line_id, user_id, RemoteMode.PASSWORD, PASSWORD, "127.0.0.1", port)
            made = await wp.act(remote_part.CONNECT, *args)
            await asyncio.wait_for(connected.wait(), 30)
            times.append(time.perf_counter() - start)
            unsubscribe()
            await wp.act(remote_part.STOP, made.id)
            await until(lambda: not wp.remote.live(), what="stopped")
        return times
    finally:
        await wp.close()


def main() -> None:
    missing = [p for p in ("Xvfb", "x11vnc", "xtigervncviewer") if shutil.which(p) is None]
    if missing:
        note(f"bench_remote skipped: not installed {missing}")
        return
    from remote import vncauth
    from tests.conftest import ServerProcess
    from tests.remote.hosts import Display, VncHost

    with tempfile.TemporaryDirectory(prefix="linedesk-bench-remote-") as tmp:
        root = Path(tmp)
        user, specialist = Display("640x480x24"), Display("1024x768x24")
        host = VncHost(user, PASSWORD)
        server = ServerProcess(f"sqlite:///{root / 'db.sqlite'}", root / "files", "--seed", "demo")
        try:
            server.start()
            (root / "pw").mkdir(mode=0o700)
            passwd = vncauth.write_password_file(root / "pw", PASSWORD)
            floor = statistics.median(
                viewer_by_hand(host.port, passwd, specialist.name) for _ in range(RUNS)
            )
            os.environ["DISPLAY"] = specialist.name
            times = asyncio.run(through_the_core(server.url, root / "data", host.port))
            emit(
                "remote.connect_to_viewer",
                statistics.median(times),
                "s",
                1.0,
                floor=floor,
                runs=RUNS,
                max=round(max(times), 3),
            )
        finally:
            server.stop()
            host.stop()
            specialist.stop()
            user.stop()


if __name__ == "__main__":
    main()
