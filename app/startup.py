"""What a start decides before the window exists: the command line, the settings file,
demo mode, and the embedded demo server's process (spawned first of all, so it starts
while the window is built).

Nothing heavy is imported here (no aiohttp, no SQLAlchemy, no Qt): `app.__main__` and
the window's life (ui.mainwindow.lifecycle) both read it.
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
    from app.demo.server import DemoServer
    from app.store.settings import Settings


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
        "link",
        nargs="?",
        default="",
        help="a tel: or sip: link (a click on one in another program): the dialer opens with "
        "its number, in the LineDesk already running if there is one",
    )
    p.add_argument(
        "--no-single-instance",
        action="store_true",
        help="do not hand over to an already running window",
    )
    return p.parse_args(argv)


def load_settings(args: argparse.Namespace) -> Settings:
    from app.store.settings import Settings

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
    from app.demo.server import DemoServer

    server = DemoServer(getattr(args, "data_dir", None) or None, traffic=DEMO_TRAFFIC)
    try:
        server.spawn()
    except OSError as e:  # reported again, in the window, when the Workplace starts it
        print(f"linedesk: the demo server cannot start: {e}", file=sys.stderr)
        return None
    return server
