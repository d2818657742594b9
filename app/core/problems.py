"""ProblemCode: what went wrong, as the core tells the specialist — a code, never words.

Every `Problem.code`, `ConnectionChanged.cause`, `Message.error` and `ApiError.code` that
`app/` produces is one of these (plus, at most, a server's own explanation in
`Problem.detail`). The words live once, in the window: `ui/common/problem_texts.py` holds
the English source of each code, translated by Qt (resources/i18n). Logs show the code.

The values are stable: the outbox keeps a failed message's code on disk.
"""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class ProblemCode(StrEnum):
    UNREACHABLE = "unreachable"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a code, not a password
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    SESSION_EXPIRED = "session_expired"
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    TOO_LARGE = "too_large"
    SERVER_ERROR = "server_error"
    MALFORMED = "malformed"
    NOT_SPECIALIST = "not_specialist"
    MESSAGE_REJECTED = "message_rejected"
    MESSAGE_EMPTY = "message_empty"
    MESSAGE_TOO_LONG = "message_too_long"
    DEMO_FAILED = "demo_failed"
    DEMO_RESTARTED = "demo_restarted"
    NO_KEYRING = "no_keyring"
    STATUS_FAILED = "status_failed"
    NOT_SIGNED_IN = "not_signed_in"
    EVENTS_RESYNC = "events_resync"
    TICKET_HELD = "ticket_held"
    TICKET_CLOSED = "ticket_closed"
    TICKET_NOT_TAKEN = "ticket_not_taken"
    COLLEAGUE_NOT_FREE = "colleague_not_free"
    SUPERVISORS_ONLY = "supervisors_only"
    NOT_IN_ENVIRONMENT = "not_in_environment"
    NOT_GROUP_CREATOR = "not_group_creator"
    USER_DISCONNECTED = "user_disconnected"
    FILE_NOT_SENT = "file_not_sent"

    @classmethod
    def stored(cls, value: str) -> ProblemCode | None:
        """A code read back from disk: "" → None; anything unknown (an older version kept
        its English sentence there) → MESSAGE_REJECTED, the outbox's only failure."""
        if not value:
            return None
        try:
            return cls(value)
        except ValueError:
            return cls.MESSAGE_REJECTED
