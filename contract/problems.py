"""RFC 9457 problem details: every error answer of the API."""

from __future__ import annotations

from msgspec import Struct


class FieldError(Struct, frozen=True):
    field: str  # the body's field or the parameter, "" for the body as a whole
    message: str


class Problem(Struct, frozen=True, omit_defaults=True):
    type: str  # https://linedesk.dev/problems/<slug>
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
