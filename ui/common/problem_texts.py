"""The words of the core's problem codes (app.core.problems.ProblemCode) — the only place
they are written: English sources, translated by Qt (resources/i18n, context "Problems")."""

# ruff: noqa: E501

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.problems import ProblemCode

CONTEXT = "Problems"

P = ProblemCode
# the stubs type QT_TRANSLATE_NOOP as returning object: it returns its source text
TEXTS = cast(
    "dict[ProblemCode, str]",
    {
        P.UNREACHABLE: QT_TRANSLATE_NOOP(
            "Problems", "The server cannot be reached. Check the network or the server address."
        ),
        P.RECONNECTING: QT_TRANSLATE_NOOP(
            "Problems", "The connection to the server was lost. Reconnecting…"
        ),
        P.OFFLINE: QT_TRANSLATE_NOOP(
            "Problems", "Working offline. Messages wait in the outbox until the server is back."
        ),
        P.WRONG_PASSWORD: QT_TRANSLATE_NOOP("Problems", "Wrong login or password."),
        P.TOO_MANY_ATTEMPTS: QT_TRANSLATE_NOOP(
            "Problems", "Too many sign-in attempts. Wait a minute and try again."
        ),
        P.SESSION_EXPIRED: QT_TRANSLATE_NOOP(
            "Problems", "The session has expired. Please sign in again."
        ),
        P.NOT_FOUND: QT_TRANSLATE_NOOP(
            "Problems", "It is no longer there: it was deleted or you have no access to it."
        ),
        P.BAD_REQUEST: QT_TRANSLATE_NOOP("Problems", "The server refused the request."),
        P.TOO_LARGE: QT_TRANSLATE_NOOP("Problems", "The file is too large."),
        P.SERVER_ERROR: QT_TRANSLATE_NOOP(
            "Problems", "The server failed to process the request. Try again later."
        ),
        P.MALFORMED: QT_TRANSLATE_NOOP(
            "Problems", "The server sent a reply the program does not understand."
        ),
        P.NOT_SPECIALIST: QT_TRANSLATE_NOOP(
            "Problems", "This account is not a specialist's account."
        ),
        P.MESSAGE_REJECTED: QT_TRANSLATE_NOOP("Problems", "The server did not accept the message."),
        P.MESSAGE_EMPTY: QT_TRANSLATE_NOOP("Problems", "The message is empty."),
        P.MESSAGE_TOO_LONG: QT_TRANSLATE_NOOP(
            "Problems", "The message is too long (at most 10 000 characters)."
        ),
        P.DEMO_FAILED: QT_TRANSLATE_NOOP("Problems", "The demo server could not be started."),
        P.DEMO_RESTARTED: QT_TRANSLATE_NOOP(
            "Problems", "The demo server stopped unexpectedly and was started again."
        ),
        P.NO_KEYRING: QT_TRANSLATE_NOOP(
            "Problems",
            "No system keyring is available: the password will not be remembered after the program exits.",
        ),
        P.STATUS_FAILED: QT_TRANSLATE_NOOP("Problems", "The status could not be changed."),
        P.NOT_SIGNED_IN: QT_TRANSLATE_NOOP("Problems", "You are not signed in."),
        P.EVENTS_RESYNC: QT_TRANSLATE_NOOP(
            "Problems", "Some changes were missed while offline; the data was reloaded."
        ),
        P.TICKET_HELD: QT_TRANSLATE_NOOP(
            "Problems", "A colleague holds this ticket (perhaps took it a moment ago)."
        ),
        P.TICKET_CLOSED: QT_TRANSLATE_NOOP("Problems", "This ticket is already finished."),
        P.TICKET_NOT_TAKEN: QT_TRANSLATE_NOOP(
            "Problems", "Nobody holds this ticket yet: start work on it first."
        ),
        P.SUPERVISORS_ONLY: QT_TRANSLATE_NOOP(
            "Problems", "The online monitor is for supervisors (ask your administrator)."
        ),
        P.COLLEAGUE_NOT_FREE: QT_TRANSLATE_NOOP(
            "Problems", "The colleague is no longer Free: the ticket stays with you."
        ),
        P.NOT_IN_ENVIRONMENT: QT_TRANSLATE_NOOP(
            "Problems",
            "A group takes only your colleagues and users of your lines: the group was not"
            " changed.",
        ),
        P.NOT_GROUP_CREATOR: QT_TRANSLATE_NOOP(
            "Problems", "Only the group's creator adds and removes its members."
        ),
        P.USER_DISCONNECTED: QT_TRANSLATE_NOOP(
            "Problems",
            "The user is disconnected from this line: they cannot receive answers here"
            " (restore them to the line first).",
        ),
        P.FILE_NOT_SENT: QT_TRANSLATE_NOOP(
            "Problems",
            "The file did not reach the chat: the server did not answer. Send it again when"
            " the connection is back — it will not be sent twice.",
        ),
    },
)


def problem_text(code: ProblemCode | None) -> str:
    """The code's words in the specialist's language ("" for None)."""
    if code is None:
        return ""
    return QCoreApplication.translate(CONTEXT, TEXTS[code])


EXPLAINED = frozenset({P.BAD_REQUEST})
"""Codes whose words only say that the server refused: its explanation names what exactly
("text: at most 10000 characters") and is shown under them, marked as the server's
(ProblemBanner). Every other code's words say what the specialist can know and do; the
server's explanation — English whatever the interface's language: "the server failed", a
connection's "ClientConnectorError: …", "the online monitor is for supervisors" — would
only repeat them in another language or speak of the program's insides: it goes to the log
alone."""


def problem_detail(code: ProblemCode | None, detail: str) -> str:
    """What of the server's (or the program's) own explanation to show under the code's
    words: `detail` for a refusal the words do not name (EXPLAINED), else nothing."""
    return detail if code in EXPLAINED else ""
