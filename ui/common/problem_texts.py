"""The core's problem texts (app/core/problems.py) marked for Qt translation.

lupdate reads the literals below; tests/window checks they match `app.core.problems.ALL`.
"""

# ruff: noqa: E501

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Problems"

TEXTS: tuple[str, ...] = (  # type: ignore[assignment]  # stubs type the NOOP oddly
    QT_TRANSLATE_NOOP(
        "Problems", "The server cannot be reached. Check the network or the server address."
    ),
    QT_TRANSLATE_NOOP("Problems", "The connection to the server was lost. Reconnecting…"),
    QT_TRANSLATE_NOOP(
        "Problems", "Working offline. Messages wait in the outbox until the server is back."
    ),
    QT_TRANSLATE_NOOP("Problems", "Wrong login or password."),
    QT_TRANSLATE_NOOP("Problems", "Too many sign-in attempts. Wait a minute and try again."),
    QT_TRANSLATE_NOOP("Problems", "The session has expired. Please sign in again."),
    QT_TRANSLATE_NOOP(
        "Problems", "It is no longer there: it was deleted or you have no access to it."
    ),
    QT_TRANSLATE_NOOP("Problems", "The server refused the request."),
    QT_TRANSLATE_NOOP("Problems", "The file is too large."),
    QT_TRANSLATE_NOOP("Problems", "The server failed to process the request. Try again later."),
    QT_TRANSLATE_NOOP("Problems", "The server sent a reply the program does not understand."),
    QT_TRANSLATE_NOOP("Problems", "This account is not a specialist's account."),
    QT_TRANSLATE_NOOP("Problems", "The server did not accept the message."),
    QT_TRANSLATE_NOOP("Problems", "The message is empty."),
    QT_TRANSLATE_NOOP("Problems", "The message is too long (at most 10 000 characters)."),
    QT_TRANSLATE_NOOP("Problems", "The demo server could not be started."),
    QT_TRANSLATE_NOOP("Problems", "The demo server stopped unexpectedly and was started again."),
    QT_TRANSLATE_NOOP(
        "Problems",
        "No system keyring is available: the password will not be remembered after the program exits.",
    ),
    QT_TRANSLATE_NOOP("Problems", "The status could not be changed."),
    QT_TRANSLATE_NOOP("Problems", "You are not signed in."),
    QT_TRANSLATE_NOOP("Problems", "Some changes were missed while offline; the data was reloaded."),
)


def translate_problem(text: str) -> str:
    """The specialist's language for a known text; anything else as it is."""
    return QCoreApplication.translate(CONTEXT, text) if text else text
