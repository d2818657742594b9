"""The ways an API call fails, each with its `ProblemCode` (app.core.problems: the window
has the words for each)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import msgspec

from app.core.problems import ProblemCode


class ApiError(Exception):
    """A call failed. `code` is for the specialist (the window has its words), `detail` is
    technical."""

    default_code = ProblemCode.SERVER_ERROR

    def __init__(
        self, code: ProblemCode | None = None, detail: str = "", status: int | None = None
    ) -> None:
        self.code = code or self.default_code
        self.detail = detail
        self.status = status
        super().__init__(f"{self.code}: {detail}" if detail else str(self.code))

    @property
    def transient(self) -> bool:
        """Worth retrying later as is (network, 5xx, rate limits)."""
        return False


class Unreachable(ApiError):
    default_code = ProblemCode.UNREACHABLE

    @property
    def transient(self) -> bool:
        return True


class Unauthorized(ApiError):
    default_code = ProblemCode.SESSION_EXPIRED


class NotFound(ApiError):
    default_code = ProblemCode.NOT_FOUND


class BadRequest(ApiError):
    """A permanent 4xx: the same request will fail again."""

    default_code = ProblemCode.BAD_REQUEST

    def __init__(
        self,
        code: ProblemCode | None = None,
        detail: str = "",
        status: int | None = None,
        errors: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(code, detail, status)
        self.errors = errors


class TooManyRequests(ApiError):
    default_code = ProblemCode.TOO_MANY_ATTEMPTS

    def __init__(
        self, code: ProblemCode | None = None, detail: str = "", retry_after: float = 60.0
    ) -> None:
        super().__init__(code, detail, 429)
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return True


class ServerError(ApiError):
    default_code = ProblemCode.SERVER_ERROR

    @property
    def transient(self) -> bool:
        return True


class MalformedReply(ApiError):
    default_code = ProblemCode.MALFORMED


class ForeignReply(MalformedReply):
    """Not JSON at all: a proxy's or a captive portal's own page, a reply cut short — no
    answer of ours, saying nothing of the request (a send goes again under its key). A
    reply in JSON that does not fit is a MalformedReply of its own: sent again, it would
    fail the same way for good."""


CONFLICTS = {
    "held-by-colleague": ProblemCode.TICKET_HELD,
    "ticket-closed": ProblemCode.TICKET_CLOSED,
    "not-taken": ProblemCode.TICKET_NOT_TAKEN,
    "not-free": ProblemCode.COLLEAGUE_NOT_FREE,
    "supervisors-only": ProblemCode.SUPERVISORS_ONLY,
    "not-in-environment": ProblemCode.NOT_IN_ENVIRONMENT,
    "not-group-creator": ProblemCode.NOT_GROUP_CREATOR,
    "disconnected": ProblemCode.USER_DISCONNECTED,
}
"""403/404/409/422 refusals by the problem's type (its last path part) → what the window says."""


@contextmanager
def network_errors(what: str) -> Iterator[None]:
    """aiohttp's and the OS's failures of one request → Unreachable (ApiErrors pass)."""
    try:
        yield
    except ApiError:
        raise
    except (aiohttp.ClientError, TimeoutError, OSError) as e:
        raise Unreachable(detail=f"{what}: {type(e).__name__}: {e}") from None


def is_json(raw: bytes) -> bool:
    """Is `raw` JSON at all (whatever its shape)?"""
    try:
        msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return False
    return True
