"""Routing decision time (server/tickets/routing.py) with 1 000 Free specialists on one line
and 10 000 open tickets among them: the candidates with their open counts, the
responsible specialists, the chosen one locked and counted again — as one new ticket's
routing runs inside its transaction (rolled back after each, so every decision sees the
same load). SQLite file, in process; one JSON line per figure (tests/benchmarks/common.py)."""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

import server.models  # noqa: F401  (every table on Base)
from server.core.models import (
    Base,
    Chat,
    ClientUser,
    Company,
    Line,
    LineSpecialist,
    Specialist,
    SpecialistStatus,
    Ticket,
    TicketState,
    utcnow,
)
from server.tickets import routing
from server.tickets.models import RoutingSettings
from tests.benchmarks.common import emit, note, percentile
from tests.benchmarks.server_processes import cpu_seconds

SPECIALISTS = 1_000
OPEN_TICKETS = 10_000
DECISIONS = 300
WARM_UP = 30  # the first decisions fill SQLite's page cache: not counted
GOAL_P99_MS = 5.0


def build(path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    rng = random.Random(9)
    now = utcnow()
    with Session(engine) as s, s.begin():
        s.execute(insert(Company), [{"id": 1, "name": "serving", "serving": True}])
        s.execute(insert(Company), [{"id": 2, "name": "client"}])
        s.execute(insert(Line), [{"id": 1, "company_id": 1, "name": "L", "public_name": "L"}])
        s.execute(
            insert(Specialist),
            [
                {"id": i, "company_id": 1, "login": f"s{i}", "status": SpecialistStatus.FREE}
                for i in range(1, SPECIALISTS + 1)
            ],
        )
        s.execute(
            insert(LineSpecialist),
            [{"line_id": 1, "specialist_id": i} for i in range(1, SPECIALISTS + 1)],
        )
        s.execute(
            insert(RoutingSettings),
            [
                {"specialist_id": i, "capacity": 12, "supervisor": False, "last_assigned_at": now}
                for i in range(1, SPECIALISTS + 1)
            ],
        )
        users = OPEN_TICKETS + DECISIONS
        s.execute(
            insert(ClientUser),
            [{"id": u, "company_id": 2, "login": f"u{u}"} for u in range(1, users + 1)],
        )
        s.execute(
            insert(Chat), [{"id": u, "line_id": 1, "user_id": u} for u in range(1, users + 1)]
        )
        s.execute(
            insert(Ticket),
            [
                {
                    "id": t,
                    "chat_id": t,
                    "line_id": 1,
                    "user_id": t,
                    "specialist_id": rng.randint(1, SPECIALISTS),
                    "state": TicketState.OPEN,
                    "opened_at": now,
                }
                for t in range(1, OPEN_TICKETS + 1)
            ],
        )
    engine.dispose()
    return url, list(range(OPEN_TICKETS + 1, OPEN_TICKETS + DECISIONS + 1))


def measure(url: str, chats: list[int]) -> tuple[list[float], list[float]]:
    """Each decision's wall time and this thread's CPU time in it (ms): on a busy machine
    the wall time has the waits for a core in it, the CPU time is the decision's own work."""
    engine = create_engine(url)
    times: list[float] = []
    cpu: list[float] = []
    try:
        for chat_id in chats:
            with Session(engine) as s:
                s.begin()
                ticket = Ticket(chat_id=chat_id, line_id=1, user_id=chat_id, opened_at=utcnow())
                s.add(ticket)
                s.flush()
                start, start_cpu = time.perf_counter(), time.thread_time()
                chosen = routing.choose(s, ticket)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
                assert chosen is not None
                s.rollback()
    finally:
        engine.dispose()
    return times, cpu


def main() -> None:
    bench_decision()
    bench_burst_postgres()


def bench_decision() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, chats = build(Path(tmp) / "routing.db")
        note(f"routing: {SPECIALISTS} specialists, {OPEN_TICKETS} open tickets, SQLite")
        times, cpu = measure(url, chats)
        times, cpu = times[WARM_UP:], cpu[WARM_UP:]
    note(f"routing: load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    emit("tickets.routing_decision_p50", percentile(times, 50), "ms", None)
    emit("tickets.routing_decision_cpu_p99", percentile(cpu, 99), "ms", None)
    emit(
        "tickets.routing_decision_p99",
        percentile(times, 99),
        "ms",
        GOAL_P99_MS,
        specialists=SPECIALISTS,
        open_tickets=OPEN_TICKETS,
        decisions=len(times),
    )


# ------------------------------------------- 200 tickets in one second, two PG processes

BURST = 200
GOAL_BURST_P99_MS = 100.0


async def _burst(
    urls: list[str], spread_s: float, pids: list[int]
) -> tuple[list[float], int, int, float]:
    """Client users sign in, then 200 of their chats without an open ticket each get a
    message, alternately through the two processes — all at once (``spread_s`` 0), or
    evenly over ``spread_s`` seconds: each reply's time (the routing decision is inside the
    send's transaction), and the servers' (``pids``) CPU seconds over the sends alone."""
    import uuid

    import aiohttp

    from server.demo.seed import client_logins

    # no cap on connections (aiohttp's default 100 queued the burst's sends in the client)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        gate = asyncio.Semaphore(8)

        async def sign_in(login: str) -> tuple[str, list[int]]:
            async with gate:
                body = {"login": login, "password": "demo"}
                async with http.post(f"{urls[0]}/api/v1/auth/login", json=body) as r:
                    token = str((await r.json())["token"])
                headers = {"Authorization": f"Bearer {token}"}
                async with http.get(f"{urls[0]}/api/v1/chats", headers=headers) as r:
                    return token, [int(c["id"]) for c in (await r.json())["items"]]

        signed = await asyncio.gather(*(sign_in(n) for n in client_logins()))
        pairs = [(token, chat) for token, chats in signed for chat in chats][:BURST]
        times: list[float] = []

        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        began = time.perf_counter()

        async def send(k: int, token: str, chat: int) -> None:
            url = f"{urls[k % len(urls)]}/api/v1/chats/{chat}/messages/{uuid.uuid4()}"
            await asyncio.sleep(max(0.0, began + k * spread_s / len(pairs) - time.perf_counter()))
            start = time.perf_counter()
            async with http.put(
                url, json={"text": "вопрос"}, headers={"Authorization": f"Bearer {token}"}
            ) as r:
                assert r.status in (200, 201), r.status
            times.append((time.perf_counter() - start) * 1000)

        await asyncio.gather(*(send(k, t, c) for k, (t, c) in enumerate(pairs)))
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        # every line's load as a specialist sees it: nobody over their capacity
        body = {"login": "demo", "password": "demo"}
        async with http.post(f"{urls[1]}/api/v1/auth/login", json=body) as r:
            headers = {"Authorization": f"Bearer {(await r.json())['token']}"}
        over = 0
        async with http.get(f"{urls[1]}/api/v1/lines", headers=headers) as r:
            lines = [int(line["id"]) for line in (await r.json())["items"]]
        for line_id in lines:
            async with http.get(f"{urls[1]}/api/v1/lines/{line_id}/load", headers=headers) as r:
                load = await r.json()
            over += sum(1 for sp in load["specialists"] if sp["open"] > sp["capacity"])
        return times, len(pairs), over, cpu


def bench_burst_postgres() -> None:
    """The issue's "200 tickets opened in the same second": spread evenly over that second,
    and — harder — all at once (one per client user's chat: the demo has 188)."""
    _burst_postgres(1.0, "tickets.pg2.burst_spread_p99", "tickets.pg2.burst_spread_over_capacity")
    _burst_postgres(0.0, "tickets.pg2.burst_assignment_p99", "tickets.pg2.burst_over_capacity")


def _burst_postgres(spread_s: float, figure: str, over_figure: str) -> None:
    from tests.benchmarks.bench_server import WITH_PG, PostgresCluster, ServerProcess

    if not WITH_PG:
        return
    cluster = PostgresCluster()
    servers: list[ServerProcess] = []
    try:
        url = cluster.start()
        first = ServerProcess(url, "demo", cluster.dir / "tickets-a.log")
        servers.append(first)
        first.wait_ready(300)
        second = ServerProcess(url, None, cluster.dir / "tickets-b.log")
        servers.append(second)
        second.wait_ready(60)
        pids = [s.proc.pid for s in servers]
        times, sent, over, cpu = asyncio.run(_burst([first.url, second.url], spread_s, pids))
    finally:
        for s in servers:
            s.stop()
        cluster.stop()
    emit(
        figure,
        percentile(times, 99),
        "ms",
        GOAL_BURST_P99_MS,
        tickets=sent,
        spread_s=spread_s,
        server_cpu_ms_per_send=round(cpu / sent * 1000, 2),
    )
    emit(over_figure, over, "specialists", 0)


if __name__ == "__main__":
    main()
