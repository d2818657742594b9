"""Bad input is a 4xx problem+json naming the problem: never a 500, never half-written."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from jsonschema import Draft202012Validator

from tests.server.api import Api

pytestmark = pytest.mark.server


async def test_malformed_and_mistyped_bodies(api: Api) -> None:
    login = await api.call("POST", "/auth/login", raw=b"{nope")
    assert login.status == 400
    assert login.body["type"].endswith("/malformed-json")
    unknown = await api.call("POST", "/auth/login", {"login": "demo", "password": "demo", "x": 1})
    assert unknown.status == 400
    assert unknown.body["errors"] == [{"field": "x", "message": "unknown field"}]
    mistyped = await api.call("POST", "/auth/login", {"login": 5, "password": "demo"})
    assert mistyped.body["errors"] == [{"field": "login", "message": "must be a string"}]
    not_object = await api.call("POST", "/auth/login", [1, 2])
    assert not_object.status == 400
    wrong_type = await api.call("POST", "/auth/login", raw=b"login=demo", content_type="text/plain")
    assert wrong_type.status == 415


async def test_oversized_body_is_413(api: Api) -> None:
    reply = await api.call("POST", "/auth/login", {"login": "x" * 300_000, "password": "demo"})
    assert reply.status == 413


async def test_bad_message_writes_nothing(api: Api) -> None:
    client = await api.as_user("a.troitskiy")
    chat_id = (await client.get("/chats"))["items"][0]["id"]
    before = await client.get(f"/chats/{chat_id}/messages")
    cases = [
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "   "}),
        # invisible alone: zero-width spaces, a direction mark, a blank Braille pattern
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "\u200b\u200b\u200b"}),
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": " \u200f\u2800\ufeff "}),
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "x" * 10_001}),
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "hi", "quote_id": "1"}),
        (f"/chats/{chat_id}/messages/not-a-uuid", {"text": "hi"}),
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "nul\u0000byte"}),
        (f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"text": "lone \ud800 surrogate"}),
    ]
    for path, body in cases:
        reply = await client.call("PUT", path, body)
        assert reply.status == 400, (path, body, reply.body)
        assert reply.body["detail"]
    # a quote or file id of nothing in this chat names nothing the caller may see: 404
    for field in ("quote_id", "file_id"):
        path = f"/chats/{chat_id}/messages/{uuid.uuid4()}"
        reply = await client.call("PUT", path, {"text": "hi", field: 10**9})
        assert reply.status == 404, (field, reply.body)
        assert reply.body["errors"] == [
            {"field": field, "message": reply.body["errors"][0]["message"]}
        ]
    assert await client.get(f"/chats/{chat_id}/messages") == before


async def test_bad_query_parameters(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    for params in (
        {"q": "a\u0000b"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "x"},
        {"cursor": "!!!"},
        {"cursor": "eyJhIjoxfQ"},
        {"active_days": "0"},
        {"active_days": ""},  # an empty value is "", no number
        {"limit": ""},
    ):
        reply = await demo.call("GET", f"/lines/{line_id}/users", params=params)
        assert reply.status == 400, params
    chat_id = (await demo.get(f"/lines/{line_id}/users", limit="1"))["items"][0]["chat_id"]
    empty = await demo.call("GET", f"/chats/{chat_id}/files", params={"limit": ""})
    assert empty.status == 400
    assert (await demo.call("GET", "/lines/abc/users")).status == 400
    assert (await demo.call("GET", "/chats/99999999999999999999999/messages")).status == 400
    huge = await demo.call("GET", f"/chats/{chat_id}/messages", params={"before": str(2**40)})
    assert huge.status == 400
    read = await demo.call("POST", f"/chats/{chat_id}/read", {"up_to": 2**40})
    assert read.status == 400  # past the 32-bit ids: invalid, as the document says
    async with demo.session.get(
        demo.base + f"/api/v1/events?after={2**64}", headers=demo.headers()
    ) as reply:
        assert reply.status == 400


async def test_unknown_route_and_method(api: Api) -> None:
    async with api.session.get(api.base + "/api/v1/nothing") as reply:
        assert reply.status == 404
        assert reply.content_type == "application/problem+json"
    async with api.session.delete(api.base + "/api/v1/me") as reply:
        assert reply.status == 405
        assert reply.content_type == "application/problem+json"


async def test_openapi_document_is_served(api: Api) -> None:
    document = await api.get("/openapi.json")
    assert document["openapi"].startswith("3.1")
    assert document == api.contract.document
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def _cursor(position: object) -> str:
    raw = json.dumps(position).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def test_forged_cursors_and_odd_queries_are_400(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    for cursor in (
        _cursor({"g": 1, "t": "2024-01-01T00:00:00+00:00", "id": 2**70}),
        _cursor({"g": 2, "n": "a", "id": -(2**70)}),
        _cursor({"g": 2, "n": "a\u0000", "id": 1}),
        _cursor({"g": 2, "n": "\ud800", "id": 1}),
        _cursor({"g": 1, "t": "2024-01-01", "id": 1}),
        _cursor({"g": 1, "t": "9999-12-31T23:59:59-23:59", "id": 1}),
        _cursor({"g": 3, "n": "a", "id": 1}),
        "A" * 6000,
    ):
        reply = await demo.call("GET", f"/lines/{line_id}/users", params={"cursor": cursor})
        assert reply.status == 400, (cursor[:80], reply.status, reply.body)
    for params in ({"q": "x" * 6000}, {"q": "\U0001f600\u202e\ufeff"}, {"q": "%_\\"}):
        reply = await demo.call("GET", f"/lines/{line_id}/users", params=params)
        assert reply.status == 200, (params, reply.status)
    for query in ("q=%FF%FE", "q=%ED%A0%80", "limit=%00", "ids=%EF%BC%91"):
        async with demo.session.get(
            f"{demo.base}/api/v1/lines/{line_id}/users?{query}", headers=demo.headers()
        ) as raw_reply:
            assert raw_reply.status in (200, 400), (query, raw_reply.status)


async def test_a_value_with_a_trailing_newline_is_refused_not_stored(api: Api) -> None:
    """Python's ``$`` also matches before a final newline: "…AA\\n" passed the cursor's
    pattern and failed to decode (a 500), "example.com\\n" was stored as a host the launcher
    then refused (a remote session that could never be used)."""
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    for cursor in ("n.1.AA\n", "a.1.1\n"):
        reply = await demo.call("GET", f"/lines/{line_id}/users", params={"cursor": cursor})
        assert reply.status == 400, reply.body
        assert reply.body["errors"][0]["field"] == "cursor"
    client = await api.as_user("a.troitskiy")
    chat = (await client.get("/chats"))["items"][0]
    me = (await client.get("/me"))["id"]
    made = await demo.call(
        "POST",
        "/remote-sessions",
        {"line_id": chat["line"]["id"], "user_id": me, "mode": "request"},
    )
    assert made.status == 201, made.body
    answer = f"/remote-sessions/{made.body['id']}/answer"
    bad = {"accept": True, "reach": {"via": "direct", "host": "example.com\n", "port": 5900}}
    reply = await client.call("POST", answer, bad)
    assert reply.status == 400, reply.body
    good = {"accept": True, "reach": {"via": "direct", "host": "example.com", "port": 5900}}
    assert (await client.call("POST", answer, good)).status == 200  # nothing was half-done


async def test_a_disconnection_until_the_calendar_edge_is_refused_in_words(api: Api) -> None:
    """An ``until`` that overflows when turned to UTC (year 9999 west of Greenwich, year 1
    east of it) is too far or over already (409), not a 500."""
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    user_id = (await demo.get(f"/lines/{line_id}/users", limit="1"))["items"][0]["id"]
    path = f"/lines/{line_id}/users/{user_id}/disconnection"
    for until, problem in (
        ("9999-12-31T23:59:59-23:59", "until-too-far"),
        ("0001-01-01T00:00:00+23:59", "until-past"),
    ):
        reply = await demo.call("PUT", path, {"reason": "спам", "until": until})
        assert reply.status == 409, reply.body
        assert reply.body["type"].endswith(problem)


async def test_a_nul_in_a_caller_address_is_a_400_on_both_databases(api: Api) -> None:
    demo = await api.as_user("demo")
    line_id = (await demo.get("/lines"))["items"][0]["id"]
    for path, params in (
        ("/call-caller", {"address": "a\x00b"}),
        ("/call-ring", {"line_id": str(line_id), "address": "a\x00b"}),
        ("/call-ring", {"line_id": str(line_id), "address": "a\x00b", "call_id": "x@pbx"}),
    ):
        reply = await demo.call("GET", path, params=params)
        assert reply.status == 400, (path, reply.body)
        assert reply.body["errors"][0]["field"] == "address"
