"""Client issue benchmark.

(a) ``client.start_painted``: ``python -m app`` start → first paint, as a ratio to a bare
    PySide6 window (floors.bare_window_start) measured in the same run (goal ≤ 1.5×);
(b) ``client.start_data_cold`` / ``_warm``: start → the demo line's users on screen
    (goal ≤ 1 s). Both read the program's ``LINEDESK_TRACE_STARTUP=1`` markers
    ``PAINTED <epoch s>`` and ``DATA <epoch s>`` on stdout; a fresh HOME/XDG profile;
    cold = first start (demo database seeded), warm = second start on the same profile.
(c) ``client.users_100k_shown``: choosing the 100 000-user line → its list reset into the
    real UsersModel and the view repainted (≤ 300 ms); ``client.users_100k_complete``
    (the whole list, for search); ``client.search_keystroke`` (≤ 30 ms): one keystroke
    through ``Workplace.search`` → UsersModel reset → view repaint;
    ``client.search_keystroke_server`` (p95 ≤ 100 ms): one keystroke while the line's
    directory is not here yet — the server asked (``GET /lines/{id}/users?q=``, rows the
    client does not hold), its answer reset into the model and repainted;
(d) ``client.chat_100k_open``: the 100 000-message chat of ``load000001`` opened
    (``MainWindow.open_user`` → ``Workplace.open_chat`` → ChatModel → repaint), ≤ 100 ms;
(e) ``client.rss``: the client process with both loaded, ≤ 250 MB.

(c)–(e) run the real MainWindow + Workplace in a child process (offscreen Qt, qasync)
against the real server on a copy of the cached large seed (bench_server makes it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import floors, inproc
from tests.benchmarks.common import emit, note
from tests.benchmarks.inproc import until

RUNS = int(os.environ.get("LINEDESK_BENCH_RUNS", "3"))
LARGE_LINE = "Нагрузочная линия"
MB = 1024 * 1024


# ---------------------------------------------------------------- (a), (b): the program


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _stop_tree(proc: subprocess.Popen[str]) -> None:
    """Stop the program and what it started (the embedded demo server), by PID."""
    kids = _descendants(proc.pid)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    for pid in kids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for pid in kids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)


def program_start(profile: Path, timeout: float = 90.0) -> dict[str, float]:
    """Start `python -m app` on `profile`; seconds from start to each marker seen."""
    env = floors.qt_env()
    env.update(
        LINEDESK_TRACE_STARTUP="1",
        QT_QPA_PLATFORM="offscreen",
        HOME=str(profile),
        XDG_CONFIG_HOME=str(profile / "config"),
        XDG_DATA_HOME=str(profile / "data"),
        XDG_CACHE_HOME=str(profile / "cache"),
        XDG_STATE_HOME=str(profile / "state"),
        XDG_RUNTIME_DIR=str(profile / "runtime"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        # the one-LineDesk-per-user lock and socket live in the temp dir: a profile's own
        # keeps the measured start (which checks them, as every start does) off a LineDesk
        # running on this desktop
        TMPDIR=str(profile / "tmp"),
    )
    for place in ("runtime", "tmp"):
        (profile / place).mkdir(mode=0o700, parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "app"]
    started = time.time()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=floors.project_root(),
    )
    seen: dict[str, float] = {}
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        paint_deadline = time.monotonic() + 20  # no PAINTED by then: the markers are missing
        while len(seen) < 2 and time.monotonic() < deadline:
            if "PAINTED" not in seen and time.monotonic() > paint_deadline:
                break
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            parts = line.split()
            if len(parts) == 2 and parts[0] in ("PAINTED", "DATA"):
                seen.setdefault(parts[0], float(parts[1]) - started)
    finally:
        _stop_tree(proc)
    return seen


def bench_startup() -> None:
    # the floor is measured interleaved with the program's starts, so that both see the
    # same moments of a noisy machine
    bares: list[float] = []
    painted: list[float] = []
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(max(RUNS, 5)):
        with tempfile.TemporaryDirectory(prefix="linedesk-bench-home-") as tmp:
            first = program_start(Path(tmp))
            if not first:
                break
            bares.append(floors.bare_window_start())
            second = program_start(Path(tmp))
        if "PAINTED" in second:
            painted.append(second["PAINTED"])
        if "DATA" in first:
            cold.append(first["DATA"])
        if "DATA" in second:
            warm.append(second["DATA"])
    bare = statistics.median(bares) if bares else floors.bare_window_start()
    note(f"bare PySide6 window start → paint: median {bare * 1000:.0f} ms")
    if not painted:
        note(
            "client start: `python -m app` printed no PAINTED/DATA markers (LINEDESK_TRACE_STARTUP)"
        )
        record = {"figure": "client.start_painted_to_floor", "value": None, "unit": "x"}
        record.update(goal=1.5, better="lower", floor=1.0, missing="PAINTED/DATA markers")
        print(json.dumps(record), flush=True)
        return
    p = statistics.median(painted)
    emit("client.start_painted", p * 1000, "ms", None, floor=bare * 1000, runs=len(painted))
    emit("client.start_painted_to_floor", p / bare, "x", 1.5, floor=1.0)
    for name, values in (("cold", cold), ("warm", warm)):
        if values:
            emit(f"client.start_data_{name}", statistics.median(values) * 1000, "ms", 1000)
        else:
            note(f"client start ({name}): no DATA marker seen")


# ---------------------------------------------------------------- (c)–(e): in process


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _inproc(server_url: str, data_dir: Path) -> None:
    async with inproc.signed_in_window(server_url, data_dir) as (window, wp):
        large = next(ln for ln in wp.lines if ln.name == LARGE_LINE)
        other = next(ln for ln in wp.lines if ln.id != large.id)
        model, view = window.users_model, window.users_view

        def shown(line_id: int) -> bool:
            return (
                wp.users.line_id == line_id
                and model.rowCount() > 0
                and model.rowCount() == len(wp.users.ids)
            )

        shown_ms: list[float] = []
        complete_ms: list[float] = []
        for _ in range(RUNS):
            await wp.select_line(other.id)
            await until(lambda: shown(other.id) and wp.users.complete)
            t0 = time.perf_counter()
            task = asyncio.ensure_future(wp.select_line(large.id))
            await until(lambda: shown(large.id))
            view.viewport().repaint()
            shown_ms.append((time.perf_counter() - t0) * 1000)
            await task
            await until(lambda: wp.users.line_id == large.id and wp.users.complete)
            await until(lambda: model.rowCount() == len(wp.users.ids))
            complete_ms.append((time.perf_counter() - t0) * 1000)
        total = len(wp.users)
        note("100 000-user line shown per run: " + ", ".join(f"{v:.0f}" for v in shown_ms) + " ms")
        emit("client.users_100k_shown", statistics.median(shown_ms), "ms", 300, users=total)
        emit("client.users_100k_complete", statistics.median(complete_ms), "ms", None, users=total)

        keys_ms: list[float] = []
        for word in ("иван", "load0001", "петрова ан"):
            for n in range(1, len(word) + 1):
                t0 = time.perf_counter()
                wp.search(word[:n])
                await until(lambda: model.rowCount() == len(wp.users.ids))
                view.viewport().repaint()
                keys_ms.append((time.perf_counter() - t0) * 1000)
            wp.search("")
        emit(
            "client.search_keystroke",
            statistics.median(keys_ms),
            "ms",
            30,
            worst=round(max(keys_ms), 1),
            keystrokes=len(keys_ms),
        )

        server_ms = await _server_keystrokes(wp, model, view)
        emit(
            "client.search_keystroke_server",
            _p95(server_ms),
            "ms",
            100,
            median=round(statistics.median(server_ms), 1),
            worst=round(max(server_ms), 1),
            keystrokes=len(server_ms),
        )

        def by_login(login: str) -> tuple[int, int]:
            """(user id, chat id): the index holds ids; full rows come only when shown."""
            user_id = wp.users.matching(login)[0]
            chat_id = wp.users.chat_id(user_id)
            assert chat_id is not None
            return user_id, chat_id

        target_id, target_chat = by_login("load000001")
        spare_id, spare_chat = by_login("load000002")
        chat_model, chat_view = window.chat_model, window.chat_view
        open_ms: list[float] = []
        for _ in range(RUNS):
            window.open_user(spare_id)  # what a click on a row does
            await until(lambda: chat_model.chat_id == spare_chat)
            t0 = time.perf_counter()
            window.open_user(target_id)
            await until(lambda: chat_model.chat_id == target_chat and chat_model.rowCount())
            chat_view.viewport().repaint()
            open_ms.append((time.perf_counter() - t0) * 1000)
        note("100 000-message chat open per run: " + ", ".join(f"{v:.0f}" for v in open_ms) + " ms")
        emit("client.chat_100k_open", statistics.median(open_ms), "ms", 100)
        emit("client.rss", _rss_mb(), "MB", 250, users=total, chat="load000001")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


SERVER_WORDS = ("петрова", "load0777", "иван", "ромашка", "смирнов ал")


async def _server_keystrokes(wp: Any, model: Any, view: Any) -> list[float]:
    """Each keystroke of `SERVER_WORDS` typed as while a streaming line's directory is still
    loading (the index not `complete`: `CurrentLine.search` asks the server too): from
    `Workplace.search` to the server's answer reset into the model (the second UsersReset of
    that query) and the view repainted. The index is the loaded one, marked incomplete for
    the measurement, so the local half is what it is then and the server's half is real."""
    from app.core.changes import UsersReset

    answered: list[str] = []

    def on_change(change: object) -> None:
        if isinstance(change, UsersReset):
            answered.append(change.query)

    unsubscribe = wp.subscribe(on_change)
    index = wp.users
    index.complete = False
    out: list[float] = []
    try:
        for _ in range(RUNS):
            for word in SERVER_WORDS:
                for n in range(1, len(word) + 1):
                    query = word[:n]
                    answered.clear()
                    t0 = time.perf_counter()
                    wp.search(query)
                    await until(lambda q=query: answered.count(q) >= 2)
                    await until(lambda: model.rowCount() == len(wp.users.ids))
                    view.viewport().repaint()
                    out.append((time.perf_counter() - t0) * 1000)
                wp.search("")
    finally:
        index.complete = True
        unsubscribe()
        wp.search("")
    return out


def bench_large_line() -> None:
    inproc.against_large_seed(
        "tests.benchmarks.bench_client", "the in-process client benchmark", timeout=300
    )


def main() -> None:
    bench_startup()
    bench_large_line()


if __name__ == "__main__":
    inproc.entry(main, _inproc)
