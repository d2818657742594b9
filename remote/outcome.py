"""A viewer's phases and how each backend's log tells them.

TigerVNC 1.12 exits 0 on a wrong password, a refused connection and a declined request
alike, so the outcome is read from its log (run with LC_MESSAGES=C.UTF-8, the untranslated
one). Lines seen on this machine:

    main:        Listening on port 41973                           → listening (reverse)
    CConn:       unable to connect to socket: Connection refused   → refused
    CConn:       unable to connect to socket: <other reason>       → unreachable
    CConnection: Using RFB protocol version 3.8                    → the host answered
    CConn:       read: Connection reset by peer (104)  (before any
                 security type was chosen: the user's side said No) → declined
    CConn:       Authentication failure: password check failed!    → password rejected
    CConn:       Using pixel format depth 24 ...                   → connected
"""

from __future__ import annotations

import re
from enum import StrEnum, unique


@unique
class Phase(StrEnum):
    STARTING = "starting"
    LISTENING = "listening"
    WAITING = "waiting"  # the host answered; waiting for the user or the password check
    CONNECTED = "connected"
    HANDED_OVER = "handed_over"  # a single-instance viewer took it; its process is gone
    ENDED = "ended"
    PASSWORD_REJECTED = "password_rejected"  # noqa: S105 - a phase, not a password
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    VIEWER_MISSING = "viewer_missing"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self not in _LIVE


_LIVE = frozenset({Phase.STARTING, Phase.LISTENING, Phase.WAITING, Phase.CONNECTED})


class LogReader:
    """Reads a viewer's log line by line; `feed` returns a new phase or None."""

    def feed(self, line: str) -> Phase | None:  # pragma: no cover - the protocol
        raise NotImplementedError

    def at_exit(self, returncode: int, connected: bool) -> Phase:
        """The phase when the viewer ends and its log said nothing final."""
        return Phase.ENDED if connected else Phase.FAILED


class TigerVncLog(LogReader):
    def __init__(self) -> None:
        self._answered = False
        self._security = False

    def feed(self, line: str) -> Phase | None:
        if "Listening on port" in line:
            return Phase.LISTENING
        if "unable to connect to socket" in line:
            return Phase.REFUSED if "refused" in line.lower() else Phase.UNREACHABLE
        if "Authentication failure" in line or "password check failed" in line:
            return Phase.PASSWORD_REJECTED
        if "Using pixel format" in line:
            return Phase.CONNECTED
        if "Choosing security type" in line:
            self._security = True
            return None
        if "Using RFB protocol version" in line:
            self._answered = True
            return Phase.WAITING
        if self._answered and not self._security and _CLOSED.search(line):
            return Phase.DECLINED
        return None


_CLOSED = re.compile(r"Connection reset by peer|End of stream|Connection closed|Broken pipe")


class FreeRdpLog(LogReader):
    """FreeRDP 2 at /log-level:DEBUG: its connection states (seen here against
    freerdp-shadow-cli with NLA) and its ERRCONNECT_* codes.

        CONNECTION_STATE_FINALIZATION --> CONNECTION_STATE_ACTIVE   → connected
        CONNECTION_STATE_NLA --> CONNECTION_STATE_INITIAL           → password rejected (NLA)
        CONNECTION_STATE_NEGO --> CONNECTION_STATE_INITIAL          → refused (nobody answered)
    """

    _CODES = (
        ("ERRCONNECT_LOGON_FAILURE", Phase.PASSWORD_REJECTED),
        ("ERRCONNECT_WRONG_PASSWORD", Phase.PASSWORD_REJECTED),
        ("ERRCONNECT_AUTHENTICATION_FAILED", Phase.PASSWORD_REJECTED),
        ("ERRCONNECT_DNS_NAME_NOT_FOUND", Phase.UNREACHABLE),
        ("ERRCONNECT_CONNECT_FAILED", Phase.REFUSED),
        ("--> CONNECTION_STATE_ACTIVE", Phase.CONNECTED),
        ("CONNECTION_STATE_NLA --> CONNECTION_STATE_INITIAL", Phase.PASSWORD_REJECTED),
        ("CONNECTION_STATE_NEGO --> CONNECTION_STATE_INITIAL", Phase.REFUSED),
    )

    def feed(self, line: str) -> Phase | None:
        for code, phase in self._CODES:
            if code in line:
                return phase
        return None

    def at_exit(self, returncode: int, connected: bool) -> Phase:
        return Phase.ENDED if connected else Phase.FAILED


class HandOverLog(LogReader):
    """Remmina: the process hands the connection to the running instance and exits."""

    def feed(self, line: str) -> Phase | None:
        return None

    def at_exit(self, returncode: int, connected: bool) -> Phase:
        return Phase.HANDED_OVER if returncode == 0 else Phase.FAILED


class ExitCodeLog(LogReader):
    """A command template's tool: nothing known of its log; its exit code is all there is."""

    def feed(self, line: str) -> Phase | None:
        return None

    def at_exit(self, returncode: int, connected: bool) -> Phase:
        return Phase.ENDED if returncode == 0 else Phase.FAILED
