"""The floors every figure is compared against, measured in the same run.

- a bare PySide6 window: process start → first paint;
- a raw aiohttp WebSocket broadcast: a poster's message fanned out to N
  connected sockets by a plain aiohttp server in its own process.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.common import percentile

_BARE_WINDOW = r"""
import sys, time
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print("PAINTED", time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
w = QMainWindow(); w.resize(1200, 800); w.setWindowTitle("bare")
f = Painted(); w.installEventFilter(f); w.show()
app.exec()
"""


def qt_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def time_to_marker(argv: list[str], marker: str, timeout: float = 60.0) -> float:
    """Seconds from starting argv until it prints a line beginning with marker."""
    started = time.time()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=qt_env()
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(marker):
                return float(line.split()[1]) - started
        raise RuntimeError(f"{argv[:3]} ended without printing {marker}")
    finally:
        proc.kill()
        proc.wait(timeout=timeout)


def bare_window_start() -> float:
    """Seconds from process start to the first paint of a bare PySide6 window."""
    return time_to_marker([sys.executable, "-c", _BARE_WINDOW], "PAINTED")


_ECHO_SERVER = r"""
import asyncio, sys
from aiohttp import web, WSMsgType
sockets = set()
async def ws(request):
    s = web.WebSocketResponse(); await s.prepare(request); sockets.add(s)
    try:
        async for m in s:
            if m.type == WSMsgType.TEXT:
                for other in list(sockets):
                    if other is not s and not other.closed:
                        await other.send_str(m.data)
    finally:
        sockets.discard(s)
    return s
async def main():
    app = web.Application(); app.router.add_get("/ws", ws)
    runner = web.AppRunner(app); await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0); await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print("READY", port, flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


async def websocket_broadcast_latency(
    listeners: int, rate: float, seconds: float
) -> tuple[float, float, int]:
    """p50 and p99 (ms) of a raw aiohttp broadcast to `listeners` sockets, and messages lost."""
    import aiohttp

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _ECHO_SERVER, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().split()
        url = f"http://127.0.0.1:{line[1]}/ws"
        latencies: list[float] = []
        received = 0
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            sockets = [await session.ws_connect(url) for _ in range(listeners)]
            poster = await session.ws_connect(url)

            async def listen(ws: aiohttp.ClientWebSocketResponse) -> None:
                nonlocal received
                async for msg in ws:
                    latencies.append((time.perf_counter() - float(msg.data)) * 1000)
                    received += 1

            tasks = [asyncio.create_task(listen(ws)) for ws in sockets]
            count = int(rate * seconds)
            for _ in range(count):
                await poster.send_str(repr(time.perf_counter()))
                await asyncio.sleep(1 / rate)
            deadline = time.perf_counter() + 10
            while received < count * listeners and time.perf_counter() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            for ws in [*sockets, poster]:
                await ws.close()
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return percentile(latencies, 50), percentile(latencies, 99), count * listeners - received
    finally:
        proc.kill()
        await proc.wait()


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]
