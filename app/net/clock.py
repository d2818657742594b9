"""The server's clock against ours, from the HTTP `Date` header of its replies.

A workstation's clock may be hours off (a wrong time zone set as local time, a dead CMOS
battery): the reply-time guard compared the server's times with it (red at once, or never
amber), and a disconnection "for an hour" was sent as a time already past. `Date` is in
whole seconds, so an offset within `SLACK_S` is taken as none.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

SLACK_S = 5.0


def offset_from(date_header: str | None, now: float | None = None) -> float | None:
    """Seconds the server's clock is ahead of ours (0.0 within the slack), None when the
    header is absent or unreadable."""
    if not date_header:
        return None
    try:
        server = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    offset = server - (time.time() if now is None else now)
    return offset if abs(offset) > SLACK_S else 0.0
