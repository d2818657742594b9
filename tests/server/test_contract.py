"""The contract at the server's edge: the served document is the definitions', every JSON
route turns an unreadable number into a 400, the caller is known before the parameters are
judged, and where the old hand-kept document was looser than the server the two agree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing
import uuid
from typing import Any

import aiohttp
import msgspec
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from contract import (
    calls_ops,
    clients_ops,
    disconnections_ops,
    groups_ops,
    profile_ops,
    remote_ops,
    tickets_ops,
)
from contract import routes as api_routes
from contract.codec import Invalid, decode_json, explain, from_strings
from contract.openapi import document
from server.app import ROUTE_TABLES
from tests.server.api import Api

pytestmark = pytest.mark.server
HUGE = "9" * 5000
NO_NUL = "must be valid text without NUL characters"
STATUSES = "free, away, busy_new, dnd"


def test_every_handler_is_a_documented_operation_and_back() -> None:
    registered = {
        (route.method, route.path)
        for table in ROUTE_TABLES
        for route in table
        if isinstance(route, web.RouteDef)
    }
    declared = {op.key for op in api_routes.OPERATIONS}
    assert registered == declared
    paths = document()["paths"]
    assert {(m.upper(), p) for p, item in paths.items() for m in item} == declared


async def test_the_served_document_is_generated_from_the_definitions(api: Api) -> None:
    served = await api.get("/openapi.json")
    assert served == json.loads(msgspec.json.encode(document()))
    assert "ServerFrame" in served["components"]["schemas"]


def test_errors_name_the_field_in_the_apis_words() -> None:
    from contract.accounts import LoginRequest, StatusRequest
    from contract.chats import MessageRequest, ReadRequest

    cases: list[tuple[bytes, type[Any], tuple[str, str]]] = [
        (b'{"login": 5, "password": "x"}', LoginRequest, ("login", "must be a string")),
        (b'{"login": "a", "password": "x", "y": 1}', LoginRequest, ("y", "unknown field")),
        (b"{}", ReadRequest, ("up_to", "required")),
        (b"[1]", ReadRequest, ("", "must be a JSON object")),
        (b'{"up_to": 2147483648}', ReadRequest, ("up_to", "must be at most 2147483647")),
        (b'{"quote_id": "1"}', MessageRequest, ("quote_id", "must be an integer or null")),
        (b'{"text": "a\\u0000"}', MessageRequest, ("text", NO_NUL)),
        (b'{"status": "x"}', StatusRequest, ("status", "must be one of " + STATUSES)),
    ]
    for raw, kind, said in cases:
        with pytest.raises(Invalid) as caught:
            decode_json(raw, kind)
        assert caught.value.errors == [said], raw
    with pytest.raises(Invalid) as huge:
        decode_json(b'{"up_to": ' + HUGE.encode() + b"}", ReadRequest)
    assert huge.value.errors[0][0] == "up_to"
    assert decode_json(b'{"up_to": 5.0}', ReadRequest) == ReadRequest(5)
    assert explain("Expected `int` >= 1 - at `$.limit`") == ("limit", "must be at least 1")
    # a pattern other than the NUL-free text's is not said to be about NUL characters
    from contract.clients import UsersQuery

    with pytest.raises(Invalid) as cursor:
        from_strings({"line_id": "1", "cursor": "a.99999999999999999999.1"}, UsersQuery)
    assert cursor.value.errors == [
        ("cursor", "must have the form the API document gives (its pattern)")
    ]


async def _json_routes(api: Api) -> list[tuple[Api, str, str, type[msgspec.Struct]]]:
    """Each operation with a JSON body: who may call it, and a path of theirs."""
    demo = await api.as_user("demo")
    client = await api.as_user("a.troitskiy")
    chat = (await client.get("/chats"))["items"][0]
    chat_id = chat["id"]
    new = {"line_id": chat["line"]["id"], "user_id": (await client.get("/me"))["id"]}
    made = await demo.call("POST", "/remote-sessions", {**new, "mode": "request"})
    remote = f"/remote-sessions/{made.body['id']}"
    rung = await demo.call("POST", "/calls", {**new, "direction": "in", "sip_call_id": "x@pbx"})
    call = f"/calls/{rung.body['id']}"
    rows = (await demo.get(f"/lines/{chat['line']['id']}/users", limit="200"))["items"]
    ticket_id = next(r["open_ticket"]["id"] for r in rows if r["open_ticket"])
    group = await demo.call("POST", "/groups", {"line_id": chat["line"]["id"], "name": "Группа"})
    paths = {
        groups_ops.CREATE: (demo, "/groups"),
        groups_ops.ADD: (demo, f"/groups/{group.body['id']}/members"),
        groups_ops.RENAME: (demo, f"/groups/{group.body['id']}"),
        remote_ops.CREATE: (demo, "/remote-sessions"),
        remote_ops.ANSWER: (client, f"{remote}/answer"),
        remote_ops.REPORT: (demo, f"{remote}/report"),
        remote_ops.COMMENT: (demo, f"{remote}/comment"),
        calls_ops.CREATE: (demo, "/calls"),
        calls_ops.REPORT: (demo, f"{call}/report"),
        calls_ops.COMMENT: (demo, f"{call}/comment"),
        api_routes.LOGIN: (api, "/auth/login"),
        api_routes.SET_STATUS: (demo, "/me/status"),
        api_routes.SEND: (client, f"/chats/{chat_id}/messages/{uuid.uuid4()}"),
        api_routes.MARK_READ: (demo, f"/chats/{chat_id}/read"),
        tickets_ops.TRANSFER: (demo, f"/tickets/{ticket_id}/transfer"),
        tickets_ops.COMMENT: (demo, f"/tickets/{ticket_id}/comment"),
        tickets_ops.RATE: (client, f"/tickets/{ticket_id}/rating"),
        clients_ops.SET_PRESENCE: (client, "/me/presence"),
        profile_ops.UPDATE: (demo, "/me/profile"),
        disconnections_ops.DISCONNECT: (
            demo,
            f"/lines/{new['line_id']}/users/{new['user_id']}/disconnection",
        ),
    }
    with_body = [op for op in api_routes.OPERATIONS if op.body is not None]
    assert set(with_body) == set(paths), "a new JSON route: give it a caller here"
    out = []
    for op in with_body:
        assert op.body is not None
        caller, path = paths[op]
        out.append((caller, op.method, path, op.body))
    return out


def _structs(kind: Any, seen: set[type]) -> typing.Iterator[type[msgspec.Struct]]:
    """``kind`` and every Struct reachable from its fields (through unions, lists, …)."""
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        if kind in seen:
            return
        seen.add(kind)
        yield kind
        for hint in typing.get_type_hints(kind).values():
            yield from _structs(hint, seen)
    for arg in typing.get_args(kind):
        yield from _structs(arg, seen)


def test_every_request_body_refuses_fields_the_document_does_not_have() -> None:
    """The document says ``additionalProperties: false`` of every object; a body's Struct
    (and every Struct inside it) must refuse an unknown field, not take the request and
    drop it (schemathesis found PUT /me/presence taking one, as a client user)."""
    seen: set[type] = set()
    loose = sorted(
        f"{op.method} {op.path}: {struct.__name__}"
        for op in api_routes.OPERATIONS
        if op.body is not None
        for struct in _structs(op.body, seen)
        if not struct.__struct_config__.forbid_unknown_fields
    )
    assert loose == []


async def test_a_5000_digit_integer_is_400_on_every_json_route(api: Api) -> None:
    for caller, method, path, body in await _json_routes(api):
        kinds = typing.get_args(body) or (body,)  # a union tagged by a field: each variant
        fields = {f.name: None for kind in kinds for f in msgspec.structs.fields(kind)}
        tags = {k.__struct_config__.tag_field: None for k in kinds} if len(kinds) > 1 else {}
        names = [*tags, *fields, "unknown"]
        for name in names:
            raw = f'{{"{name}": {HUGE}}}'.encode()
            reply = await caller.call(method, path, raw=raw)
            assert reply.status == 400, (method, path, name, reply.status, reply.body)
            assert reply.body["type"].endswith(("/invalid-request", "/malformed-json"))
        nested = f'{{"{names[0]}": [{HUGE}]}}'.encode()
        assert (await caller.call(method, path, raw=nested)).status == 400


async def test_no_token_is_401_whatever_the_parameters(api: Api) -> None:
    for path in ("/lines/abc/users", "/files/0", "/lines/1/rows?ids=x", "/events?after=-1"):
        async with api.session.get(api.base + "/api/v1" + path) as reply:
            assert reply.status == 401, path
            assert reply.content_type == "application/problem+json"
    for op in api_routes.OPERATIONS:
        if not op.auth or op.params is None:
            continue
        path = op.path.removeprefix("/api/v1")
        path = re.sub(r"\{[a-z_]+_id\}", "0", path)  # every object id in the path
        path = path.replace("{client_msg_id}", "not-a-uuid")
        reply = await api.call(op.method, path, raw=b"{}", params={"limit": "x", "ids": "y"})
        assert reply.status == 401, (op.method, path, reply.status)


def _parameter(method: str, path: str, name: str) -> dict[str, Any]:
    operation = document()["paths"]["/api/v1" + path][method]
    (found,) = [p for p in operation["parameters"] if p["name"] == name]
    return dict(found)


def _valid(schema: dict[str, Any], value: Any) -> bool:
    rooted = {**schema, "components": document()["components"]}
    return Draft202012Validator(rooted).is_valid(value)


async def test_where_the_document_was_looser_it_agrees_with_the_server(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    row = next(r for r in (await demo.get(f"/lines/{line_id}/users"))["items"] if r["last_message"])
    chat_id, last_id = row["chat_id"], row["last_message"]["id"]
    # Ids: the cap is documented; at the cap the id is only not found, past it refused.
    line_param = _parameter("get", "/lines/{line_id}/users", "line_id")["schema"]
    assert _valid(line_param, 2**31 - 1) and not _valid(line_param, 2**31)
    assert (await demo.call("GET", f"/lines/{2**31 - 1}/users")).status == 404
    assert (await demo.call("GET", f"/lines/{2**31}/users")).status == 400
    # active_days: its cap is documented.
    days = _parameter("get", "/lines/{line_id}/users", "active_days")["schema"]
    assert _valid(days, 36500) and not _valid(days, 36501)
    users = f"/lines/{line_id}/users"
    assert (await demo.call("GET", users, params={"active_days": "36500"})).status == 200
    assert (await demo.call("GET", users, params={"active_days": "36501"})).status == 400
    # A query parameter is given once, as a number (a URL has no null).
    assert not _valid(days, "null")
    assert (await demo.call("GET", users, params={"active_days": "null"})).status == 400
    async with demo.session.get(
        demo.base + "/api/v1" + users + "?limit=5&limit=6", headers=demo.headers()
    ) as twice:
        assert twice.status == 400
    # A whole-number float is an integer to JSON Schema, and to the server.
    read = {"$ref": "#/components/schemas/ReadRequest"}
    assert _valid(read, {"up_to": 1.0})
    whole = f'{{"up_to": {last_id}.0}}'.encode()
    assert (await demo.call("POST", f"/chats/{chat_id}/read", raw=whole)).status == 204
    # up_to that is no message of the chat names nothing the caller may see: 404 naming the
    # field, and the document says so.
    mark_read = document()["paths"]["/api/v1/chats/{chat_id}/read"]["post"]["responses"]
    assert "no message of this chat" in mark_read["404"]["description"]
    # up_to names a message: 0 is none, refused by the server and so by the document.
    assert not _valid(read, {"up_to": 0})
    assert (await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": 0})).status == 400
    # before with after: a range, oldest first, as the document says.
    history = document()["paths"]["/api/v1/chats/{chat_id}/messages"]["get"]
    assert "both: the oldest between them" in history["description"]
    a, b, c = [m["id"] for m in (await demo.get(f"/chats/{chat_id}/messages", limit="3"))["items"]]
    page = await demo.get(f"/chats/{chat_id}/messages", before=str(c), after=str(a))
    assert [m["id"] for m in page["items"]] == [b] and page["has_more"] is False
    page = await demo.get(f"/chats/{chat_id}/messages", before=str(c), after="0", limit="1")
    assert page["items"][0]["id"] < b and page["has_more"] is True
    # An empty picture is not one by the document either.
    put = document()["paths"]["/api/v1/me/avatar"]["put"]["requestBody"]["content"]
    assert not _valid(put["image/png"]["schema"], "")
    empty = await demo.call("PUT", "/me/avatar", raw=b"", content_type="image/png")
    assert empty.status == 422
    # A multipart body is the field 'file' alone.
    upload = document()["paths"]["/api/v1/chats/{chat_id}/files"]["post"]["requestBody"]
    form_schema = upload["content"]["multipart/form-data"]["schema"]
    assert not _valid(form_schema, {"note": "x", "file": "y"})
    form = aiohttp.FormData()
    form.add_field("note", "x")
    form.add_field("file", b"data", filename="a.txt")
    extra = await demo.call("POST", f"/chats/{chat_id}/files", data=form)
    assert extra.status == 400
    after = aiohttp.FormData()
    after.add_field("file", b"data", filename="a.txt")
    after.add_field("note", "x")
    assert (await demo.call("POST", f"/chats/{chat_id}/files", data=after)).status == 400
    # A message needs text or a file, a retry too: the document's rule across the fields.
    needs = {"$ref": "#/components/schemas/MessageRequest"}
    assert not _valid(needs, {"text": "  "}) and not _valid(needs, {"file_id": None})
    retry = f"/chats/{chat_id}/messages/{uuid.uuid4()}"
    assert (await demo.call("PUT", retry, {"text": "hi"})).status == 201
    assert (await demo.call("PUT", retry, {"text": "  "})).status == 400
    # A retry key is a UUID in the document's form (hyphens); either case is the same key.
    key = _parameter("put", "/chats/{chat_id}/messages/{client_msg_id}", "client_msg_id")
    bare = uuid.uuid4()
    assert not _valid(key["schema"], bare.hex) and _valid(key["schema"], str(bare).upper())
    refused = await demo.call("PUT", f"/chats/{chat_id}/messages/{bare.hex}", {"text": "hi"})
    assert refused.status == 400 and refused.body["errors"][0]["field"] == "client_msg_id"
    upper = await demo.call("PUT", f"/chats/{chat_id}/messages/{str(bare).upper()}", {"text": "a"})
    lower = await demo.call("PUT", f"/chats/{chat_id}/messages/{bare}", {"text": "a"})
    assert (upper.status, lower.status) == (201, 200)
    assert upper.body["id"] == lower.body["id"] and lower.body["client_msg_id"] == str(bare)
    # The event stream is a WebSocket upgrade by the document; a plain GET is refused.
    upgrade = _parameter("get", "/events", "Upgrade")
    assert upgrade["in"] == "header" and upgrade["required"]
    async with demo.session.get(demo.base + "/api/v1/events", headers=demo.headers()) as plain:
        assert plain.status == 400
        assert plain.content_type == "application/problem+json"


def test_the_contract_imports_neither_side_and_the_client_not_the_server() -> None:
    code = (
        "import sys, contract.openapi, contract.codec; "
        "sides = [m for m in sys.modules if m.split('.')[0] in ('app', 'ui', 'server')]; "
        "assert not sides, sides; "
        "import app.net.api, app.net.events, app.store.cache, app.workplace; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'server']"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for k, v in node.items() if k != "pattern"))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


@pytest.mark.parametrize("pattern", sorted(_patterns(document())))
def test_a_pattern_means_in_the_server_what_it_means_in_the_document(pattern: str) -> None:
    """The document's patterns are ECMA-262, where a final ``$`` is the end of the text; the
    server (msgspec) checks them with Python's ``re.search``, where it also matches before a
    final newline. Texts each pattern allows, and the same with a newline after: both agree
    (``contract.types.END``)."""
    ecma = re.compile(pattern[:-1] + "\\Z" if pattern.endswith("$") else pattern)
    python = re.compile(pattern)

    @given(st.from_regex(ecma))
    @settings(max_examples=30, deadline=None, database=None, derandomize=True)
    def agree(text: str) -> None:
        for probe in (text, text + "\n"):
            assert bool(python.search(probe)) == bool(ecma.search(probe)), repr(probe)

    agree()
