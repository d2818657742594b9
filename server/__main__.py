"""``python -m server`` / ``linedesk-server``: migrate, seed once, serve.

Prints ``LINEDESK-SERVER READY http://HOST:PORT`` on stdout when listening; exits 2 with a
one-line error for a bad database URL, an unreachable database or a busy port."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import errno
import gc
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from aiohttp import web
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from contract.calls import MAX_RECORDING
from server.app import build_app, tidy
from server.auth.tokens import account_by_login, issue_token
from server.core.blobs import remove_all, sweep_partial
from server.core.config import DEFAULT_EVENT_RETENTION, DEFAULT_SUBSCRIBER_BACKLOG, Settings
from server.core.db import BadDatabaseUrl, Database, parse_url
from server.core.edge import EdgeRunner
from server.core.installation import ensure as ensure_installation
from server.demo.seeding import seed_once

log = logging.getLogger("linedesk.server")

DEFAULT_DB = "sqlite:///linedesk.db"
USAGE_ERROR = 2


class StartupError(Exception):
    """A clear, one-line reason the server cannot start."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="linedesk-server", description=__doc__)
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument(
        "--seed",
        choices=["demo", "large"],
        help="fill an empty database (a database with data is left as it is)",
    )
    parser.add_argument(
        "--reseed-stale-demo",
        action="store_true",
        help="the embedded demo's own database: seeded on an earlier day, it is emptied and "
        "seeded again (its dates are relative to its day: server/demo/seeding.py)",
    )
    parser.add_argument(
        "--files",
        type=Path,
        help="where uploaded files go (default: beside a SQLite file, else ./linedesk-files)",
    )
    parser.add_argument(
        "--event-retention",
        type=int,
        default=DEFAULT_EVENT_RETENTION,
        help="events kept per company",
    )
    parser.add_argument(
        "--subscriber-backlog",
        type=int,
        default=DEFAULT_SUBSCRIBER_BACKLOG,
        help="events held for a WebSocket that falls behind before it is closed (1013)",
    )
    parser.add_argument(
        "--heartbeat",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="a WebSocket that answers no ping within half of this is closed; below the "
        "idle timeout of any proxy in front of the server (15)",
    )
    parser.add_argument(
        "--demo-traffic",
        type=float,
        default=0.0,
        metavar="RATE",
        help="demo client users write in, RATE messages per second in all (0: off)",
    )
    parser.add_argument(
        "--stop-with-stdin",
        action="store_true",
        help="stop when standard input ends: the program that started this server (and holds "
        "the other end of the pipe) is gone, even if it was killed",
    )
    parser.add_argument(
        "--sign-in-demo",
        action="store_true",
        help="print a session token of the demo specialist on standard output before READY "
        "(LINEDESK-SERVER TOKEN …): for the program that started this embedded server and "
        "reads its output, so its first sign-in needs no password check",
    )
    parser.add_argument(
        "--sweep-every",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how often what time made stale is changed: tickets idle past their line's "
        "auto-finish time finished, remote-desktop requests nobody answered timed out (10)",
    )
    parser.add_argument(
        "--unused-file-grace",
        type=float,
        default=86400.0,
        metavar="SECONDS",
        help="how long an uploaded file no message carries is kept (the client may still "
        "send its message) before it is removed with its data (86400: a day)",
    )
    parser.add_argument(
        "--max-recording-size",
        type=int,
        default=MAX_RECORDING,
        metavar="BYTES",
        help=f"the largest call recording taken ({MAX_RECORDING}: about 5 hours)",
    )
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def files_dir(url: URL, explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).with_name(Path(url.database).name + ".files")
    return Path("linedesk-files")


