"""ApiClient: the server's REST API (docs/api.md) over one aiohttp.ClientSession.

Every reply is decoded through the contract's types (`contract/`, msgspec) and made
into `app.core.domain` objects (`app.core.parse`); a reply that does not fit is a
`MalformedReply`; every failure becomes an `ApiError` subclass (app/net/errors.py) whose
`code` is an `app.core.problems.ProblemCode` (the window has its words) and whose `detail`
is the server's own explanation, if any.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import aiohttp
import msgspec

from app.core import parse
from app.core.domain import Colleague, Line, Me, Message, Status, Ticket, UserCard, UserRow
from app.core.problems import ProblemCode
from app.net.clock import learnt
from app.net.errors import (
    CONFLICTS,
    ApiError,
    BadRequest,
    ForeignReply,
    MalformedReply,
    NotFound,
    ServerError,
    TooManyRequests,
    Unauthorized,
    Unreachable,
    is_json,
    network_errors,
)
from contract import accounts, chats, clients, tickets
from contract.photos import MAX_BYTES
from contract.problems import Problem
from contract.types import AccountKind

__all__ = [  # the errors live in app.net.errors; callers may import them from here
    "API_PREFIX",
    "IMAGE_MAX_BYTES",
    "IMAGE_TYPES",
    "ApiClient",
    "ApiError",
    "BadRequest",
    "ForeignReply",
    "Grant",
    "MalformedReply",
    "NotFound",
    "ServerError",
    "TooManyRequests",
    "Unauthorized",
    "Unreachable",
    "normalize_url",
]
T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("linedesk.api")

API_PREFIX = "/api/v1"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})
IMAGE_MAX_BYTES = MAX_BYTES  # a picture (contract.photos)


@dataclass(frozen=True, slots=True)
class Grant:
    token: str
    expires_at: datetime | None
    kind: AccountKind
    account_id: int


def normalize_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    if "://" not in url:
        url = "http://" + url
    return url


class ApiClient:
    """One server, one aiohttp session. Create it inside the running loop; `await close()`."""

    def __init__(self, server_url: str, token: str | None = None, timeout: float = 15.0) -> None:
        self.server_url = normalize_url(server_url)
        self.clock_offset = 0.0  # seconds the server's clock is ahead (app/net/clock.py)
        self.token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, 5.0))
        self._http: aiohttp.ClientSession | None = None

    # -- plumbing ---------------------------------------------------------------

    @property
    def http(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=self._timeout)
        return self._http

    async def close(self) -> None:
        if self._http is not None and not self._http.closed:
            await self._http.close()
        self._http = None

    def url(self, path: str) -> str:
        return f"{self.server_url}{API_PREFIX}{path}"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        """One request; the JSON body as plain data (None for 204)."""
        raw = await self._request(method, path, json=json, params=params, auth=auth)
        if raw is None:
            return None
        try:
            return msgspec.json.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError) as e:
            raise ForeignReply(detail=f"{method} {path}: not JSON ({e})") from None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
        limits: aiohttp.ClientTimeout | None = None,
    ) -> bytes | None:
        """One request; the body's bytes (None for 204). `limits`: this request's own time
        limits (a long reply's), else the client's."""
        with network_errors(f"{method} {path}"):
            async with self.http.request(
                method,
                self.url(path),
                json=json,
                params=params,
                headers=self.headers() if auth else None,
                timeout=limits or self._timeout,
            ) as resp:
                date = resp.headers.get("Date")
                self.clock_offset = learnt(self.clock_offset, resp.status, resp.content_type, date)
                if resp.status == 204:
                    return None
                if resp.status >= 400:
                    await self._raise_for(resp)
                return await resp.read()

    async def _fetch(
        self,
        what: str,
        kind: type[T],
        shape: Callable[[T], R],
        method: str,
        path: str,
        **kw: Any,
    ) -> R:
        """One request whose reply is ``kind`` (a contract type), made into the domain's
        ``shape``; a reply that does not fit → MalformedReply."""
        raw = await self._request(method, path, **kw)
        try:
            return shape(parse.decode(raw or b"", kind))
        except parse.Malformed as e:
            log.warning("malformed reply to %s: %s", what, e)
            if not is_json(raw or b""):
                raise ForeignReply(detail=f"{what}: not JSON ({e})") from None
            raise MalformedReply(detail=f"{what}: {e}") from None

    def resolve(self, url: str) -> str:
        """A server-relative url (`/api/v1/...`, as the server hands out) made absolute.

        An absolute url is accepted only on this server (the bearer token never goes
        elsewhere)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            base = urlsplit(self.server_url)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                raise BadRequest(detail=f"{url}: not on this server")
            return url
        if not url.startswith("/") or url.startswith("//"):
            raise BadRequest(detail=f"{url}: not a server path")
        return f"{self.server_url}{url}"

    async def image(self, url: str, max_bytes: int = IMAGE_MAX_BYTES) -> bytes:
        """The bytes of a PNG or JPEG picture at `url` (server-relative, e.g. `avatar_url`).

        Anything else — another content type, more than `max_bytes` — is a MalformedReply;
        HTTP and network errors are the usual ApiErrors."""
        full = self.resolve(url)
        with network_errors(f"GET {url}"):
            async with self.http.get(full, headers=self.headers()) as resp:
                if resp.status >= 400:
                    await self._raise_for(resp)
                if resp.status != 200:
                    raise MalformedReply(detail=f"GET {url}: HTTP {resp.status}")
                if resp.content_type not in IMAGE_TYPES:
                    raise MalformedReply(detail=f"GET {url}: {resp.content_type!r} is no picture")
                if resp.content_length is not None and resp.content_length > max_bytes:
                    raise MalformedReply(detail=f"GET {url}: {resp.content_length} bytes")
                body = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > max_bytes:
                        raise MalformedReply(detail=f"GET {url}: more than {max_bytes} bytes")
                if not body:
                    raise MalformedReply(detail=f"GET {url}: empty")
                return bytes(body)

    async def _raise_for(self, resp: aiohttp.ClientResponse) -> None:
        detail = resp.reason or ""
        errors: tuple[tuple[str, str], ...] = ()
        kind = ""
        try:
            said = parse.decode(await resp.read(), Problem)  # problem+json, by the contract
            detail = said.detail or said.title
            kind = said.type
            errors = tuple((e.field, e.message) for e in said.errors or ())
        except (parse.Malformed, aiohttp.ClientError):
            pass  # not a problem (a proxy's page): the reason it gave
        st = resp.status
        log.info("%s %s -> %s %s", resp.method, resp.url.path, st, detail)
        if st == 401:
            raise Unauthorized(detail=detail, status=st)
        if st == 404 and not errors:
            raise NotFound(detail=detail, status=st)
        if st == 429:
            try:
                retry = float(resp.headers.get("Retry-After", "60"))
            except ValueError:
                retry = 60.0
            raise TooManyRequests(detail=detail, retry_after=retry)
        if st == 413:
            raise BadRequest(ProblemCode.TOO_LARGE, detail, st, errors)
        if st in (403, 404, 409, 422):  # a refusal the server names (its type's last part);
            # a 404 naming a field: an id in the body names nothing the caller may see
            code = CONFLICTS.get(kind.rsplit("/", 1)[-1], ProblemCode.BAD_REQUEST)
            raise BadRequest(code, detail, st, errors)
        if 400 <= st < 500 and st not in (408,):
            raise BadRequest(detail=detail, status=st, errors=errors)
        raise ServerError(detail=detail or f"HTTP {st}", status=st)

    # -- accounts ------------------------------------------------------------

    async def login(self, login: str, password: str) -> Grant:
        asked = {"login": login, "password": password}
        try:
            s: Grant = await self._fetch(
                "login", accounts.LoginResponse, _grant, "POST", "/auth/login", json=asked,
                auth=False,
            )  # fmt: skip
        except Unauthorized as e:
            raise Unauthorized(ProblemCode.WRONG_PASSWORD, e.detail, 401) from None
        self.token = s.token
        return s

    async def logout(self) -> None:
        await self.call("POST", "/auth/logout")
        self.token = None

    async def me(self) -> Me:
        return await self._fetch("me", accounts.Me, parse.me, "GET", "/me")

    async def set_status(self, status: Status) -> Me:
        body = {"status": status.value}
        return await self._fetch("status", accounts.Me, parse.me, "PUT", "/me/status", json=body)

    async def colleagues(self) -> list[Colleague]:
        def shape(d: accounts.Colleagues) -> list[Colleague]:
            return [parse.colleague(c) for c in d.items]

        return await self._fetch("colleagues", accounts.Colleagues, shape, "GET", "/colleagues")

    # -- lines and users -----------------------------------------------------------

    async def lines(self) -> list[Line]:
        def shape(d: clients.Lines) -> list[Line]:
            return [parse.line(x) for x in d.items]

        return await self._fetch("lines", clients.Lines, shape, "GET", "/lines")

    async def users_page(
        self,
        line_id: int,
        *,
        limit: int = 500,
        cursor: str | None = None,
        q: str = "",
        active_days: int | None = None,
    ) -> tuple[list[UserRow], str | None]:
        params = {"limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        if q:
            params["q"] = q
        if active_days is not None:
            params["active_days"] = str(active_days)

        def shape(d: clients.UserPage) -> tuple[list[UserRow], str | None]:
            return parse.user_rows(d.items), d.next_cursor

        path = f"/lines/{line_id}/users"
        return await self._fetch("users", clients.UserPage, shape, "GET", path, params=params)

    async def all_users(
        self, line_id: int, *, q: str = "", active_days: int | None = None, page: int = 500
    ) -> list[UserRow]:
        """Every user of the line (in the server's order), paging with big pages."""
        out: list[UserRow] = []
        cursor: str | None = None
        while True:
            rows, cursor = await self.users_page(
                line_id, limit=page, cursor=cursor, q=q, active_days=active_days
            )
            out.extend(rows)
            if not cursor or not rows:
                return out

    async def directory(self, line_id: int) -> parse.Directory:
        """Every user of the line, compactly (id, chat, last message time, search text)."""
        path = f"/lines/{line_id}/directory"
        return await self._fetch(
            "directory", clients.Directory, parse.directory, "GET", path, limits=LONG_READ
        )

    async def user_rows(self, line_id: int, ids: list[int]) -> list[UserRow]:
        """The rows of these users (≤ 500; those not on the line are left out)."""
        if not ids:
            return []
        params = {"ids": ",".join(map(str, ids))}

        def shape(d: clients.UserRows) -> list[UserRow]:
            return parse.user_rows(d.items)

        path = f"/lines/{line_id}/rows"
        return await self._fetch("rows", clients.UserRows, shape, "GET", path, params=params)

    async def user_card(self, line_id: int, user_id: int) -> UserCard:
        path = f"/lines/{line_id}/users/{user_id}"
        return await self._fetch("user card", clients.UserCard, parse.user_card, "GET", path)

    # -- chats ----------------------------------------------------------------------

    async def messages(
        self, chat_id: int, *, before: int | None = None, after: int | None = None, limit: int = 50
    ) -> tuple[list[Message], bool]:
        params = {"limit": str(limit)}
        if before is not None:
            params["before"] = str(before)
        if after is not None:
            params["after"] = str(after)

        def shape(d: chats.MessagePage) -> tuple[list[Message], bool]:
            return [parse.message(m) for m in d.items], d.has_more

        path = f"/chats/{chat_id}/messages"
        return await self._fetch("messages", chats.MessagePage, shape, "GET", path, params=params)

    async def put_message(
        self,
        chat_id: int,
        client_msg_id: str,
        text: str,
        quote_id: int | None = None,
        quote_text: str = "",
    ) -> Message:
        body: dict[str, object] = {"text": text}
        if quote_id is not None:
            body["quote_id"] = quote_id
            if quote_text:
                body["quote_text"] = quote_text
        path = f"/chats/{chat_id}/messages/{quote(client_msg_id, safe='')}"
        return await self._fetch("send", chats.Message, parse.message, "PUT", path, json=body)

    async def mark_read(self, chat_id: int, up_to: int) -> None:
        await self.call("POST", f"/chats/{chat_id}/read", json={"up_to": up_to})

    async def take_ticket(self, ticket_id: int) -> Ticket:
        path = f"/tickets/{ticket_id}/take"
        return await self._fetch("take", chats.Ticket, parse.ticket, "POST", path)

    async def finish_ticket(self, ticket_id: int) -> Ticket:
        path = f"/tickets/{ticket_id}/finish"
        return await self._fetch("finish", chats.Ticket, parse.ticket, "POST", path)

    async def start_ticket(self, chat_id: int) -> Ticket:
        path = f"/chats/{chat_id}/ticket"
        return await self._fetch("start", chats.Ticket, parse.ticket, "POST", path)

    async def transfer_ticket(
        self,
        ticket_id: int,
        specialist_id: int | None,
        note: str,
        tier: tickets.Tier | None = None,
        line_id: int | None = None,
    ) -> Ticket:
        path = f"/tickets/{ticket_id}/transfer"
        given = {"specialist_id": specialist_id, "tier": tier and tier.value, "line_id": line_id}
        body = {"note": note} | {key: value for key, value in given.items() if value is not None}
        return await self._fetch("transfer", chats.Ticket, parse.ticket, "POST", path, json=body)

    async def ticket_steps(self, chat_id: int) -> list[tickets.TicketStep]:
        path = f"/chats/{chat_id}/steps"
        return await self._fetch("steps", tickets.TicketSteps, lambda s: s.items, "GET", path)

    async def line_monitor(self, line_id: int) -> tickets.LineMonitor:
        path = f"/lines/{line_id}/monitor"
        return await self._fetch("monitor", tickets.LineMonitor, lambda s: s, "GET", path)

    async def line_load(self, line_id: int) -> tickets.LineLoad:
        path = f"/lines/{line_id}/load"
        return await self._fetch("load", tickets.LineLoad, lambda s: s, "GET", path)

    # -- events ---------------------------------------------------------------------

    def events_url(self, after: int | None) -> str:
        url = self.url("/events")
        if after is not None:
            url += f"?after={after}"
        return url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)


def _grant(d: accounts.LoginResponse) -> Grant:
    return Grant(d.token, d.expires_at, d.account.kind, d.account.id)


LONG_READ = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=60.0)
"""A reply that may be long on a slow link (a big line's directory: megabytes): bounded by
a minute of silence, not by the 15 s a request may take in all (it cut the directory of a
100 000-user line below ≈ 10 Mbit/s, and the line's search stayed on the server)."""
