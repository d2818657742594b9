"""`python -m app` / `linedesk`: parse the command line, then hand over to the UI.

Nothing heavy is imported here (no aiohttp, no SQLAlchemy, no Qt widgets
before `ui.main.run`): the UI shows its window first and imports the core's
heavy parts after the first paint. In demo mode the embedded server (a child
process) is spawned first of all, so it starts while the window is built.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

DEMO_TRAFFIC = 1 / 20
"""In demo mode a client user writes in about every 20 seconds, so the window is alive."""

if TYPE_CHECKING:
    from app.demo_server import DemoServer
    from app.settings import Settings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="linedesk", description="LineDesk: the desktop workplace of a support specialist."
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--server", metavar="URL", help="the ticket server, e.g. https://support.example.com"
    )
    src.add_argument(
        "--demo",
        action="store_true",
        help="start the embedded demo server and sign in the demo specialist (the default "
        "when no server is configured)",
    )
    p.add_argument("--login", help="prefill the sign-in dialog with this login")
    p.add_argument(
        "--data-dir", metavar="DIR", help="local data (cache, outbox, demo database) go here"
    )
    p.add_argument("--config-dir", metavar="DIR", help="settings.json goes here")
    p.add_argument("--log-dir", metavar="DIR", help="the rotating log file goes here")
    p.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="how much to log (default INFO)",
    )
    p.add_argument("--lang", choices=["ru", "en"], help="the interface language (default: system)")
    p.add_argument(
        "--no-single-instance",
        action="store_true",
        help="do not hand over to an already running window",
    )
    return p.parse_args(argv)


def load_settings(args: argparse.Namespace) -> Settings:
    from app.settings import Settings

    config_dir = getattr(args, "config_dir", None)
    return Settings.load(Path(config_dir) / "settings.json" if config_dir else None)


def demo_wanted(args: argparse.Namespace, settings: Settings) -> bool:
    """Demo mode: asked for, or the default when no server is given or configured."""
    return bool(getattr(args, "demo", False)) or (
        not getattr(args, "server", None) and not settings.server_url
    )


def spawn_demo_server(args: argparse.Namespace) -> DemoServer | None:
    """In demo mode, start the embedded server's process now (it is waited for later)."""
    if not demo_wanted(args, load_settings(args)):
        return None
    from app.demo_server import DemoServer

    server = DemoServer(getattr(args, "data_dir", None) or None, traffic=DEMO_TRAFFIC)
    try:
        server.spawn()
    except OSError as e:  # reported again, in the window, when the Workplace starts it
        print(f"linedesk: the demo server cannot start: {e}", file=sys.stderr)
        return None
    return server


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import ui.main
    except ImportError as e:
        print(f"linedesk: the window cannot start: {e}", file=sys.stderr)
        return 2
    # the window calls spawn_demo_server right after its first paint (and not at all when
    # another LineDesk is running): the server starts while the rest of the window is built
    result = ui.main.run(args, spawn_demo_server)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
