"""RFC 4028 session timers: what a message asks for, and the headers we answer with.

The timer machinery (a refresher's loop at half the interval, a watchdog that gives up at
`interval − min(32, interval/3)`) and the Session-Expires parser are aiosipua 0.7.1's
(`aiosipua.session_timer`); its UAC/UAS integration is not used (LineDesk owns the dialog
layer, docs/telephony.md), so the negotiation lives here:

- a UAC's INVITE says `Supported: timer`; a 2xx with Session-Expires arms the timer with
  the refresher it names (us, when it names the UAC);
- a UAS answers an INVITE that asks for a session interval with the same interval and a
  refresher (the one asked for, else the UAC when it supports timers, else us), `Require:
  timer` when the UAC supports them, and 422 with our Min-SE when the interval is below it;
- whoever refreshes sends a bodyless UPDATE when the other side allows UPDATE, else a
  re-INVITE; the other side's watchdog ends a session nobody refreshes (a peer that vanished
  without a BYE) with a BYE, as lost.
"""

from __future__ import annotations

from aiosipua import SipRequest, SipResponse
from aiosipua.session_timer import DEFAULT_MIN_SE, parse_session_expires, peer_allows_update

from telephony.sip import address

MIN_SE = DEFAULT_MIN_SE  # seconds (RFC 4028 §4: at least 90)
Message = SipRequest | SipResponse


def _values(message: Message, name: str, compact: str = "") -> list[str]:
    found = list(message.headers.get(name))
    if compact:
        found += message.headers.get(compact)
    return [one.strip() for value in found for one in address.split_list(value) if one.strip()]


def asked(message: Message) -> tuple[int, str | None] | None:
    """(interval, refresher "uac"/"uas"/None) of a Session-Expires (or compact "x"), or None
    when there is none or it cannot be read."""
    values = list(message.headers.get("session-expires")) + list(message.headers.get("x"))
    if not values:
        return None
    interval, refresher = parse_session_expires(values[0])
    if interval <= 0:
        return None
    return interval, refresher if refresher in ("uac", "uas") else None


def supports_timer(message: Message) -> bool:
    """Does the sender support session timers (Supported, compact "k", or Require)?"""
    named = _values(message, "supported", "k") + _values(message, "require")
    return any(option.lower() == "timer" for option in named)


def allows_update(message: Message) -> bool:
    return peer_allows_update(_values(message, "allow"))


def header(interval: int, refresher: str) -> str:
    return f"{interval};refresher={refresher}"


def grant(invite: SipRequest, ok: SipResponse) -> tuple[int, str] | None:
    """Our 2xx to `invite` keeps the session interval it asks for (RFC 4028 §9): the same
    interval, the refresher asked for (else the UAC when it supports timers, else us), and
    `Require: timer` when it supports them. (interval, refresher), or None: none asked."""
    wanted = asked(invite)
    if wanted is None:
        return None
    supported = supports_timer(invite)
    refresher = wanted[1] or ("uac" if supported else "uas")
    ok.set_header("Session-Expires", header(wanted[0], refresher))
    if supported:
        ok.set_header("Require", "timer")
    return wanted[0], refresher


__all__ = ["MIN_SE", "allows_update", "asked", "grant", "header", "supports_timer"]
