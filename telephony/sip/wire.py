"""Bytes on the wire <-> SIP messages, with the checks a UA must make before trusting one.

aiosipua parses; this module decides whether what it parsed is a message at all (RFC 3261
§8.1.1 mandatory headers, a sane start line, CSeq, Content-Length, status code). Anything
that fails is a `BadMessage`: the transport answers 400 when it can name the sender, and
otherwise drops it. Nothing raised by the parser on hostile input escapes this module.
"""

from __future__ import annotations

import re
import secrets

from aiosipua import SipMessage, SipRequest, SipResponse
from aiosipua.headers import parse_cseq, parse_uri, parse_via

from telephony.sip import address as addresses

Message = SipRequest | SipResponse

MAX_DATAGRAM = 65_535
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")
_REQUEST_LINE = re.compile(rb"^([^ \r\n]+) ([^ \r\n]+) SIP/2\.0\r?$")
_STATUS_LINE = re.compile(
    rb"^SIP/2\.0 ([1-6][0-9][0-9]) [^\r\n]*\r?$|^SIP/2\.0 ([1-6][0-9][0-9])\r?$"
)
_CALL_ID = re.compile(r"^[^\s]+$")
_VIA = re.compile(
    r"^SIP\s*/\s*2\.0\s*/\s*[A-Za-z]+\s+[^\s;,]+"
    r"(\s*;\s*[A-Za-z0-9.!%*_+`'~-]+(\s*=\s*[^;\s]+)?)*\s*$"
)
_SINGLE = ("from", "to", "call-id", "cseq", "content-length", "content-type", "max-forwards")


class BadMessage(Exception):
    """What was received is not a SIP message this UA can act on (the reason in words)."""


def branch() -> str:
    return "z9hG4bK" + secrets.token_hex(8)


def tag() -> str:
    return secrets.token_hex(6)


def parse(data: bytes) -> Message:
    """The message in `data`, checked; `BadMessage` otherwise (never another exception)."""
    if len(data) > MAX_DATAGRAM:
        raise BadMessage("larger than a datagram")
    first = data.split(b"\n", 1)[0]
    if first.startswith(b"SIP/"):
        if not _STATUS_LINE.match(first):
            raise BadMessage("bad status line")
    elif not _REQUEST_LINE.match(first):
        raise BadMessage("bad request line")
    try:
        message = SipMessage.parse(data)
        _check(message, data)
    except BadMessage:
        raise
    except Exception as exc:
        raise BadMessage(f"unparsable: {type(exc).__name__}") from exc
    return message


def _check(message: Message, data: bytes) -> None:
    for name in ("via", "from", "to", "call-id", "cseq"):
        if not message.headers.get(name):
            raise BadMessage(f"no {name}")
    for name in _SINGLE:
        if len(message.headers.get(name)) > 1:
            raise BadMessage(f"more than one {name}")
    if not all(_VIA.match(value) for value in message.headers.get("via")):
        raise BadMessage("bad Via")
    call_id = message.call_id or ""
    if not _CALL_ID.match(call_id):
        raise BadMessage("bad Call-ID")
    raw_cseq = message.get_header("cseq") or ""
    parts = raw_cseq.split()
    if len(parts) != 2 or not parts[0].isdigit() or int(parts[0]) >= 2**31:
        raise BadMessage("bad CSeq")
    cseq = parse_cseq(raw_cseq)
    vias = [parse_via(v) for v in message.headers.get("via")]
    if not vias[0].host or vias[0].transport.upper() not in ("UDP", "TCP"):
        raise BadMessage("bad Via")
    for name in ("from", "to"):
        raw = message.get_header(name) or ""
        try:
            address = addresses.parse(raw)
        except ValueError as exc:
            raise BadMessage(f"bad {name}: {exc}") from exc
        if address.uri.scheme not in ("sip", "sips", "tel") or not (
            address.uri.host or address.uri.scheme == "tel"
        ):
            raise BadMessage(f"bad {name}")
    if message.headers.get("content-length"):
        length = (message.get_header("content-length") or "").strip()
        if not length.isdigit():
            raise BadMessage("bad Content-Length")
        _head, sep, body = data.partition(b"\r\n\r\n")
        if not sep:
            raise BadMessage("no end of headers")
        if int(length) > len(body):
            raise BadMessage("body shorter than Content-Length")
    if isinstance(message, SipRequest):
        if not _TOKEN.match(message.method):
            raise BadMessage("bad method")
        if cseq.method != message.method and not (message.method == "ACK" and cseq.method == "ACK"):
            raise BadMessage("CSeq method differs from the request's")
        if message.uri.startswith(("sip:", "sips:")):
            uri = parse_uri(message.uri)
            if not uri.host:
                raise BadMessage("bad Request-URI")
        max_forwards = message.get_header("max-forwards")
        if max_forwards is not None and not max_forwards.strip().isdigit():
            raise BadMessage("bad Max-Forwards")
    else:
        if not 100 <= message.status_code <= 699:
            raise BadMessage("bad status code")


