"""Server issue benchmark: 500 specialists on WebSockets, client users posting 50 messages/s.

Figures (JSON lines, see common.emit):

- ``server.sqlite.delivery_p50`` / ``_p99``: one server process on SQLite, 500 sockets;
- ``server.pg2.delivery_p50`` / ``_p99``: two processes sharing PostgreSQL, 250 sockets each,
  posts alternating between the two processes (so half the deliveries cross processes
  through LISTEN/NOTIFY);
- ``*.lost`` / ``*.duplicates``: expected deliveries not received, and the same seq twice
  on one socket (both must be 0).

Latency is measured from just before the client user's ``PUT …/messages/{uuid}`` to each
specialist's receipt of the ``message.created`` frame (the send time travels in the text;
``time.monotonic`` is one system-wide clock on Linux, so listener processes can compare).
Each p50/p99 is the median over ``ROUNDS`` consecutive windows of the same run; ``floor``
is the raw aiohttp broadcast (floors.websocket_broadcast_latency) with the same listener
count and rate, measured in the same run.

The listeners are spread over ``WORKERS`` processes: one Python process decoding
25 000 frames/s is itself a bottleneck on this 2-core machine.

The curve (issue 8): the same run at each of LINEDESK_BENCH_POINTS connected specialists'
sockets (default 250,500,1000,2000) on each database: ``*.p99_at_N``, ``*.lost_at_N``,
``*.duplicates_at_N`` and ``*.cpu_per_1000_at_N`` (CPU seconds of the server processes, all
their threads, per 1 000 deliveries, from /proc). Each ``p99_at_N`` carries the raw aiohttp
broadcast's p99 at the same N as its ``floor``: where the machine itself bends. The seed has
500 bench specialists; past 500 each one is signed in on several sockets (the fan-out's work
is per socket).

Knobs (environment): LINEDESK_BENCH_SECONDS (12), LINEDESK_BENCH_LISTENERS (500: the headline
point, the one with the floor), LINEDESK_BENCH_POINTS, LINEDESK_BENCH_CURVE_SECONDS (6: the
other points), LINEDESK_BENCH_RATE (50),
LINEDESK_BENCH_WORKERS (2), LINEDESK_BENCH_PG (1; 0 skips PostgreSQL), LINEDESK_BENCH_PG_LOG
(a directory: each cluster's log, with its slow statements, lock waits and autovacuum runs,
is copied there).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import signal
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from tests.benchmarks import floors
from tests.benchmarks.common import emit, note, percentile
from tests.benchmarks.server_processes import (
    RESULTS,
    PostgresCluster,
    ServerProcess,
    cached_sqlite_seed,
    cpu_seconds,
    server_on_copy,
)

API = "/api/v1"
PASSWORD = "demo"
LISTENERS = int(os.environ.get("LINEDESK_BENCH_LISTENERS", "500"))
RATE = float(os.environ.get("LINEDESK_BENCH_RATE", "50"))
SECONDS = float(os.environ.get("LINEDESK_BENCH_SECONDS", "12"))
CURVE_SECONDS = float(os.environ.get("LINEDESK_BENCH_CURVE_SECONDS", "6"))
"""How long the points other than the headline one post (300 messages at 50/s)."""
WORKERS = int(os.environ.get("LINEDESK_BENCH_WORKERS", "2"))
WITH_PG = os.environ.get("LINEDESK_BENCH_PG", "1") != "0"
POINTS = sorted(
    {int(n) for n in os.environ.get("LINEDESK_BENCH_POINTS", "250,500,1000,2000").split(",")}
    | {LISTENERS}
)
ROUNDS = 4
POSTERS = 10  # client users load000002 … (load000001 holds the 100 000-message chat)
DRAIN_SECONDS = 15.0


# ---------------------------------------------------------------- HTTP helpers


async def sign_in_all(base_urls: list[str], logins: list[str], concurrency: int = 4) -> list[str]:
    """Tokens for ``logins`` (login i on base_urls[i % n]); argon2 makes each ≈50 ms of CPU."""
    import aiohttp

    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as http:

        async def one(i: int, login: str) -> str:
            base = base_urls[i % len(base_urls)]
            async with sem:
                for _ in range(5):
                    async with http.post(
                        f"{base}{API}/auth/login", json={"login": login, "password": PASSWORD}
                    ) as r:
                        if r.status == 429:
                            await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
                            continue
                        if r.status != 200:
                            raise RuntimeError(f"login {login}: HTTP {r.status} {await r.text()}")
                        return str((await r.json())["token"])
                raise RuntimeError(f"login {login}: throttled")

        return list(await asyncio.gather(*(one(i, n) for i, n in enumerate(logins))))


# ---------------------------------------------------------------- listener workers


@dataclass
class ListenerResult:
    latencies: list[tuple[int, float]] = field(default_factory=list)  # (round, ms)
    received: Counter[str] = field(default_factory=Counter)  # client_msg_id -> sockets
    duplicates: int = 0
    closed_early: int = 0
    cpu: float = 0.0  # this listener process's CPU seconds from ready to done


def _listener_worker(targets: list[tuple[str, str]], conn: Connection) -> None:
    """Process entry: connect one WebSocket per (base_url, token), report when ready,
    record until told which messages were sent, then drain and report."""
    try:
        result = asyncio.run(_listen(targets, conn))
        conn.send(("done", result))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


async def _listen(targets: list[tuple[str, str]], conn: Connection) -> ListenerResult:
    import aiohttp

    result = ListenerResult()
    loop = asyncio.get_running_loop()
    per_socket: list[Counter[str]] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        sockets = []
        for base, token in targets:
            ws = await http.ws_connect(
                f"{base}{API}/events", headers={"Authorization": f"Bearer {token}"}
            )
            hello = json.loads((await ws.receive(timeout=30)).data)
            if hello.get("type") != "hello":
                raise RuntimeError(f"expected hello, got {hello}")
            sockets.append(ws)

        async def listen(ws: aiohttp.ClientWebSocketResponse) -> None:
            seen_seq: set[int] = set()
            mine: Counter[str] = Counter()
            per_socket.append(mine)
            async for msg in ws:
                now = time.monotonic()
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                if frame.get("type") != "event":
                    continue
                seq = frame["seq"]
                if seq in seen_seq:
                    result.duplicates += 1
                    continue
                seen_seq.add(seq)
                if frame["kind"] != "message.created":
                    continue
                text = frame["data"]["text"]
                if not text.startswith("bench "):
                    continue
                _, sent_at, rnd = text.split()
                result.latencies.append((int(rnd), (now - float(sent_at)) * 1000))
                mine[frame["data"]["client_msg_id"]] += 1
            result.closed_early += 1

        tasks = [asyncio.create_task(listen(ws)) for ws in sockets]
        cpu_began = time.process_time()
        conn.send(("ready", len(sockets)))
        sent: list[str] = await loop.run_in_executor(None, conn.recv)  # the ids that were sent
        expected = set(sent)
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            if all(expected <= c.keys() for c in per_socket):
                break
            await asyncio.sleep(0.1)
        for ws in sockets:
            await ws.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        result.cpu = time.process_time() - cpu_began
    for c in per_socket:
        result.received.update(k for k in c if k in expected)
    result.closed_early = max(0, result.closed_early - len(sockets))
    return result


# ---------------------------------------------------------------- the posters


async def post_traffic(
    base_urls: list[str], rate: float, seconds: float, on_start: Callable[[], object] = list
) -> list[str]:
    """Client users PUT ``rate`` messages/s for ``seconds`` (bounded count), alternating
    between the servers; returns the client_msg_ids the server accepted."""
    import aiohttp

    logins = [f"load{i:06d}" for i in range(2, 2 + POSTERS)]
    tokens = await sign_in_all(base_urls[:1], logins)
    accepted: list[str] = []
    put_ms: list[float] = []  # each PUT's round trip: the write path alone
    failed = 0
    count = int(rate * seconds)
    per_round = max(1, count // ROUNDS)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
        chats = []
        for token in tokens:
            async with http.get(f"{base_urls[0]}{API}/chats", headers=_auth(token)) as r:
                chats.append(int((await r.json())["items"][0]["id"]))

        async def one(n: int) -> None:
            nonlocal failed
            token, chat = tokens[n % len(tokens)], chats[n % len(chats)]
            base = base_urls[n % len(base_urls)]
            msg_id = str(uuid.uuid4())
            text = f"bench {time.monotonic():.6f} {min(n // per_round, ROUNDS - 1)}"
            sent = time.monotonic()
            try:
                async with http.put(
                    f"{base}{API}/chats/{chat}/messages/{msg_id}",
                    json={"text": text},
                    headers=_auth(token),
                    timeout=aiohttp.ClientTimeout(total=15),
                ) as r:
                    if r.status in (200, 201):
                        accepted.append(msg_id)
                        put_ms.append((time.monotonic() - sent) * 1000)
                    else:
                        failed += 1
            except (TimeoutError, aiohttp.ClientError):
                failed += 1

        on_start()  # the posters are signed in (argon2): the measured span begins
        start = time.monotonic()
        tasks = []
        for n in range(count):
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        took = time.monotonic() - start
    note(f"posted {len(accepted)} messages in {took:.1f} s ({failed} refused or failed)")
    if put_ms:
        note(
            f"PUT round trip p50 {percentile(put_ms, 50):.1f} ms, "
            f"p99 {percentile(put_ms, 99):.1f} ms, worst {max(put_ms):.1f} ms"
        )
    return accepted


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---------------------------------------------------------------- one scenario


@dataclass
class Outcome:
    p50: float
    p99: float
    p99_worst: float
    lost: int
    duplicates: int
    deliveries: int
    sockets: int
    seconds: float  # how long the posters posted
    server_cpu: float  # the server processes' CPU seconds while posting and draining
    bench_cpu: float  # the listener processes' CPU seconds, the same span


def sign_in_specialists(base_urls: list[str]) -> list[str]:
    logins = [f"bench{i:03d}" for i in range(1, LISTENERS + 1)]
    t0 = time.monotonic()
    tokens = asyncio.run(sign_in_all(base_urls, logins))
    note(f"{len(tokens)} specialists signed in in {time.monotonic() - t0:.1f} s (argon2 per login)")
    return tokens


def run_scenario(
    base_urls: list[str], tokens: list[str], sockets: int, server_pids: list[int], seconds: float
) -> Outcome:
    """Open ``sockets`` event streams (the tokens in turn), spread over workers, post,
    collect."""
    targets = [(base_urls[i % len(base_urls)], tokens[i % len(tokens)]) for i in range(sockets)]
    ctx = mp.get_context("spawn")
    workers: list[tuple[mp.process.BaseProcess, Connection]] = []
    try:
        for w in range(WORKERS):
            parent_end, child_end = ctx.Pipe()
            proc = ctx.Process(
                target=_listener_worker, args=(targets[w::WORKERS], child_end), daemon=True
            )
            proc.start()
            child_end.close()
            workers.append((proc, parent_end))
        connected = 0
        for _, pipe in workers:
            if not pipe.poll(120):
                raise RuntimeError("a listener worker did not connect in 120 s")
            kind, value = pipe.recv()
            if kind != "ready":
                raise RuntimeError(f"listener worker failed: {value}")
            connected += value
        note(f"{connected} sockets connected over {WORKERS} worker processes")
        began: list[float] = []

        def mark() -> None:
            began.append(sum(cpu_seconds(pid) for pid in server_pids))

        sent = asyncio.run(post_traffic(base_urls, RATE, seconds, mark))
        for _, pipe in workers:
            pipe.send(sent)
        results: list[ListenerResult] = []
        for _, pipe in workers:
            if not pipe.poll(DRAIN_SECONDS + 60):
                raise RuntimeError("a listener worker did not report")
            kind, value = pipe.recv()
            if kind != "done":
                raise RuntimeError(f"listener worker failed: {value}")
            results.append(value)
        server_cpu = sum(cpu_seconds(pid) for pid in server_pids) - began[0]
    finally:
        for proc, pipe in workers:
            proc.join(timeout=10)
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.join(timeout=5)
            pipe.close()
    by_round: dict[int, list[float]] = {}
    for r in results:
        for rnd, ms in r.latencies:
            by_round.setdefault(rnd, []).append(ms)
    received = sum(sum(r.received.values()) for r in results)
    expected = len(sent) * sockets
    p50s = [percentile(v, 50) for v in by_round.values()]
    p99s = [percentile(v, 99) for v in by_round.values()]
    note(
        "per-window p50 "
        + ", ".join(f"{v:.1f}" for v in p50s)
        + " ms; p99 "
        + ", ".join(f"{v:.1f}" for v in p99s)
        + " ms"
    )
    if any(r.closed_early for r in results):
        note(f"{sum(r.closed_early for r in results)} sockets were closed by the server early")
    return Outcome(
        p50=statistics.median(p50s),
        p99=statistics.median(p99s),
        p99_worst=max(p99s),
        lost=expected - received,
        duplicates=sum(r.duplicates for r in results),
        deliveries=received,
        sockets=sockets,
        seconds=seconds,
        server_cpu=server_cpu,
        bench_cpu=sum(r.cpu for r in results),
    )


def broadcast_floor() -> tuple[float, float]:
    p50, p99, lost = asyncio.run(floors.websocket_broadcast_latency(LISTENERS, RATE, 10))
    note(
        f"raw aiohttp broadcast floor ({LISTENERS} sockets, {RATE:g}/s): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, lost {lost}"
    )
    return p50, p99


def report(prefix: str, out: Outcome, floor: tuple[float, float], goal_p99: float) -> None:
    extra = {"listeners": LISTENERS, "rate": RATE, "seconds": SECONDS, "workers": WORKERS}
    emit(f"{prefix}.delivery_p50", out.p50, "ms", None, floor=floor[0], **extra)
    emit(
        f"{prefix}.delivery_p99", out.p99, "ms", goal_p99, floor=floor[1],
        ratio_to_floor=round(out.p99 / floor[1], 2), worst_window_p99=round(out.p99_worst, 1),
        **extra,
    )  # fmt: skip
    emit(f"{prefix}.lost", out.lost, "deliveries", 0, deliveries=out.deliveries)
    emit(f"{prefix}.duplicates", out.duplicates, "frames", 0)


def cached_tokens(seed: Path) -> list[str]:
    """The specialists' tokens, signed in once into the cached seed (tokens live 12 h).

    500 argon2 logins cost ≈80 s of this machine's CPU; PostgreSQL runs pay it every time."""
    path = seed.with_suffix(".tokens.json")
    with contextlib.suppress(OSError, ValueError, KeyError):
        saved = json.loads(path.read_text())
        if (
            time.time() - saved["made"] < 10 * 3600
            and saved["seed_mtime"] == seed.stat().st_mtime
            and len(saved["tokens"]) >= LISTENERS
        ):
            return list(saved["tokens"])[:LISTENERS]
    server = ServerProcess(f"sqlite:///{seed}", None, RESULTS / "signin-server.log")
    try:
        tokens = sign_in_specialists([server.wait_ready(60)])
    finally:
        server.stop()
    made = {"made": time.time(), "seed_mtime": seed.stat().st_mtime, "tokens": tokens}
    path.write_text(json.dumps(made))
    return tokens


