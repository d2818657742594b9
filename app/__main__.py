"""`python -m app` / `linedesk`: parse the command line, then hand over to the UI.

Nothing heavy is imported here (no aiohttp, no SQLAlchemy, no Qt widgets
before `ui.main.run`): the UI shows its window first and imports the core's
heavy parts after the first paint (app/startup.py has what a start decides).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.startup import parse_args, spawn_demo_server


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
