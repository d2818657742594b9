"""What each remote outcome means to the specialist, the next step, and the ready-made
instructions sent to the user in the chat (context "Remote"; English sources, Qt translates)."""

# ruff: noqa: E501

from __future__ import annotations

from typing import NamedTuple, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Remote"


class Explained(NamedTuple):
    text: str  # what happened and the next step
    instructions: str  # sent to the user in the chat; "" when there is nothing to ask of them


_TEXTS = cast(
    "dict[str, tuple[str, str]]",
    {
        "viewer_missing": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The remote desktop viewer is not installed on this computer. Install it (for TigerVNC: the tigervnc-viewer package) or choose another viewer in Settings.",
            ),
            "",
        ),
        "unreachable": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The user's computer cannot be reached over the network. Ask the user to check that the computer is on and connected, or connect in reverse mode (the user's computer dials you).",
            ),
            QT_TRANSLATE_NOOP(
                "Remote",
                "Please check that your computer is switched on and connected to the network, then tell me in this chat.",
            ),
        ),
        "refused": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The user's computer answers, but no remote desktop program is listening there. Ask the user to start it.",
            ),
            QT_TRANSLATE_NOOP(
                "Remote",
                "Please start the remote access program on your computer (for example x11vnc or TightVNC Server) and tell me in this chat when it is running.",
            ),
        ),
        "password_rejected": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The password was not accepted. Ask the user for the password set on their computer and try again.",
            ),
            QT_TRANSLATE_NOOP(
                "Remote",
                "The remote access password did not match. Please check the password set in the remote access program on your computer and send it to me.",
            ),
        ),
        "declined": (
            QT_TRANSLATE_NOOP("Remote", "The user declined the connection."),
            QT_TRANSLATE_NOOP(
                "Remote",
                "You declined the remote connection. If you would like me to connect, please press Yes when the question appears.",
            ),
        ),
        "timed_out": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The user did not answer the request in time. Ask them in the chat and try again.",
            ),
            QT_TRANSLATE_NOOP(
                "Remote",
                "I asked to connect to your computer, but the request was not answered. I will send it again: please press Yes when the question appears.",
            ),
        ),
        "failed": (
            QT_TRANSLATE_NOOP(
                "Remote",
                "The viewer ended without connecting. Check the viewer in Settings and try again.",
            ),
            "",
        ),
    },
)

STATES = cast(
    "dict[str, str]",
    {
        "requested": QT_TRANSLATE_NOOP("Remote", "waiting for the user"),
        "accepted": QT_TRANSLATE_NOOP("Remote", "connecting"),
        "connected": QT_TRANSLATE_NOOP("Remote", "connected"),
        "declined": QT_TRANSLATE_NOOP("Remote", "declined"),
        "timed_out": QT_TRANSLATE_NOOP("Remote", "no answer"),
        "ended": QT_TRANSLATE_NOOP("Remote", "ended"),
        "failed": QT_TRANSLATE_NOOP("Remote", "failed"),
    },
)

MODES = cast(
    "dict[str, str]",
    {
        "request": QT_TRANSLATE_NOOP("Remote", "by request"),
        "password": QT_TRANSLATE_NOOP("Remote", "by password"),
    },
)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text) if text else ""


def explain(phase: str | None) -> Explained | None:
    """The words for a failure (a `remote.outcome.Phase` value); None for a phase that is no
    failure (connecting, connected, ended)."""
    if phase is None or phase not in _TEXTS:
        return None
    text, instructions = _TEXTS[phase]
    return Explained(tr(text), tr(instructions))


def state_text(state: str) -> str:
    return tr(STATES.get(state, state))


def mode_text(mode: str) -> str:
    return tr(MODES.get(mode, mode))
