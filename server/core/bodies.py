"""Strict JSON request bodies and query parameters: unknown or mistyped fields are 400."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from server.core.problems import Problem, field_error, invalid


@dataclass(frozen=True, slots=True)
class Field:
    kind: type
    required: bool = True
    nullable: bool = False


_TYPE_NAMES = {str: "a string", int: "an integer", bool: "a boolean"}
MAX_ID = 2**31 - 1  # ids are 32-bit integer columns
MAX_SEQ = 2**63 - 1


async def json_body(request: web.Request, fields: dict[str, Field]) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise Problem(
            415, "unsupported-media-type", "Unsupported media type", "send application/json"
        )
    raw = await request.read()  # capped by the application's client_max_size (413)
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise Problem(400, "malformed-json", "Malformed JSON", str(exc)) from exc
    if not isinstance(body, dict):
        raise invalid(
            [{"field": "", "message": "must be a JSON object"}], "the body must be a JSON object"
        )
    errors = [{"field": name, "message": "unknown field"} for name in body if name not in fields]
    for name, spec in fields.items():
        if name not in body:
            if spec.required:
                errors.append({"field": name, "message": "required"})
            continue
        value = body[name]
        if value is None and spec.nullable:
            continue
        if not _is(value, spec.kind):
            errors.append({"field": name, "message": f"must be {_TYPE_NAMES[spec.kind]}"})
        elif spec.kind is int and not 0 <= value <= MAX_ID:
            errors.append({"field": name, "message": f"must be in 0..{MAX_ID}"})
        elif spec.kind is str and not storable(value):
            errors.append({"field": name, "message": "must be valid text without NUL characters"})
    if errors:
        raise invalid(errors)
    return body


def storable(text: str) -> bool:
    """Text both databases accept: UTF-8 encodable (no lone surrogates) and without NUL."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _is(value: Any, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def int_param(
    request: web.Request,
    name: str,
    *,
    default: int | None = None,
    low: int = 0,
    high: int = MAX_ID,
) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise field_error(name, "must be an integer") from exc
    if not low <= value <= high:
        raise field_error(name, f"must be in {low}..{high}")
    return value


def path_id(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= MAX_ID):
        raise field_error(name, "must be a positive integer id")
    return int(raw)
