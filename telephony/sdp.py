"""Offer/answer (RFC 3264) for one audio stream, matched by codec name (never by number).

aiosipua parses SDP; its `build_sdp()` offers one codec, so the offer is written here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiosipua import parse_sdp

SUPPORTED = ("PCMU", "PCMA")  # in our order of preference; G.711 at 8 kHz
STATIC = {"PCMU": 0, "PCMA": 8}
DTMF_PT = 101


class NoCommonCodec(Exception):
    """The other side offered or accepted no codec we can play."""


class BadSdp(Exception):
    """The body is not an SDP description with an audio stream."""


@dataclass(frozen=True, slots=True)
class Media:
    """What was agreed: where to send, with which payload types, and the direction."""

    address: tuple[str, int]
    codec: str
    payload_type: int
    dtmf_payload_type: int | None
    direction: str  # their direction: sendrecv, sendonly, recvonly, inactive


def offer(host: str, port: int, *, direction: str = "sendrecv", version: int = 1) -> str:
    session = int(time.time())
    pts = " ".join(str(STATIC[name]) for name in SUPPORTED)
    lines = [
        "v=0",
        f"o=linedesk {session} {version} IN IP4 {host}",
        "s=LineDesk",
        f"c=IN IP4 {host}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {pts} {DTMF_PT}",
        *(f"a=rtpmap:{STATIC[name]} {name}/8000" for name in SUPPORTED),
        f"a=rtpmap:{DTMF_PT} telephone-event/8000",
        f"a=fmtp:{DTMF_PT} 0-16",
        "a=ptime:20",
        f"a={direction}",
    ]
    return "\r\n".join(lines) + "\r\n"


def answer(host: str, port: int, media: Media, *, direction: str = "sendrecv") -> str:
    session = int(time.time())
    formats = f"{media.payload_type}" + (
        f" {media.dtmf_payload_type}" if media.dtmf_payload_type is not None else ""
    )
    lines = [
        "v=0",
        f"o=linedesk {session} 1 IN IP4 {host}",
        "s=LineDesk",
        f"c=IN IP4 {host}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {formats}",
        f"a=rtpmap:{media.payload_type} {media.codec}/8000",
    ]
    if media.dtmf_payload_type is not None:
        lines += [
            f"a=rtpmap:{media.dtmf_payload_type} telephone-event/8000",
            f"a=fmtp:{media.dtmf_payload_type} 0-16",
        ]
    lines += ["a=ptime:20", f"a={direction}"]
    return "\r\n".join(lines) + "\r\n"


_ANSWER_DIRECTION = {
    "sendrecv": "sendrecv",
    "sendonly": "recvonly",
    "recvonly": "sendonly",
    "inactive": "inactive",
}


def answer_direction(their: str) -> str:
    return _ANSWER_DIRECTION.get(their, "sendrecv")


def choose(body: str) -> Media:
    """The codec we use with what `body` (an offer or an answer) lists, by name."""
    try:
        sdp = parse_sdp(body)
    except Exception as exc:
        raise BadSdp(type(exc).__name__) from exc
    audio = sdp.audio
    address = sdp.rtp_address
    if audio is None or address is None or audio.port == 0:
        raise BadSdp("no audio stream")
    names = {c.payload_type: (c.encoding_name or "").upper() for c in audio.codecs}
    dtmf = next(
        (pt for pt, name in names.items() if name == "TELEPHONE-EVENT"),
        None,
    )
    for pt, name in names.items():
        if name in SUPPORTED:
            host = address[0]
            if host == "0.0.0.0":  # noqa: S104 - RFC 2543 hold, not a bind
                host = address[0]
            return Media((host, address[1]), name, pt, dtmf, audio.direction)
    raise NoCommonCodec(", ".join(sorted(set(names.values()) - {"TELEPHONE-EVENT"})) or "none")
