"""From, To, Contact and Route values (RFC 3261 §20.10, §25.1 name-addr / addr-spec).

aiosipua 0.7.1's `parse_address` takes the first `<` of the value as the start of the URI,
so a quoted display name holding one (`"a <b>" <sip:x@h>;tag=1`, RFC 4475 §3.1.1.x style)
yields the URI `b` and loses the tag: the dialog then failed to match the caller's BYE
(481). This is a small scanner of the grammar itself, quoted strings and escapes included;
it builds aiosipua's `Address` (the library still parses the URI inside the brackets).
A value that is not a name-addr or addr-spec raises `ValueError`.
"""

from __future__ import annotations

import re

from aiosipua import SipRequest, SipResponse
from aiosipua.headers import Address, parse_uri

_TOKEN = re.compile(r"[A-Za-z0-9.!%*_+`'~-]+")
_DISPLAY_TOKENS = re.compile(r"^[A-Za-z0-9.!%*_+`'~\-\s]*$")


def _quoted_end(text: str, start: int) -> int:
    """Index just past the quoted-string opening at `start` (backslash escapes honoured)."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise ValueError("unterminated quoted string")


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def split_params(text: str) -> dict[str, str | None]:
    """`;name=value;flag` → {"name": "value", "flag": None}; quoted values may hold `;`."""
    params: dict[str, str | None] = {}
    text = text.strip()
    while text:
        if not text.startswith(";"):
            raise ValueError("parameters must start with ';'")
        text = text[1:].lstrip()
        match = _TOKEN.match(text)
        if match is None:
            raise ValueError("bad parameter name")
        name = match.group().lower()
        text = text[match.end() :].lstrip()
        value: str | None = None
        if text.startswith("="):
            text = text[1:].lstrip()
            if text.startswith('"'):
                end = _quoted_end(text, 0)
            else:
                end = len(text)
                for stop in (";", " ", "\t"):
                    at = text.find(stop)
                    if at != -1:
                        end = min(end, at)
            value, text = text[:end], text[end:].lstrip()
            if not value:
                raise ValueError("empty parameter value")
        params[name] = value
    return params


def parse(raw: str) -> Address:
    """One name-addr (`"Name" <uri>;params`, `Name <uri>`, `<uri>`) or addr-spec (`uri;params`)."""
    text = raw.strip()
    display: str | None = None
    if text.startswith('"'):
        end = _quoted_end(text, 0)
        display = _unquote(text[:end])
        text = text[end:].lstrip()
        if not text.startswith("<"):
            raise ValueError("a quoted display name must be followed by <URI>")
    elif "<" in text:
        at = text.index("<")
        if not _DISPLAY_TOKENS.match(text[:at]):
            raise ValueError("bad display name")
        display = " ".join(text[:at].split()) or None
        text = text[at:]
    if text.startswith("<"):
        end = text.find(">")
        if end < 2:
            raise ValueError("no closing '>'")
        uri_text, rest = text[1:end], text[end + 1 :]
    else:  # addr-spec: every ';' parameter belongs to the header (RFC 3261 §20)
        if ">" in text or '"' in text:
            raise ValueError("stray '>' or '\"'")
        uri_text, sep, rest = text.partition(";")
        uri_text, rest = uri_text.rstrip(), sep + rest
    if not uri_text or uri_text != uri_text.strip() or ":" not in uri_text:
        raise ValueError("bad URI")
    return Address(display_name=display, uri=parse_uri(uri_text), params=split_params(rest))


def split_list(value: str) -> list[str]:
    """A header value holding several addresses (`a, "b, c" <sip:d>`) → one string each."""
    parts: list[str] = []
    start = i = 0
    angle = False
    while i < len(value):
        char = value[i]
        if char == '"' and not angle:
            i = _quoted_end(value, i)
            continue
        if char == "<":
            angle = True
        elif char == ">":
            angle = False
        elif char == "," and not angle:
            parts.append(value[start:i].strip())
            start = i + 1
        i += 1
    parts.append(value[start:].strip())
    return [part for part in parts if part]


def without_tag(raw: str) -> str:
    """The value with its `tag` header parameter removed (a dialog's local/remote URI)."""
    address = parse(raw)
    params = "".join(
        f";{name}" if value is None else f";{name}={value}"
        for name, value in address.params.items()
        if name != "tag"
    )
    text = raw.strip()
    head = text[: _uri_close(text) + 1] if ">" in text else text.split(";", 1)[0]
    return head + params


def _uri_close(text: str) -> int:
    start = _quoted_end(text, 0) if text.startswith('"') else 0
    return text.index(">", start)


def sender(message: SipRequest | SipResponse) -> Address | None:
    raw = message.get_header("from")
    return parse(raw) if raw else None


def recipient(message: SipRequest | SipResponse) -> Address | None:
    raw = message.get_header("to")
    return parse(raw) if raw else None


def contacts(message: SipRequest | SipResponse) -> list[Address]:
    return [
        parse(one)
        for value in message.headers.get("contact")
        for one in split_list(value)
        if one != "*"
    ]


def tag_of(address: Address | None) -> str:
    return (address.params.get("tag") if address is not None else None) or ""