def curve_floors() -> dict[int, float]:
    """The raw aiohttp broadcast's p99 at each point of the curve (the machine's own knee:
    the same sockets and rate with no server work at all)."""
    floors_at: dict[int, float] = {}
    for n in POINTS:
        _p50, p99, lost = asyncio.run(floors.websocket_broadcast_latency(n, RATE, CURVE_SECONDS))
        note(f"raw aiohttp broadcast floor at {n} sockets: p99 {p99:.1f} ms, lost {lost}")
        floors_at[n] = p99
    return floors_at


def curve(prefix: str, out: Outcome, goal_p99: float, floor_p99: float) -> None:
    """One point of the curve: p99 (beside the raw broadcast's at the same point), the
    zero-loss checks and the CPU per 1 000 deliveries."""
    n = out.sockets
    extra = {"sockets": n, "rate": RATE, "seconds": out.seconds}
    emit(
        f"{prefix}.p99_at_{n}",
        out.p99,
        "ms",
        goal_p99,
        floor=round(floor_p99, 1),
        ratio_to_floor=round(out.p99 / floor_p99, 2),
        worst_window_p99=round(out.p99_worst, 1),
        **extra,
    )
    emit(f"{prefix}.lost_at_{n}", out.lost, "deliveries", 0, deliveries=out.deliveries)
    emit(f"{prefix}.duplicates_at_{n}", out.duplicates, "frames", 0)
    per_1000 = out.server_cpu / max(1, out.deliveries) * 1000
    emit(
        f"{prefix}.cpu_per_1000_at_{n}", per_1000, "cpu-s", None,
        server_cpu_s=round(out.server_cpu, 2), listeners_cpu_s=round(out.bench_cpu, 2), **extra,
    )  # fmt: skip
    note(
        f"{prefix} at {n} sockets: p99 {out.p99:.1f} ms; server CPU {out.server_cpu:.1f} s "
        f"({per_1000:.3f} s per 1 000 deliveries); the listeners' CPU {out.bench_cpu:.1f} s"
    )


