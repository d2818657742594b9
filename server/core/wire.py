"""The contract at the server's edge: parameters and bodies in, replies out.

Handlers are registered by their contract operation (``handles``), read their
parameters (``params``; after authenticating the caller: no token is a 401 before
any 400) and JSON bodies (``body``) through its types, and answer with a contract
Struct (``reply``). Input that does not fit is a 400 problem naming the field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec
from aiohttp import web

from contract import codec
from contract.operation import Operation
from server.core.problems import Problem, field_error, invalid

T = TypeVar("T")
_encoder = msgspec.json.Encoder()
# what the server hands out as a file is never sniffed nor rendered as a page
INERT = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def handles(table: web.RouteTableDef, op: Operation) -> Callable[[Any], Any]:
    """Register the decorated handler for ``op`` (its method and path)."""
    return table.route(op.method, op.path)


async def body(request: web.Request, kind: type[T]) -> T:
    """The JSON body as ``kind``: 415 when not JSON, 413 past the size cap, 400 otherwise."""
    if request.content_type != "application/json":
        raise Problem(
            415, "unsupported-media-type", "Unsupported media type", "send application/json"
        )
    raw = await request.read()  # capped by the application's client_max_size (413)
    try:
        return codec.decode_json(raw, kind)
    except codec.Invalid as exc:
        raise _problem(exc) from None


async def one_of(request: web.Request, union: Any) -> Any:
    """The JSON body as one of ``union``'s Structs (a union tagged by a field; the caller
    annotates what it gets)."""
    return await body(request, union)


def params(request: web.Request, op: Operation, kind: type[T]) -> T:
    """The path and query parameters of ``op`` as ``kind`` (its ``params``)."""
    assert op.params is kind
    values: dict[str, str | list[str]] = {}
    for name, is_list in _fields(op):
        raw = request.match_info.get(name)
        if raw is None:
            given = request.query.getall(name, [])
            if len(given) > 1:  # one value (a list: comma-separated), as documented
                raise field_error(name, "given more than once")
            raw = given[0] if given else None
        if raw is not None:
            values[name] = raw.split(",") if is_list and raw else raw
    try:
        return codec.from_strings(values, kind)
    except codec.Invalid as exc:
        raise _problem(exc) from None


def reply(value: msgspec.Struct, status: int = 200) -> web.Response:
    return web.Response(body=_encoder.encode(value), status=status, content_type="application/json")


def attachment(path: Path, content_type: str, filename: str) -> web.FileResponse:
    """The stored file at ``path`` as a download called ``filename`` (RFC 6266 ``filename*``:
    any characters, none of them a path), inert in a browser."""
    disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    headers = {**INERT, "Content-Type": content_type, "Content-Disposition": disposition}
    return web.FileResponse(path, headers=headers)


def encode(value: Any) -> bytes:
    return _encoder.encode(value)


def storable(text: str) -> bool:
    """Text both databases accept: UTF-8 encodable (no lone surrogates) and without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _problem(exc: codec.Invalid) -> Problem:
    if exc.malformed and not exc.errors:
        return Problem(400, "malformed-json", "Malformed JSON", exc.malformed)
    errors = [{"field": f, "message": m} for f, m in exc.errors]
    if len(errors) == 1:
        field, message = exc.errors[0]
        detail = f"{field}: {message}" if field else f"the body {message}"
        return invalid(errors, detail)
    return invalid(errors)


@functools.cache
def _fields(op: Operation) -> tuple[tuple[str, bool], ...]:
    info = msgspec.inspect.type_info(op.params)
    assert isinstance(info, msgspec.inspect.StructType)
    return tuple(
        (f.name, isinstance(_plain(f.type), msgspec.inspect.ListType)) for f in info.fields
    )


def _plain(t: msgspec.inspect.Type) -> msgspec.inspect.Type:
    if isinstance(t, msgspec.inspect.Metadata):
        return _plain(t.type)
    if isinstance(t, msgspec.inspect.UnionType):
        given = [x for x in t.types if not isinstance(x, msgspec.inspect.NoneType)]
        return _plain(given[0]) if len(given) == 1 else t
    return t
