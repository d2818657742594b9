"""The catalogue of problem texts the core shows the specialist.

Every `Problem.text`, `ConnectionChanged.detail` and `Message.error` that
`app/` produces is one of these constants (plus, at most, a server's own
`detail` in `Problem.detail`). They are short English sentences; `ui/`
translates the known ones, e.g. by wrapping `ALL` in `QT_TRANSLATE_NOOP`
and calling `tr(text)` when it shows one.
"""

from __future__ import annotations

from typing import Final

UNREACHABLE: Final = "The server cannot be reached. Check the network or the server address."
RECONNECTING: Final = "The connection to the server was lost. Reconnecting…"
OFFLINE: Final = "Working offline. Messages wait in the outbox until the server is back."
WRONG_PASSWORD: Final = "Wrong login or password."  # noqa: S105
TOO_MANY_ATTEMPTS: Final = "Too many sign-in attempts. Wait a minute and try again."
SESSION_EXPIRED: Final = "The session has expired. Please sign in again."
NOT_FOUND: Final = "It is no longer there: it was deleted or you have no access to it."
BAD_REQUEST: Final = "The server refused the request."
TOO_LARGE: Final = "The file is too large."
SERVER_ERROR: Final = "The server failed to process the request. Try again later."
MALFORMED: Final = "The server sent a reply the program does not understand."
NOT_SPECIALIST: Final = "This account is not a specialist's account."
MESSAGE_REJECTED: Final = "The server did not accept the message."
MESSAGE_EMPTY: Final = "The message is empty."
MESSAGE_TOO_LONG: Final = "The message is too long (at most 10 000 characters)."
DEMO_FAILED: Final = "The demo server could not be started."
DEMO_RESTARTED: Final = "The demo server stopped unexpectedly and was started again."
NO_KEYRING: Final = (
    "No system keyring is available: the password will not be remembered after the program exits."
)
STATUS_FAILED: Final = "The status could not be changed."
NOT_SIGNED_IN: Final = "You are not signed in."
EVENTS_RESYNC: Final = "Some changes were missed while offline; the data was reloaded."

ALL: Final[tuple[str, ...]] = (
    UNREACHABLE,
    RECONNECTING,
    OFFLINE,
    WRONG_PASSWORD,
    TOO_MANY_ATTEMPTS,
    SESSION_EXPIRED,
    NOT_FOUND,
    BAD_REQUEST,
    TOO_LARGE,
    SERVER_ERROR,
    MALFORMED,
    NOT_SPECIALIST,
    MESSAGE_REJECTED,
    MESSAGE_EMPTY,
    MESSAGE_TOO_LONG,
    DEMO_FAILED,
    DEMO_RESTARTED,
    NO_KEYRING,
    STATUS_FAILED,
    NOT_SIGNED_IN,
    EVENTS_RESYNC,
)
