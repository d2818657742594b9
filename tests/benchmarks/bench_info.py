"""Info panel benchmark (issue 13).

``client.info_panel_open``: on the 100 000-user line, a user the window does not hold (not a
row it has fetched: the list holds ids and fetches only the rows it paints) is opened —
``MainWindow.open_user`` → the card asked for → every section of the info panel filled →
the panel repainted. Median over users, goal ≤ 50 ms. Its floor: the same card fetched by a
bare aiohttp client in the same process and run (the server's part and the HTTP round trip,
with no window), medians of the same users.

The real MainWindow + Workplace in a child process (offscreen Qt, qasync) against the real
server on a copy of the cached large seed (bench_server makes it).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import floors
from tests.benchmarks.common import emit, note

USERS = 25  # opened, each once
LARGE_LINE = "Нагрузочная линия"
GOAL_MS = 50
_INPROC = "--inproc"


async def _until(check: object, limit: float = 60.0) -> None:
    deadline = time.perf_counter() + limit
    while not check():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise RuntimeError("the window did not get there in time")
        await asyncio.sleep(0)


async def _inproc(server_url: str, data_dir: Path) -> None:
    import aiohttp
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from app.store.settings import Settings
    from app.workplace import Workplace
    from ui.mainwindow.window import MainWindow

    app = QApplication.instance()
    assert app is not None
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    wp = Workplace(data_dir=data_dir, settings=Settings.load(data_dir / "settings.json"))
    window.attach(wp)
    try:
        if not await wp.sign_in(server_url, "demo", "demo", False):
            raise RuntimeError("the demo specialist could not sign in")
        await _until(lambda: wp.lines)
        large = next(ln for ln in wp.lines if ln.name == LARGE_LINE)
        await wp.select_line(large.id)
        await _until(lambda: wp.users.line_id == large.id and wp.users.complete)
        panel = window.info_panel
        region = panel.sections["region"]

        def held(user_id: int) -> bool:
            # (`get`, not `row`: `row` of a row not held asks the server for it — a request
            # of the bench's own that the window would not make)
            return wp.users.get(user_id) is not None

        # users of the line spread over its 100 000 (by login: the streaming list shows the
        # active ones only), never painted, so never fetched
        ids = list(wp.users.matching("load"))
        step = max(1, len(ids) // (USERS + 2))
        open_ms: list[float] = []
        targets: list[int] = []
        for uid in ids[step::step]:
            if held(uid):  # (a row the list fetched meanwhile: not what is measured)
                continue
            if len(targets) == USERS:
                break
            targets.append(uid)
            t0 = time.perf_counter()
            window.open_user(uid)
            await _until(
                lambda uid=uid: panel.user_id == uid and region.fields.raw.get("local_time")
            )
            panel.viewport().repaint()
            open_ms.append((time.perf_counter() - t0) * 1000)

        if len(targets) < USERS:
            raise RuntimeError("not enough users the window does not hold")
        token = wp.api.token if wp.api is not None else ""
        floor_ms: list[float] = []
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {token}"}
            for uid in targets:
                url = f"{server_url}/api/v1/lines/{large.id}/users/{uid}"
                t0 = time.perf_counter()
                async with http.get(url, headers=headers) as reply:
                    await reply.read()
                floor_ms.append((time.perf_counter() - t0) * 1000)
        note("info panel open per user: " + ", ".join(f"{v:.0f}" for v in open_ms) + " ms")
        emit(
            "client.info_panel_open",
            statistics.median(open_ms),
            "ms",
            GOAL_MS,
            floor=statistics.median(floor_ms),
            worst=round(max(open_ms), 1),
            users=len(ids),
            opened=len(open_ms),
        )
    finally:
        await window.shutdown()
        window.hide()
        shiboken6.delete(window)  # now, as ui.main does: not from the interpreter's last GC


def _inproc_main(server_url: str, data_dir: str) -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(_inproc(server_url, Path(data_dir)))


def main() -> None:
    from tests.benchmarks.server_processes import ServerProcess, cached_sqlite_seed

    seed = cached_sqlite_seed()
    with tempfile.TemporaryDirectory(prefix="linedesk-bench-") as tmp:
        db = Path(tmp) / "large.sqlite"
        shutil.copyfile(seed, db)
        server = ServerProcess(f"sqlite:///{db}", None, Path(tmp) / "server.log")
        try:
            url = server.wait_ready(60)
            data = Path(tmp) / "client"
            data.mkdir()
            env = floors.qt_env()
            env.update(QT_QPA_PLATFORM="offscreen", HOME=tmp)
            env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
            cmd = [sys.executable, "-m", "tests.benchmarks.bench_info", _INPROC, url, str(data)]
            result = subprocess.run(cmd, env=env, cwd=floors.project_root(), timeout=300)
            if result.returncode:
                raise RuntimeError(
                    f"the in-process info panel benchmark failed ({result.returncode})"
                )
        finally:
            server.stop()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == _INPROC:
        _inproc_main(sys.argv[2], sys.argv[3])
    else:
        main()
