"""The OpenAPI 3.1 document, generated from the contract's definitions.

``document()`` walks ``contract.routes.OPERATIONS``: each operation's parameters
(the fields of its ``params`` Struct: in the path when the path names them, else in
the query), its body, its replies and the problems it answers; the schemas are
msgspec's JSON Schema of the Structs (``msgspec.json.schema_components``), closed
(``additionalProperties: false``: the server sends no other fields), with the event
frame's ``data`` tied to its ``kind``.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec

from contract.chats import NEEDS_TEXT_OR_FILE
from contract.events import EVENT_DATA
from contract.operation import JSON, Operation, Reply
from contract.problems import Problem
from contract.remote import ACCEPT_NEEDS_REACH
from contract.routes import FRAMES, OPERATIONS
from contract.tickets import NEEDS_TARGET

PROBLEM_JSON = "application/problem+json"
REF = "#/components/schemas/{name}"
Json = dict[str, Any]
INFO = {
    "title": "LineDesk ticket server",
    "version": "1.0.0",
    "description": "The contract between the LineDesk client and its ticket server, generated"
    " from its definitions (contract/; docs/api.md is its summary).",
}


ACROSS_FIELDS = {
    "MessageRequest": NEEDS_TEXT_OR_FILE,
    "TransferRequest": NEEDS_TARGET,
    "RemoteAnswer": ACCEPT_NEEDS_REACH,
}
"""Rules of a body across its fields (which no field's type says), by schema name."""


def _types() -> list[Any]:
    found: list[Any] = [Problem, *FRAMES, *EVENT_DATA.values()]
    for op in OPERATIONS:
        found += [r.body for r in op.replies.values() if r.body is not None]
        if op.body is not None:
            found.append(op.body)
    return list(dict.fromkeys(found))


@functools.cache
def document() -> Json:
    """The document (built once; do not change the returned object)."""
    types = _types()
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    refs = dict(zip(types, schemas, strict=True))
    for schema in components.values():
        if schema.get("type") == "object":
            schema["additionalProperties"] = False
    components["ServerFrame"] = refs[FRAMES[0]]
    _tie_event_data(components)
    for name, rule in ACROSS_FIELDS.items():
        components[name].update(rule)
    paths: Json = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, components)
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(sorted(components.items())),
        },
    }


def _tie_event_data(components: Json) -> None:
    frame = components["EventFrame"]
    frame["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": kind.value}}},
            "then": {"properties": {"data": {"$ref": REF.format(name=data.__name__)}}},
        }
        for kind, data in EVENT_DATA.items()
    ]


def _operation(op: Operation, refs: dict[Any, Json], components: Json) -> Json:
    out: Json = {"summary": op.summary, "tags": [op.tag]}
    if op.description:
        out["description"] = op.description
    if not op.auth:
        out["security"] = []
    parameters = [*_parameters(op, components), *op.headers]
    if parameters:
        out["parameters"] = parameters
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": {JSON: {"schema": refs[op.body]}}}
    elif op.body_media is not None:
        out["requestBody"] = {"required": True, "content": op.body_media}
    responses: Json = {str(s): _reply(r, refs) for s, r in op.replies.items()}
    for status, when in sorted(_problems(op).items()):
        responses[str(status)] = _problem(when)
    responses["default"] = _problem("An error (problem+json)")
    out["responses"] = responses
    return out


def _problems(op: Operation) -> dict[int, str]:
    """The answers every operation of its kind has, then its own."""
    found: dict[int, str] = {}
    if op.params is not None or op.body is not None:
        found[400] = "Invalid parameters or body (errors name the field)"
    if op.body is not None:
        found[400] = "Malformed JSON, or invalid parameters or body (errors name the field)"
        found[413] = "The body is too large"
        found[415] = "Not application/json"
    if op.auth:
        found[401] = "No valid bearer token"
    return {**found, **op.problems}


def _problem(description: str) -> Json:
    schema = {"$ref": REF.format(name="Problem")}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def _reply(reply: Reply, refs: dict[Any, Json]) -> Json:
    out: Json = {"description": reply.description}
    if reply.body is not None:
        out["content"] = {JSON: {"schema": refs[reply.body]}}
    elif reply.media is not None:
        out["content"] = reply.media
    if reply.headers:
        out["headers"] = reply.headers
    return out


def _parameters(op: Operation, components: Json) -> list[Json]:
    if op.params is None:
        return []
    (ref,), found = msgspec.json.schema_components([op.params], ref_template=REF)
    name = ref["$ref"].rpartition("/")[2]
    schema = found.pop(name)
    for key, value in found.items():  # enums and such the parameters refer to
        components.setdefault(key, value)
    required = set(schema.get("required", ()))
    out = []
    for field, prop in schema["properties"].items():
        where = "path" if f"{{{field}}}" in op.path else "query"
        prop = dict(prop)
        parameter: Json = {"name": field, "in": where, "required": where == "path"}
        if where == "query":
            parameter["required"] = field in required
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        if where == "query":
            prop = _present(prop)
        if prop.get("type") == "array":
            parameter |= {"style": "form", "explode": False}
        parameter["schema"] = prop
        out.append(parameter)
    return out


def _present(schema: Json) -> Json:
    """A query parameter's schema when it is given: absent is its default, never null."""
    branches = schema.get("anyOf")
    if branches is None:
        return schema
    given = [b for b in branches if b != {"type": "null"}]
    out = {k: v for k, v in schema.items() if k != "anyOf" and (k, v) != ("default", None)}
    return {**given[0], **out} if len(given) == 1 else {**out, "anyOf": given}
