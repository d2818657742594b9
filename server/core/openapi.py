"""GET /api/v1/openapi.json: the contract (server/core/openapi.json, kept beside the code)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

DOCUMENT = Path(__file__).with_name("openapi.json")
routes = web.RouteTableDef()


@routes.get("/api/v1/openapi.json")
async def openapi(_request: web.Request) -> web.Response:
    return web.Response(body=DOCUMENT.read_bytes(), content_type="application/json")
