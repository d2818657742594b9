"""`python -m app` / `linedesk`: parse the command line, then hand over to the UI.

Nothing heavy is imported here (no aiohttp, no SQLAlchemy, no Qt widgets
before `ui.main.run`): the UI shows its window first and imports the core's
heavy parts after the first paint.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


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


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import ui.main
    except ImportError as e:
        print(f"linedesk: the window cannot start: {e}", file=sys.stderr)
        return 2
    result = ui.main.run(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
