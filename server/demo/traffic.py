"""Demo traffic: client users sign in over the public API and write plausible messages.

    python -m server.demo.traffic --url http://127.0.0.1:8080 --rate 0.2 --duration 0

``--rate`` is messages per second in total, ``--duration`` seconds (0 runs until
interrupted). Users are the seeded client users (password ``demo``); pass
``--login`` several times to choose them. The benchmark imports :func:`run_traffic`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from server.demo.dialogues import CLIENT_OPENERS
from server.demo.world import DEMO_PASSWORD

__all__ = ["ServerGone", "TrafficStats", "default_logins", "main", "run_traffic"]

log = logging.getLogger(__name__)
API = "/api/v1"


class ServerGone(RuntimeError):
    """The server stopped answering."""


@dataclass
class TrafficStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    users: int = 0
    sent_at: list[float] = field(default_factory=list)  # monotonic send times (for benchmarks)


@dataclass
class _Client:
    login: str
    token: str
    chat_ids: list[int]


def default_logins(limit: int = 40) -> list[str]:
    """The first ``limit`` seeded client users (see :mod:`server.demo.seed`)."""
    from server.demo.seed import client_logins

    return client_logins()[:limit]


async def _sign_in(
    http: aiohttp.ClientSession, base: str, login: str, password: str
) -> _Client | None:
    async with http.post(
        f"{base}{API}/auth/login", json={"login": login, "password": password}
    ) as r:
        if r.status != 200:
            log.warning("cannot sign in as %s: HTTP %s", login, r.status)
            return None
        token = str((await r.json())["token"])
    async with http.get(f"{base}{API}/chats", headers={"Authorization": f"Bearer {token}"}) as r:
        if r.status != 200:
            log.warning("cannot list chats of %s: HTTP %s", login, r.status)
            return None
        chats = [int(c["id"]) for c in (await r.json())["items"]]
    return _Client(login, token, chats) if chats else None


async def _send(
    http: aiohttp.ClientSession,
    base: str,
    client: _Client,
    chat_id: int,
    text: str,
    stats: TrafficStats,
) -> None:
    msg_id = uuid.uuid4()
    url = f"{base}{API}/chats/{chat_id}/messages/{msg_id}"
    headers = {"Authorization": f"Bearer {client.token}"}
    for attempt in range(3):  # the PUT is idempotent: a retry with the same id is safe
        try:
            async with http.put(url, json={"text": text}, headers=headers) as r:
                if r.status in (200, 201):
                    stats.sent += 1
                    stats.sent_at.append(time.monotonic())
                    return
                if r.status == 429:
                    await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
                    stats.retried += 1
                    continue
                if r.status == 403 and len(client.chat_ids) > 1:  # disconnected, or the
                    client.chat_ids.remove(chat_id)  # connection ended: not that chat again
                    log.info("%s cannot write to chat %s any more", client.login, chat_id)
                else:
                    log.warning("message from %s refused: HTTP %s", client.login, r.status)
                stats.failed += 1
                return
        except aiohttp.ClientConnectionError as exc:
            if attempt == 2:
                raise ServerGone(f"the server at {base} stopped answering ({exc})") from exc
            stats.retried += 1
            await asyncio.sleep(0.5 * (attempt + 1))
    stats.failed += 1


RATING_COMMENTS = ("Спасибо, всё решили!", "Быстро и понятно.", "", "Помогли, благодарю.")


async def _rate_finished(
    http: aiohttp.ClientSession, base: str, client: _Client, chat_id: int, rng: random.Random
) -> None:
    """The user rates the chat's last finished ticket if it is not rated yet (CSAT: what a
    real user does after a specialist finishes work), before writing again."""
    headers = {"Authorization": f"Bearer {client.token}"}
    async with http.get(f"{base}{API}/chats/{chat_id}/steps", headers=headers) as r:
        if r.status != 200:
            return
        steps = (await r.json())["items"]
    rated = {s["ticket_id"] for s in steps if s["kind"] == "rated"}
    finished = [s["ticket_id"] for s in steps if s["kind"] == "finished"]
    if not finished or finished[-1] in rated:
        return
    body = {"score": rng.choice((3, 4, 5, 5, 5)), "comment": rng.choice(RATING_COMMENTS)}
    url = f"{base}{API}/tickets/{finished[-1]}/rating"
    async with http.post(url, json=body, headers=headers) as r:
        if r.status not in (200, 409):  # 409: rated meanwhile (another run of the traffic)
            log.warning("rating by %s refused: HTTP %s", client.login, r.status)


async def run_traffic(
    url: str,
    rate: float,
    duration: float,
    *,
    logins: Sequence[str] | None = None,
    password: str = DEMO_PASSWORD,
    seed: int | None = None,
    concurrency: int = 64,
) -> TrafficStats:
    """Post ``rate`` messages per second (in total, spread over the users) for ``duration``
    seconds (0 — until cancelled). Raises :class:`ServerGone` when the server vanishes."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    base = url.rstrip("/")
    rng = random.Random(seed)
    stats = TrafficStats()
    timeout = aiohttp.ClientTimeout(total=15)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        names = list(logins) if logins is not None else default_logins()
        try:
            signed = await asyncio.gather(*(_sign_in(http, base, n, password) for n in names))
        except aiohttp.ClientConnectionError as exc:
            raise ServerGone(f"cannot reach the server at {base} ({exc})") from exc
        clients = [c for c in signed if c is not None]
        stats.users = len(clients)
        if not clients:
            raise RuntimeError(f"no client user could sign in at {base}")
        interval = 1.0 / rate
        start = time.monotonic()
        deadline = start + duration if duration > 0 else None
        pending: set[asyncio.Task[None]] = set()
        failures: list[BaseException] = []
        sem = asyncio.Semaphore(concurrency)

        async def one(client: _Client, chat_id: int, text: str) -> None:
            async with sem:
                with contextlib.suppress(aiohttp.ClientError, KeyError, ValueError):
                    await _rate_finished(http, base, client, chat_id, rng)
                await _send(http, base, client, chat_id, text, stats)

        def finished(task: asyncio.Task[None]) -> None:
            pending.discard(task)
            if not task.cancelled() and task.exception() is not None:
                failures.append(task.exception())  # type: ignore[arg-type]

        n = 0
        try:
            while deadline is None or time.monotonic() < deadline:
                if failures:
                    raise failures[0]
                client = rng.choice(clients)
                text = rng.choice(CLIENT_OPENERS)
                task = asyncio.create_task(one(client, rng.choice(client.chat_ids), text))
                pending.add(task)
                task.add_done_callback(finished)
                n += 1
                await asyncio.sleep(max(0.0, start + n * interval - time.monotonic()))
            await asyncio.gather(*list(pending), return_exceptions=True)
            if failures:
                raise failures[0]
        finally:
            for t in list(pending):
                t.cancel()
            await asyncio.gather(*list(pending), return_exceptions=True)
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.demo.traffic", description="Play client users writing in."
    )
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the server's base URL")
    parser.add_argument("--rate", type=float, default=0.2, help="messages per second (total)")
    parser.add_argument("--duration", type=float, default=0, help="seconds; 0 runs until Ctrl+C")
    parser.add_argument("--login", action="append", help="a client login (repeatable)")
    parser.add_argument("--users", type=int, default=40, help="how many seeded users to play")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logins = args.login or default_logins(args.users)
    try:
        stats = asyncio.run(
            run_traffic(args.url, args.rate, args.duration, logins=logins, password=args.password)
        )
    except ServerGone as exc:
        print(f"traffic stopped: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        print(f"traffic cannot start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    print(f"sent {stats.sent} messages as {stats.users} users ({stats.failed} failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
