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

import statistics
import time
from pathlib import Path

from tests.benchmarks import inproc
from tests.benchmarks.common import emit, note
from tests.benchmarks.inproc import until

USERS = 25  # opened, each once
LARGE_LINE = "Нагрузочная линия"
GOAL_MS = 50


async def _inproc(server_url: str, data_dir: Path) -> None:
    import aiohttp

    async with inproc.signed_in_window(server_url, data_dir) as (window, wp):
        large = next(ln for ln in wp.lines if ln.name == LARGE_LINE)
        await wp.select_line(large.id)
        await until(lambda: wp.users.line_id == large.id and wp.users.complete)
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
            await until(
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


def main() -> None:
    inproc.against_large_seed(
        "tests.benchmarks.bench_info", "the in-process info panel benchmark", timeout=300
    )


if __name__ == "__main__":
    inproc.entry(main, _inproc)