def via(local: tuple[str, int], transport: str = "UDP") -> str:
    """Our Via with a fresh branch (RFC 3581 rport: answers come back to this socket)."""
    return f"SIP/2.0/{transport} {local[0]}:{local[1]};branch={branch()};rport"


def response_to(
    request: SipRequest, status: int, reason: str, to_tag: str | None = None
) -> SipResponse:
    """A response to `request` (RFC 3261 §8.2.6): Via, From, Call-ID, CSeq copied, To tagged."""
    response = SipResponse(status_code=status, reason_phrase=reason)
    for via in request.headers.get("via"):
        response.add_header("Via", via)
    response.set_header("From", request.get_header("from") or "")
    to = request.get_header("to") or ""
    if to_tag and status > 100 and ";tag=" not in to.replace(" ", ""):
        to = f"{to};tag={to_tag}"
    response.set_header("To", to)
    response.set_header("Call-ID", request.call_id or "")
    response.set_header("CSeq", request.get_header("cseq") or "")
    return response


def cancel_for(invite: SipRequest) -> SipRequest:
    """The CANCEL of `invite` (RFC 3261 §9.1): its Request-URI, top Via (so its branch),
    Route, From, To, Call-ID and CSeq number."""
    cancel = SipRequest(method="CANCEL", uri=invite.uri)
    cancel.add_header("Via", invite.headers.get("via")[0])
    for route in invite.headers.get("route"):
        cancel.add_header("Route", route)
    cancel.set_header("Max-Forwards", "70")
    for name in ("From", "To", "Call-ID"):
        cancel.set_header(name, invite.get_header(name) or "")
    cancel.set_header("CSeq", f"{(invite.get_header('cseq') or '1').split()[0]} CANCEL")
    return cancel


def top_branch(message: Message) -> str:
    vias = message.via
    return (vias[0].branch or "") if vias else ""


def reply_address(request: SipRequest, source: tuple[str, int]) -> tuple[str, int]:
    """Where a response to `request` goes (RFC 3261 §18.2.2 with RFC 3581 rport): the
    address it came from — what ``received`` records whenever the Via's sent-by names
    another host — at the Via's port, or the port it came from when rport asks. Never to
    the Via's host as written: a name there was resolved inside ``sendto``, freezing the
    loop (and the window) for as long as DNS took, and another address made the UA answer
    an address that never wrote to it (a reflection, twelve datagrams per INVITE)."""
    via = request.via[0]
    if "rport" in via.params:
        return source
    return (source[0], via.port or 5060)


def stamp_received(request: SipRequest, source: tuple[str, int]) -> None:
    """The top Via as a server transport leaves it (RFC 3261 §18.2.1, RFC 3581 §4):
    ``received=`` the source address when the sent-by host is another, ``rport=`` the
    source port when asked for; every response copies it, so the sender learns both."""
    values = request.headers.get("via")
    top, via = values[0], request.via[0]
    if via.host != source[0] and "received" not in via.params:
        top += f";received={source[0]}"
    if "rport" in via.params and not via.params["rport"]:
        top = re.sub(r";\s*rport(?=\s*(?:;|$))", f";rport={source[1]}", top, count=1)
    values[0] = top
