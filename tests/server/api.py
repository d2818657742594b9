"""A small HTTP client for server tests; every answer is checked against the OpenAPI document."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from jsonschema import Draft202012Validator
from multidict import CIMultiDict

DOCUMENT = Path(__file__).resolve().parents[2] / "server" / "core" / "openapi.json"
PASSWORD = "demo"


class Contract:
    """The OpenAPI document: finds the operation of a request and checks its answer."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), item)
            for template, item in document["paths"].items()
        ]

    @classmethod
    def load(cls) -> Contract:
        return cls(json.loads(DOCUMENT.read_text()))

    def operation(self, method: str, path: str) -> dict[str, Any]:
        path = path.partition("?")[0]  # a URL as the server hands it out (avatar_url)
        for pattern, item in self.paths:
            if pattern.match(path) and method.lower() in item:
                return dict(item[method.lower()])
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def check(self, method: str, path: str, status: int, content_type: str, body: Any) -> None:
        responses = self.operation(method, path)["responses"]
        answer = responses.get(str(status)) or responses.get("default")
        assert answer is not None, f"{method} {path} → {status} is not documented"
        if "content" not in answer:
            return
        content = answer["content"]
        media = content[content_type] if content_type in content else content.get("*/*")
        assert media is not None, f"{method} {path} → {status}: {content_type} is not documented"
        if "schema" in media:
            self.validate(media["schema"], body)

    def validate(self, schema: dict[str, Any], instance: Any) -> None:
        rooted = {**schema, "components": self.document["components"]}
        Draft202012Validator(rooted).validate(instance)


@dataclass
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=CIMultiDict)  # names in any case


class Api:
    """Requests as one account (or none) against one server."""

    def __init__(
        self,
        base: str,
        contract: Contract,
        session: aiohttp.ClientSession | None = None,
        token: str | None = None,
    ) -> None:
        self.base = base
        self.contract = contract
        self._session = session
        self.token = token

    async def __aenter__(self) -> Api:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._session is not None
        await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None
        return self._session

    def at(self, base: str) -> Api:
        """The same account against another server process."""
        return Api(base, self.contract, self._session, self.token)

    async def as_user(self, login: str, password: str = PASSWORD) -> Api:
        reply = await self.call("POST", "/auth/login", {"login": login, "password": password})
        assert reply.status == 200, (login, password, reply.body)
        return Api(self.base, self.contract, self._session, reply.body["token"])

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
        data: Any = None,
        params: dict[str, str] | None = None,
    ) -> Reply:
        headers = self.headers()
        payload: Any = data
        if raw is not None:
            payload = raw
            headers["Content-Type"] = content_type
        elif body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = content_type
        async with self.session.request(
            method, self.base + "/api/v1" + path, data=payload, headers=headers, params=params
        ) as response:
            content = await response.read()
            kind = response.content_type
            parsed: Any = content
            if kind in ("application/json", "application/problem+json"):
                parsed = json.loads(content)
            self.contract.check(method, "/api/v1" + path, response.status, kind, parsed)
            if response.status >= 400:
                assert kind == "application/problem+json", (response.status, content[:200])
            return Reply(response.status, parsed, CIMultiDict(response.headers))

    async def get(self, path: str, **params: str) -> Any:
        reply = await self.call("GET", path, params=params or None)
        assert reply.status == 200, (path, reply.status, reply.body)
        return reply.body

    def events(self, after: int | None = None) -> Any:
        query = "" if after is None else f"?after={after}"
        return self.session.ws_connect(
            self.base + "/api/v1/events" + query, headers=self.headers(), autoping=True
        )
