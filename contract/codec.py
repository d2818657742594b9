"""Decoding through the contract, with failures told in terms of the field.

``decode_json`` reads a JSON document as one of the contract's types and
``from_strings`` a mapping of strings (URL parameters). Both raise ``Invalid``:
either the input is not JSON at all (``malformed``) or it is, and ``errors`` name
the field and what is wrong with it, in the words the API has always used.
"""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from contract.types import NUL_FREE

T = TypeVar("T")
_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_EXPECTED = re.compile(r"Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`")
_BOUND = re.compile(r"Expected `(?P<want>[^`]+)` (?P<op>[<>]=?) (?P<n>-?\d+)")
_LENGTH = re.compile(r"Expected `(?P<want>[^`]+)` of length (?P<op>[<>]=?) (?P<n>\d+)")
_NAMES = {
    "str": "a string",
    "int": "an integer",
    "bool": "a boolean",
    "object": "a JSON object",
    "array": "an array",
    "int | null": "an integer or null",
    "str | null": "a string or null",
}
BLANK_SHOWN = "u2028"  # only NOT_BLANK's character class has it (msgspec quotes the regex)
_WORDS = {"<=": "at most", ">=": "at least", "<": "less than", ">": "more than"}


class Invalid(ValueError):
    """Input that does not fit the contract; ``errors`` as ``(field, message)`` pairs."""

    def __init__(self, errors: list[tuple[str, str]], malformed: str = "") -> None:
        self.errors = errors
        self.malformed = malformed  # why it is not JSON at all ("" when it is)
        super().__init__(malformed or "; ".join(f"{f}: {m}" for f, m in errors))


def decode_json(raw: bytes | str, kind: type[T], *, whole_floats: bool = True) -> T:
    """``raw`` as ``kind``. A number with a zero fraction (``5.0``, ``1e3``) counts as the
    integer it is (JSON Schema's integers) when ``whole_floats``."""
    try:
        return msgspec.json.decode(raw, type=kind, strict=True)
    except msgspec.ValidationError as exc:
        if not (whole_floats and "got `float`" in str(exc)):
            raise Invalid([explain(str(exc), kind)]) from None
    except (msgspec.DecodeError, RecursionError) as exc:
        raise Invalid([], str(exc) or type(exc).__name__) from None
    return convert(_whole(msgspec.json.decode(raw)), kind, strict=True)


def from_strings(values: Mapping[str, str | list[str]], kind: type[T]) -> T:
    """URL parameters as ``kind`` (numbers written as numbers). An empty value is the empty
    string, as the OpenAPI document has it: no number, a string only where "" is allowed."""
    return convert(dict(values), kind, strict=False)


def convert(data: Any, kind: type[T], *, strict: bool) -> T:
    try:
        return msgspec.convert(data, kind, strict=strict)
    except msgspec.ValidationError as exc:
        raise Invalid([explain(str(exc), kind)]) from None


def explain(text: str, kind: Any = None) -> tuple[str, str]:
    """msgspec's account of a failure → (the field, what is wrong), as the API words it."""
    path = ""
    at = _AT.search(text)
    if at:
        path = at["path"].removeprefix(".")
        text = text[: at.start()]
    unknown = re.fullmatch(r"Object contains unknown field `(?P<name>[^`]+)`", text)
    if unknown:
        return _join(path, unknown["name"]), "unknown field"
    missing = re.fullmatch(r"Object missing required field `(?P<name>[^`]+)`", text)
    if missing:
        return _join(path, missing["name"]), "required"
    if match := _EXPECTED.fullmatch(text):
        want = match["want"]
        if not path and want == "object":
            return "", "must be a JSON object"
        return path, f"must be {_NAMES.get(want, want)}"
    if match := _LENGTH.fullmatch(text):
        unit = "characters" if match["want"] == "str" else "items"
        return path, f"must have {_WORDS[match['op']]} {match['n']} {unit}"
    if match := _BOUND.fullmatch(text):
        return path, f"must be {_WORDS[match['op']]} {match['n']}"
    if text.startswith("Expected `str` matching regex"):
        if BLANK_SHOWN in text:  # NOT_BLANK's character class
            return path, "must have something besides spaces, and no NUL characters"
        if repr(NUL_FREE) in text:  # msgspec quotes the regex
            return path, "must be valid text without NUL characters"
        return path, "must have the form the API document gives (its pattern)"
    if text.startswith("Invalid enum value"):
        allowed = _enum_values(kind, path)
        return path, f"must be one of {allowed}" if allowed else "not an allowed value"
    return path, text[:1].lower() + text[1:]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _enum_values(kind: Any, path: str) -> str:
    """The allowed values of a top-level enum field of a Struct, comma-separated."""
    if not (isinstance(kind, type) and issubclass(kind, msgspec.Struct)) or "." in path:
        return ""
    hints = typing.get_type_hints(kind)
    hint = hints.get(path)
    for candidate in (hint, *typing.get_args(hint)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return ", ".join(str(m.value) for m in candidate)
    return ""


def _whole(value: Any) -> Any:
    if type(value) is float:
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if type(value) is dict:
        return {k: _whole(v) for k, v in value.items()}
    if type(value) is list:
        return [_whole(v) for v in value]
    return value
