"""The HTTP edge: what aiohttp answers on its own, before any route runs, in the server's
terms (RFC 9457 problem+json), and how long a request body may take.

aiohttp's parser answers a request it cannot read with ``400 text/plain`` quoting the
request (``Got more than 8190 bytes when reading: b'…'``); that answer is made by
``RequestHandler.handle_error``, outside the application and its middlewares, and aiohttp
offers no hook for it (aio-libs/aiohttp#3287). So the connections of this server are
:class:`ProblemRequestHandler`\\ s, whose ``handle_error`` answers problem+json naming the
problem, never the request's bytes nor an exception's text, and closes the connection as
aiohttp's does. Limits (see :class:`Limits`): a request line of up to 64 KiB (a long search
``q`` is legitimate; 414 beyond), a header of up to 128 KiB (so an oversized bearer token
still gets its 401; 431 beyond), at most 64 headers (431 beyond).

A body must arrive whole within ``body_seconds`` plus its announced size at
``body_min_rate`` (at most 11 s for a JSON body, 90 s for the largest file; a chunked body
gets the largest file's): else 408, and the connection is closed (:func:`body_deadline`). A
connection's first request head must be whole within ``head_seconds`` (20 s), else the
connection is closed unanswered."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage, LineTooLong
from aiohttp.streams import StreamReader
from aiohttp.typedefs import Middleware
from aiohttp.web_protocol import RequestHandler

from server.core.problems import Handler, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may be: sizes of its head, time for its body."""

    max_line: int = 64 * 1024  # the request line: method, path and query
    max_field: int = 128 * 1024  # one header line
    max_headers: int = 64  # 64 × 128 KiB = 8 MiB of head at most
    body_seconds: float = 10.0
    # bytes a second, on top of body_seconds: 512 kbit/s, the slowest link a client serves
    # (app/chat/files.py; at 2 Mbit/s a 20 MB file was cut at 90 s)
    body_min_rate: int = 64 * 1024
    # a connection's first request head must be whole within this (slowloris)
    head_seconds: float = 20.0

    def handler_args(self) -> dict[str, Any]:
        """For ``AppRunner``: the parser's limits."""
        return {
            "max_line_size": self.max_line,
            "max_field_size": self.max_field,
            "max_headers": self.max_headers,
        }

    def body_time(self, length: int) -> float:
        """How long a body of ``length`` bytes may take to arrive."""
        return self.body_seconds + length / self.body_min_rate


LIMITS = Limits()


def unreadable(exc: BaseException | None, limits: Limits) -> Problem:
    """The answer to a request aiohttp's parser refused, in the client's terms."""
    if isinstance(exc, LineTooLong):
        if exc.args[1:2] == (limits.max_line,):
            return Problem(
                414,
                "uri-too-long",
                "Request line too long",
                f"the request line (path and query) is longer than {limits.max_line} bytes",
            )
        return Problem(
            431,
            "header-too-large",
            "Request header fields too large",
            f"a header is longer than {limits.max_field} bytes",
        )
    if isinstance(exc, BadHttpMessage) and exc.message == "Too many headers received":
        return Problem(
            431,
            "header-too-large",
            "Request header fields too large",
            f"more than {limits.max_headers} headers",
        )
    return Problem(400, "malformed-request", "Malformed request", "the request is not valid HTTP")


# Each open connection's first-head timer, by its handler's id (the handler has no room for
# it: its slots are aiohttp's, and it takes no weak reference); removed when it closes.
_HEAD_TIMERS: dict[int, asyncio.TimerHandle] = {}


class ProblemRequestHandler(RequestHandler):
    """aiohttp's connection handler, answering its own errors as problem+json.

    ``handle_error`` is called for a request the parser refused (400) and for an exception
    that escaped the application (500, 504); the application's own errors never get here
    (``problem_middleware``). It is aiohttp's, but for the body: no echo of the request,
    no exception text, ``application/problem+json``; the connection still closes."""

    __slots__ = ()  # the same layout as RequestHandler (see EdgeServer.__call__)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        timer = self._loop.call_later(LIMITS.head_seconds, self._no_head_in_time)
        _HEAD_TIMERS[id(self)] = timer

    def connection_lost(self, exc: BaseException | None) -> None:
        # the timer holds this handler (and its buffers) until it fires: 20 s for every
        # connection already gone, thousands under a flood of short ones
        timer = _HEAD_TIMERS.pop(id(self), None)
        if timer is not None:
            timer.cancel()
        super().connection_lost(exc)

    def _no_head_in_time(self) -> None:
        """aiohttp closes an idle connection only once it answered a request with keep-alive:
        one that never completes its first request's head stayed open for good (a few
        thousand, sending a header line now and then or nothing at all, took the server's
        last file descriptors: it accepted no one). Later heads are bounded by aiohttp's
        keep-alive time (75 s)."""
        if self._request_count == 0:
            self.force_close()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # as aiohttp: too late for another answer
            raise ConnectionError("a response was already being sent")
        if status == 400:
            problem = unreadable(exc, LIMITS)
            log.debug("refused an unreadable request: %s", type(exc).__name__)
        elif status == 504:
            problem = Problem(504, "timeout", "Timeout", "the server took too long")
            log.warning("a request handler timed out", exc_info=exc)
        else:
            problem = Problem(status, "internal", "Internal error", "the server failed")
            log.error("error handling a request", exc_info=exc)
        response = problem.response()
        response.force_close()
        return response


class EdgeServer(web.Server):
    def __call__(self) -> RequestHandler:
        handler = super().__call__()
        # aiohttp builds the handler (with its own fallbacks); only its class changes, to a
        # subclass that adds no slots and no __init__, so its state is aiohttp's as built.
        handler.__class__ = ProblemRequestHandler
        return handler


class EdgeRunner(web.AppRunner):
    """``web.AppRunner`` whose connections are :class:`ProblemRequestHandler`\\ s parsing
    within :data:`LIMITS`."""

    def __init__(self, app: web.Application, **kwargs: Any) -> None:
        super().__init__(app, **LIMITS.handler_args(), **kwargs)

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = EdgeServer  # the same object: only __call__ differs
        return server


class BodyTimedOut(TimeoutError):
    """Set on a request's body stream when its time is up: the handler's read raises it.
    A TimeoutError, so aiohttp's "lingering" read of an unread body ends quietly too."""


def body_deadline(chunked_size: int) -> Middleware:
    """The middleware bounding a body's time; a chunked body (no announced length) gets the
    time of ``chunked_size`` bytes (the largest body a route takes)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        """A body not whole within its time: 408, and the connection is closed."""
        content = request.content
        if not request.body_exists or content.is_eof():
            return await handler(request)
        length = request.content_length
        seconds = LIMITS.body_time(chunked_size if length is None else length)
        timer = asyncio.get_running_loop().call_later(seconds, _expire, content)
        content.on_eof(timer.cancel)
        try:
            return await handler(request)
        except BodyTimedOut:
            response = Problem(
                408,
                "request-timeout",
                "Request timeout",
                f"the request body did not arrive within {seconds:.0f} seconds",
            ).response()
            response.force_close()
            return response
        finally:
            timer.cancel()

    return middleware


def _expire(content: StreamReader) -> None:
    if not content.is_eof():
        content.set_exception(BodyTimedOut())
