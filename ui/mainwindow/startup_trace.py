"""Startup milestones for the benchmark: with LINEDESK_TRACE_STARTUP=1 the program
prints `PAINTED <epoch>` at the window's first paint and `DATA <epoch>` when a line's
users are first on screen (tests/benchmarks/bench_client.py reads them)."""

from __future__ import annotations

import os
import sys
import time

_ENABLED = os.environ.get("LINEDESK_TRACE_STARTUP") == "1"
_seen: set[str] = set()


def mark(milestone: str) -> None:
    if _ENABLED and milestone not in _seen:
        _seen.add(milestone)
        print(f"{milestone} {time.time():.6f}", file=sys.stdout, flush=True)
