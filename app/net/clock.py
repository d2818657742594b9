"""The server's clock against ours, from the HTTP `Date` header of its replies.

A workstation's clock may be hours off (a wrong time zone set as local time, a dead CMOS
battery): the reply-time guard compared the server's times with it (red at once, or never
amber), and a disconnection "for an hour" was sent as a time already past.

Only the ticket server's own successful API replies teach it (a 2xx in JSON, or a 204): a
proxy's error page or a 5xx from a gateway carries the proxy's clock, not the server's.
`Date` is in whole seconds and stamped somewhere within the round trip, so one sample is
the offset less 0 to 1 s plus the round trip; two samples of the same clocks differ by
about a second. The offset is therefore kept until a sample differs from it by more than
`HYSTERESIS_S` — a right clock stays at exactly 0, a clock set or stepped moves it at the
next reply. (Keeping the minimum-round-trip sample, as NTP does, would need the request's
timing and an age for samples to follow a step; one threshold is enough at this
resolution.)
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

HYSTERESIS_S = 2.0


def offset_from(date_header: str | None, now: float | None = None) -> float | None:
    """Seconds the server's clock is ahead of ours by one reply, None when the header is
    absent or unreadable."""
    if not date_header:
        return None
    try:
        server = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return server - (time.time() if now is None else now)


def from_our_api(status: int, content_type: str) -> bool:
    """A reply the ticket server itself sent with success: 204, or a 2xx in JSON."""
    return status == 204 or (200 <= status < 300 and content_type == "application/json")


def learnt(
    offset: float,
    status: int,
    content_type: str,
    date_header: str | None,
    now: float | None = None,
) -> float:
    """The offset after one reply, from `offset` before it: learnt only from our API's
    successful replies, moved only by a sample beyond `HYSTERESIS_S` of it."""
    if not from_our_api(status, content_type):
        return offset
    sample = offset_from(date_header, now)
    if sample is None or abs(sample - offset) <= HYSTERESIS_S:
        return offset
    return sample
