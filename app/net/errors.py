"""The ways an API call fails, each with its words for the specialist (app.core.problems)."""

from __future__ import annotations

from app.core import problems


class ApiError(Exception):
    """A call failed. `text` is for the specialist (app.core.problems), `detail` is technical."""

    default_text = problems.SERVER_ERROR

    def __init__(
        self, text: str | None = None, detail: str = "", status: int | None = None
    ) -> None:
        self.text = text or self.default_text
        self.detail = detail
        self.status = status
        super().__init__(f"{self.text} {detail}".strip())

    @property
    def transient(self) -> bool:
        """Worth retrying later as is (network, 5xx, rate limits)."""
        return False


class Unreachable(ApiError):
    default_text = problems.UNREACHABLE

    @property
    def transient(self) -> bool:
        return True


class Unauthorized(ApiError):
    default_text = problems.SESSION_EXPIRED


class NotFound(ApiError):
    default_text = problems.NOT_FOUND


class BadRequest(ApiError):
    """A permanent 4xx: the same request will fail again."""

    default_text = problems.BAD_REQUEST

    def __init__(
        self,
        text: str | None = None,
        detail: str = "",
        status: int | None = None,
        errors: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(text, detail, status)
        self.errors = errors


class TooManyRequests(ApiError):
    default_text = problems.TOO_MANY_ATTEMPTS

    def __init__(
        self, text: str | None = None, detail: str = "", retry_after: float = 60.0
    ) -> None:
        super().__init__(text, detail, 429)
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return True


class ServerError(ApiError):
    default_text = problems.SERVER_ERROR

    @property
    def transient(self) -> bool:
        return True


class MalformedReply(ApiError):
    default_text = problems.MALFORMED
