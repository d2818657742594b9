"""The users list's filter on the 100 000-user line.

``client.filter_change`` (goal ≤ 30 ms, median): a filter option clicked → the list shown
again — the filter's intent (what the menu's click spawns) → the index's pass over its marks
(app/clients/userfilter.py) → ``UsersReset`` → UsersModel reset → the view repainted. Options
one after another and cleared between them (ticket open on me, unread, waiting, online,
birthday today, favourites, a company, two together), while a query every user of the line
matches is in the search (``load``): each change narrows 100 000 hits, each clear shows them
all again (the streaming view alone holds the few users active lately).
Its floor: the same model reset and repaint with the ids computed beforehand, measured right
after each change (what no filter can go below). Extra: the core's part alone (``core_ms``)
and the worst change.

The real MainWindow + Workplace in a child process (offscreen Qt, qasync) against the real
server on a copy of the cached large seed (bench_server makes it), as bench_client does.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from tests.benchmarks import inproc
from tests.benchmarks.bench_client import LARGE_LINE
from tests.benchmarks.common import emit, note
from tests.benchmarks.inproc import until

RUNS = int(os.environ.get("LINEDESK_BENCH_RUNS", "3"))
QUERY = "load"  # in every load user's login (load000001…): the list holds the whole line


async def _inproc(server_url: str, data_dir: Path) -> None:
    from app.clients.userfilter import Only, UserFilter
    from app.favourites.part import ADD

    async with inproc.signed_in_window(server_url, data_dir) as (window, wp):
        large = next(ln for ln in wp.lines if ln.name == LARGE_LINE)
        await wp.select_line(large.id)
        await until(lambda: wp.users.line_id == large.id and wp.users.complete, 120)
        model, view = window.users_model, window.users_view
        await until(lambda: model.rowCount() == len(wp.users.ids))
        for user_id in wp.users.order[:3]:
            await wp.act(ADD, user_id)
        await until(lambda: len(wp.users.favourites) == 3)
        # the whole line in the list: a query every user of the load line matches (the
        # streaming view alone is the few active lately — too easy a case)
        window.search.setText(QUERY)
        await until(lambda: model.rowCount() == len(wp.users.ids) > 90_000)
        company = 0
        for user_id in wp.users.ids:
            marks = wp.users.marks(user_id)
            if marks is not None and marks.company_id:
                company = marks.company_id
                break
        options = [
            frozenset({Only.MINE}),
            frozenset({Only.UNREAD}),
            frozenset({Only.WAITING}),
            frozenset({Only.ONLINE}),
            frozenset({Only.BIRTHDAY}),
            frozenset({Only.FAVOURITES}),
            frozenset({Only.WAITING, Only.ONLINE}),
        ]
        wanted = [UserFilter(o) for o in options] + [UserFilter().with_company(company, "x")]
        resets = [0]
        model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
        controls = window.users.filter
        changes: list[float] = []
        floor: list[float] = []
        core: list[float] = []
        shown: list[int] = []
        for _ in range(RUNS):
            for f in wanted:
                for step in (f, UserFilter()):
                    before = resets[0]
                    t0 = time.perf_counter()
                    controls._apply(step)  # what the menu's click does
                    await until(lambda b=before, s=step: resets[0] > b and wp.users.filter == s)
                    view.viewport().repaint()
                    changes.append((time.perf_counter() - t0) * 1000)
                    ids = tuple(wp.users.ids)
                    shown.append(len(ids))
                    t0 = time.perf_counter()
                    model.reset(ids)
                    view.viewport().repaint()
                    floor.append((time.perf_counter() - t0) * 1000)
                    index = wp.users
                    index.filter = UserFilter(frozenset({Only.UNREAD}))  # (a change to time)
                    t0 = time.perf_counter()
                    index.set_filter(step)
                    core.append((time.perf_counter() - t0) * 1000)
        note(
            f"filter changes on {len(wp.users)} users: "
            + ", ".join(f"{v:.0f}" for v in changes)
            + " ms; rows shown "
            + ", ".join(str(n) for n in shown[: 2 * len(wanted)])
        )
        emit(
            "client.filter_change",
            statistics.median(changes),
            "ms",
            30,
            floor=statistics.median(floor),
            core_ms=round(statistics.median(core), 2),
            worst=round(max(changes), 1),
            changes=len(changes),
            users=len(wp.users),
        )


def main() -> None:
    inproc.against_large_seed("tests.benchmarks.bench_filter", "the filter benchmark", timeout=600)


if __name__ == "__main__":
    inproc.entry(main, _inproc)