def run_points(
    prefix: str,
    base_urls: list[str],
    tokens: list[str],
    pids: list[int],
    goal: float,
    floors_at: dict[int, float],
) -> Outcome:
    """Every point of the curve against the same servers; returns the headline point's."""
    headline: Outcome | None = None
    for n in POINTS:
        seconds = SECONDS if n == LISTENERS else CURVE_SECONDS
        out = run_scenario(base_urls, tokens, n, pids, seconds)
        curve(prefix, out, goal, floors_at[n])
        if n == LISTENERS:
            headline = out
    assert headline is not None
    return headline


def bench_sqlite(floor: tuple[float, float], floors_at: dict[int, float]) -> None:
    seed = cached_sqlite_seed()
    tokens = cached_tokens(seed)
    with server_on_copy(seed) as (server, _tmp):
        base = server.wait_ready(60)
        out = run_points("server.sqlite", [base], tokens, [server.proc.pid], 50, floors_at)
    report("server.sqlite", out, floor, 50)
    emit("server.sqlite.delivery_p99_to_floor", out.p99 / floor[1], "x", 2, floor=1.0)


def bench_postgres(floor: tuple[float, float], floors_at: dict[int, float]) -> None:
    cluster = PostgresCluster()
    servers: list[ServerProcess] = []
    try:
        url = cluster.start()
        t0 = time.monotonic()
        first = ServerProcess(url, "large", cluster.dir / "server-a.log")
        servers.append(first)
        first.wait_ready(300)
        note(f"PostgreSQL seeded with the large set in {time.monotonic() - t0:.0f} s")
        second = ServerProcess(url, None, cluster.dir / "server-b.log")
        servers.append(second)
        second.wait_ready(60)
        urls = [first.url, second.url]
        tokens = sign_in_specialists(urls)
        pids = [s.proc.pid for s in servers]
        out = run_points("server.pg2", urls, tokens, pids, 100, floors_at)
    finally:
        for s in servers:
            s.stop()
        cluster.stop()
    report("server.pg2", out, floor, 100)


def main() -> None:
    started = time.monotonic()
    floor = broadcast_floor()
    floors_at = curve_floors()
    bench_sqlite(floor, floors_at)
    if WITH_PG:
        bench_postgres(floor, floors_at)
    note(f"bench_server took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
