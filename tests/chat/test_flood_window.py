"""A flood into the open chat through the real window against the real server: a client
sends 50 messages a second for 4 seconds while the specialist reads their chat. Every
message is shown, in order, and the window stays responsive:

- the window's thread (Qt and the asyncio loop, one thread) spends at most CPU_PER_MESSAGE
  on each message — its own work, which the machine's load does not change much: at 50 a
  second that leaves most of the thread for the specialist's keys;
- the event loop's lag (how late a 5 ms timer fires) is measured the whole time and
  printed; a freeze (over MAX_LAG_MS) fails. On a shared 2-core machine running the server
  and other tests, wall-clock lag is mostly the scheduler's, so it is bounded loosely."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]

RATE, SECONDS = 50, 4
TICK_MS = 5
# The window must keep the pace: 50 a second leaves 20 ms a message. Before the flood work
# (docs/chat.md) a quiet machine spent 12–14 ms: the users list was laid out and repainted
# whole for each message and each bubble's text laid out again for each paint. Now a changed
# row repaints alone, heights and layouts are kept, and a burst's messages go in together
# (at most one insert every 50 ms): 6.2–6.3 ms on the quiet machine (15.2–17.3 before),
# 3.3–5 ms at load 5–7, so 10 ms (half the budget) fails a return of any of them.
CPU_PER_MESSAGE_MS = 10.0
MAX_LAG_MS = 2000


class LagProbe:
    """How late a repeating 5 ms timer fires on the window's thread (its event loop)."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lags.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def p(self, q: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _flood(api: Api, chat_id: int, texts: list[str], sent: list[Any]) -> None:
    """Two senders, each on its own schedule: 50 a second between them."""
    start = time.monotonic()

    def sender(offset: int) -> None:
        for i in range(offset, len(texts), 2):
            delay = start + i / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # the client's pace, not a wait for the window
            api.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": texts[i]})
            sent.append(i)

    threads = [threading.Thread(target=sender, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _count(model: Any) -> int:
    return sum(
        1
        for r in range(model.rowCount())
        if (m := model.message_at(r)) is not None and m.text.startswith("Поток №")
    )


def test_a_flood_of_50_messages_a_second_into_the_open_chat(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    shown.wp.settings.sound_on = False
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-4]
    shown.open_user(user["id"])
    qtbot.waitUntil(lambda: w.chat_model.loaded, timeout=10_000)
    model = w.chat_model
    before = model.rowCount()
    client = Api(live_server.url).login(user["login"])
    words = [" ".join(["слово"] * (1 + i % 12)) for i in range(RATE * SECONDS)]
    texts = [f"Поток №{i:03d}: {w}" for i, w in enumerate(words)]
    sent: list[Any] = []
    probe = LagProbe()
    probe.start()
    flood = threading.Thread(target=_flood, args=(client, user["chat_id"], texts, sent))
    started, cpu = time.monotonic(), time.thread_time()
    flood.start()
    try:
        qtbot.waitUntil(
            lambda: model.rowCount() >= before + len(texts) and _count(model) == len(texts),
            timeout=60_000,
        )
    finally:
        used = time.thread_time() - cpu
        flood.join(60)
        probe.stop()
    took = time.monotonic() - started
    per_message = used * 1000 / len(texts)
    shown_rows = [model.message_at(r) for r in range(before, model.rowCount())]
    flooded = [m for m in shown_rows if m is not None and m.text.startswith("Поток №")]
    assert sorted(m.text for m in flooded) == texts  # each once
    ids = [m.id for m in flooded]
    assert ids == sorted(ids)  # in the server's order (two senders may interleave)
    p50, p99, worst = probe.p(0.5), probe.p(0.99), max(probe.lags)
    print(
        f"flood {len(texts)} messages in {took:.1f} s: the window's thread {per_message:.1f} ms"
        f" CPU a message; loop lag p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms"
        f" ({len(probe.lags)} ticks, mean {statistics.fmean(probe.lags):.1f} ms)"
    )
    assert per_message <= CPU_PER_MESSAGE_MS, per_message
    assert worst <= MAX_LAG_MS, (p50, p99, worst)
    # and the view is at the newest message
    bar = w.chat_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)