async def serve(args: argparse.Namespace) -> None:
    try:
        url = parse_url(args.db)
    except BadDatabaseUrl as exc:
        raise StartupError(str(exc)) from exc
    settings = Settings(
        files_dir=files_dir(url, args.files),
        event_retention=args.event_retention,
        subscriber_backlog=max(1, args.subscriber_backlog),
        heartbeat_seconds=max(1.0, args.heartbeat),
        sweep_every=max(0.05, args.sweep_every),
        unused_file_grace=dt.timedelta(seconds=max(0.0, args.unused_file_grace)),
        max_recording_size=max(1, args.max_recording_size),
    )
    db = Database(url)
    try:
        seeded = await _prepare(db, args.seed, settings.event_retention, args.reseed_stale_demo)
        demo_token = await _demo_token(db, settings.token_ttl) if args.sign_in_demo else None
        beside = url.get_backend_name() == "sqlite" and settings.files_dir == files_dir(url, None)
        if seeded and args.reseed_stale_demo and beside:  # the embedded demo's own files
            remove_all(settings.files_dir)  # (beside its database): no row names them now
        settings.files_dir.mkdir(parents=True, exist_ok=True)
        sweep_partial(settings.files_dir)  # uploads a killed server left half written (and
        # every few minutes while running: server/chats/unused.py)
        # aiohttp's own answers (a request it cannot parse) as problem+json, within LIMITS
        runner = EdgeRunner(build_app(db, settings), access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, args.host, args.port)
            try:
                await site.start()
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise StartupError(f"port {args.port} on {args.host} is busy") from exc
                raise StartupError(
                    f"cannot listen on {args.host}:{args.port}: {exc.strerror}"
                ) from exc
            stopped = _stop_signal(args.stop_with_stdin)
            port = runner.addresses[0][1]
            _freeze_heap(collect_first=seeded)
            if demo_token is not None:
                print(f"LINEDESK-SERVER TOKEN {demo_token}", flush=True)
            print(f"LINEDESK-SERVER READY http://{args.host}:{port}", flush=True)
            traffic = _demo_traffic(f"http://{args.host}:{port}", args.demo_traffic)
            await stopped.wait()
            if traffic is not None:
                traffic.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await traffic
        finally:
            await runner.cleanup()
    finally:
        await db.close()


def _demo_traffic(url: str, rate: float) -> asyncio.Task[None] | None:
    """Demo client users writing in (server/demo/traffic.py), so a demo window is alive."""
    if rate <= 0:
        return None
    from server.demo.traffic import ServerGone, default_logins, run_traffic

    async def play() -> None:
        try:
            await run_traffic(url, rate, 0, logins=default_logins(limit=8))
        except (ServerGone, RuntimeError) as exc:
            log.warning("demo traffic stopped: %s", exc)

    return asyncio.create_task(play(), name="demo traffic")


def _freeze_heap(collect_first: bool) -> None:
    """What the start built (modules, metadata) lives as long as the process: move it out
    of the cyclic collector's reach, so that full collections under load scan only what
    requests made (40-90 ms pauses every few seconds before: the p99). A full collection
    first (≈ 40 ms, before READY) only after seeding, whose leftovers are worth freeing."""
    if collect_first:
        gc.collect()
    gc.freeze()


async def _prepare(
    db: Database, seed: str | None, event_retention: int, reseed_stale: bool = False
) -> bool:
    """Migrate, seed, tidy up; True when this start seeded."""
    seeded = False
    try:
        await db.migrate()
        if seed is not None:
            seeded = await seed_once(db, seed, reseed_stale=reseed_stale)
        async with db.write() as session:
            await tidy(session, event_retention)
        await ensure_installation(db)  # which server this is (a fresh database's first start)
    except (OperationalError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StartupError(f"cannot use the database: {reason}") from exc
    await db.warm()  # PostgreSQL's pools opened now, not by the first busy second's requests
    return seeded


async def _demo_token(db: Database, ttl: dt.timedelta) -> str:
    """A session of the demo specialist, as a sign-in would make it (minus argon2's ≈ 50 ms)."""
    from server.demo.world import DEMO_LOGIN  # the demo's data: loaded only when asked for

    async with db.read() as session:
        found = await account_by_login(session, DEMO_LOGIN)
    if found is None or not found[0].is_specialist:
        raise StartupError(f"--sign-in-demo: there is no demo specialist {DEMO_LOGIN!r}")
    async with db.write() as session:
        token, _expires = await issue_token(session, found[0], ttl)
    return token


def _stop_signal(with_stdin: bool = False) -> asyncio.Event:
    """Set on SIGINT/SIGTERM (installed before READY, so an early stop is still clean) and,
    `with_stdin`, at the end of standard input."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if with_stdin:

        def wait_for_eof() -> None:
            # os.read on the bare descriptor: sys.stdin's buffer holds a lock while it
            # blocks, and the interpreter aborts at exit when a thread holds that lock
            with contextlib.suppress(OSError):
                while os.read(stdin, 4096):
                    pass
            with contextlib.suppress(RuntimeError):  # the loop closed: stopping anyway
                loop.call_soon_threadsafe(stop.set)

        stdin = sys.stdin.fileno()

        threading.Thread(target=wait_for_eof, name="stop-with-stdin", daemon=True).start()
    return stop


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    try:
        asyncio.run(serve(args))
    except StartupError as exc:
        print(f"linedesk-server: {exc}", file=sys.stderr, flush=True)
        return USAGE_ERROR
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
