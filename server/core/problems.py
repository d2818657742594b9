"""RFC 9457 problem+json answers, and the middleware that turns every failure into one."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web
from sqlalchemy.exc import DBAPIError

from contract import problems as wire
from server.core.db import DatabaseUnavailable

log = logging.getLogger(__name__)
PROBLEM_TYPE = "https://linedesk.dev/problems/"
CONTENT_TYPE = "application/problem+json"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Problem(Exception):
    """An error answer: ``status`` and a ``slug`` naming the problem."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    def response(self) -> web.Response:
        body = wire.Problem(
            type=PROBLEM_TYPE + self.slug,
            title=self.title,
            status=self.status,
            detail=self.detail,
            errors=[wire.FieldError(e["field"], e["message"]) for e in self.errors or ()] or None,
        )
        return web.Response(
            status=self.status,
            body=msgspec.json.encode(body),
            content_type=CONTENT_TYPE,
            headers=self.headers,
        )


def not_found(what: str = "object") -> Problem:
    return Problem(404, "not-found", "Not found", f"no such {what}")


def missing(field: str, message: str) -> Problem:
    """404 for an id in a body that names nothing the caller may see (``errors`` names the
    field; the path's object was found)."""
    return Problem(
        404,
        "not-found",
        "Not found",
        f"{field}: {message}",
        errors=[{"field": field, "message": message}],
    )


def unauthorized(detail: str = "missing or invalid token") -> Problem:
    return Problem(
        401, "unauthorized", "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"}
    )


def invalid(errors: list[dict[str, str]], detail: str = "the request is not valid") -> Problem:
    return Problem(400, "invalid-request", "Invalid request", detail, errors=errors)


def field_error(field: str, message: str) -> Problem:
    return invalid([{"field": field, "message": message}], f"{field}: {message}")


def forbidden(slug: str, detail: str) -> Problem:
    """The call is for the other kind of account (not about an object: that is 404)."""
    return Problem(403, slug, "Forbidden", detail)


def conflict(detail: str) -> Problem:
    return Problem(409, "conflict", "Conflict", detail)


RETRY_DATABASE_S = 5


def _unavailable(request: web.Request, reason: str, advice: str) -> web.Response:
    """503: the database gave no connection, or lost it mid-request."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path, reason)
    return Problem(
        503,
        "database-unavailable",
        "Service unavailable",
        f"the database is not available: {advice} in {RETRY_DATABASE_S} s",
        headers={"Retry-After": str(RETRY_DATABASE_S)},
    ).response()


# aiohttp's own HTTP errors (no route, wrong method, body over the cap …): their texts are
# aiohttp's (some quote the request or the library's internals), so the answer says this.
_HTTP_PROBLEMS = {
    400: ("malformed-request", "the request could not be read"),
    404: ("not-found", "no such resource"),
    405: ("method-not-allowed", "the method is not allowed here (see Allow)"),
    413: ("payload-too-large", "the request body is too large"),
    415: ("unsupported-media-type", "the body's media type is not accepted here"),
}


@web.middleware
async def problem_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Problem as problem:
        return problem.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        slug, detail = _HTTP_PROBLEMS.get(exc.status, ("http-error", exc.reason.lower()))
        headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return Problem(exc.status, slug, exc.reason, detail, headers=headers).response()
    except DatabaseUnavailable as exc:  # no connection given: nothing was done
        return _unavailable(request, str(exc), "nothing was done; try again")
    except DBAPIError as exc:
        if not exc.connection_invalidated:  # a failure of the work, not of the connection
            return _internal(request)
        reason = str(exc.orig or exc).splitlines()[0]  # lost mid-request: maybe committed
        return _unavailable(request, reason, "try again (a send, under the same key)")
    except ConnectionResetError:
        # the client went away mid-request (a window closing, a network drop): nobody to
        # answer, and not the server's failure — the transaction rolled back or committed.
        # (Raised on, aiohttp would log it as an error with its traceback.)
        log.info("client gone during %s %s", request.method, request.path)
        return web.Response(status=499, reason="Client Closed Request")
    except Exception:
        return _internal(request)


def _internal(request: web.Request) -> web.Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return Problem(500, "internal", "Internal error", "the server failed").response()
