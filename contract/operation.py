"""What an operation of the API is: its method and path, parameters, body, replies and problems.

``contract.routes`` lists every operation; a feature with many operations keeps them in its
own module (``contract/<feature>_ops.py``) built from these, and ``contract.routes`` adds
its tuple to ``OPERATIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msgspec import Struct

JSON = "application/json"
Media = dict[str, dict[str, Any]]  # media type → OpenAPI media object


@dataclass(frozen=True)
class Reply:
    """A successful answer: a Struct as JSON, other media, or no body."""

    description: str
    body: type[Struct] | None = None
    media: Media | None = None
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per operation
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    replies: dict[int, Reply]
    description: str = ""
    params: type[Struct] | None = None  # path fields by name in ``path``; the rest query
    body: Any = None  # a JSON body: a Struct, or a union of Structs tagged by a field
    body_media: Media | None = None  # any other body
    problems: dict[int, str] = field(default_factory=dict)  # status → when
    headers: tuple[dict[str, Any], ...] = ()  # header parameters
    auth: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def ok(body: type[Struct] | None = None, description: str = "OK") -> dict[int, Reply]:
    return {200: Reply(description, body)}


V1 = "/api/v1"
