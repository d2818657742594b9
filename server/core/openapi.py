"""GET /api/v1/openapi.json: the contract, generated from its definitions (contract/)."""

from __future__ import annotations

import functools

from aiohttp import web

from contract import routes as api
from contract.openapi import document
from server.core.wire import encode, handles

routes = web.RouteTableDef()


@functools.cache
def _document() -> bytes:
    return encode(document())


@handles(routes, api.OPENAPI)
async def openapi(_request: web.Request) -> web.Response:
    return web.Response(body=_document(), content_type="application/json")
