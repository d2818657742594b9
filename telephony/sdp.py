"""Offer/answer (RFC 3264) for one audio stream, matched by codec name (never by number).

aiosipua parses SDP; its `build_sdp()` offers one codec, so the offer is written here. We
offer Opus (RFC 7587), then PCMU and PCMA (telephony/media/codecs.py), and RFC 4733
telephone-event at both clocks: an event's timestamps run at its audio codec's clock, so
Opus takes `telephone-event/48000` and G.711 `telephone-event/8000`. An answer takes the
first codec of the offer that we support (the offerer's preference), with the offer's
payload numbers. A peer that knows telephone-event only at another clock (baresip 1.0.0
offers `/8000` beside Opus) still gets its digits: their durations at that clock, their
timestamps on the stream's (RFC 4733 §2.1 wants one clock; we never offer two that differ).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import time
from dataclasses import dataclass

from aiosipua import parse_sdp
from aiosipua.sdp import MediaDescription

from telephony.media.codecs import Codec, by_name, supported

# our telephone-event payload types, one per clock of the codecs we offer
DTMF_PTS = {48_000: 110, 8000: 101}


class NoCommonCodec(Exception):
    """The other side offered or accepted no codec we can play."""


class BadSdp(Exception):
    """The body is not an SDP description with an audio stream."""


@dataclass(frozen=True, slots=True)
class Media:
    """What was agreed: where to send, the codec (with the agreed payload type), the
    telephone-event payload type and its clock (the codec's, but for an odd peer), and the
    direction."""

    address: tuple[str, int]
    codec: Codec
    dtmf_payload_type: int | None
    direction: str  # their direction: sendrecv, sendonly, recvonly, inactive
    dtmf_clock: int = 8000
    index: int = 0  # which of the offer's m= lines is this stream
    offered: tuple[str, ...] = ()  # the offer's m= lines ("video RTP/AVP 31"): the answer's

    @property
    def payload_type(self) -> int:
        return self.codec.payload_type


def _codec_lines(codec: Codec) -> list[str]:
    lines = [f"a=rtpmap:{codec.payload_type} {codec.rtpmap}"]
    if codec.fmtp:
        lines.append(f"a=fmtp:{codec.payload_type} {codec.fmtp}")
    return lines


def _dtmf_lines(payload_type: int, clock_rate: int) -> list[str]:
    return [
        f"a=rtpmap:{payload_type} telephone-event/{clock_rate}",
        f"a=fmtp:{payload_type} 0-16",
    ]


@dataclass(slots=True)
class Origin:
    """Our ``o=`` line through one call (RFC 3264 §5, §8): one session id, its version one
    up at each SDP we write that differs from the last (Asterisk's chan_sip, for one, skips
    an SDP whose version did not move), and the same for the same SDP — a session refresh
    says nothing changed, so no media is set up again (RFC 6337 §5.3)."""

    session: int = dataclasses.field(default_factory=lambda: int(time.time()))
    version: int = 0
    last: str = ""  # the last SDP written, without its o= line

    def sdp(self, host: str, lines: list[str]) -> str:
        """The SDP of ``lines`` (all but ``v=`` and ``o=``) with our origin."""
        body = "\r\n".join(lines) + "\r\n"
        if body != self.last or not self.version:
            self.version += 1
            self.last = body
        return f"v=0\r\no=linedesk {self.session} {self.version} IN IP4 {host}\r\n{body}"


def offer(
    host: str, port: int, *, direction: str = "sendrecv", origin: Origin | None = None
) -> str:
    codecs = supported()
    clocks = {codec.clock_rate for codec in codecs}
    events = {pt: clock for clock, pt in DTMF_PTS.items() if clock in clocks}
    pts = " ".join(str(pt) for pt in [c.payload_type for c in codecs] + [*events])
    lines = ["s=LineDesk", f"c=IN IP4 {host}", "t=0 0", f"m=audio {port} RTP/AVP {pts}"]
    for codec in codecs:
        lines += _codec_lines(codec)
    for pt, clock_rate in events.items():
        lines += _dtmf_lines(pt, clock_rate)
    lines += ["a=ptime:20", f"a={direction}"]
    return (origin or Origin()).sdp(host, lines)


def answer(
    host: str,
    port: int,
    media: Media,
    *,
    direction: str = "sendrecv",
    origin: Origin | None = None,
) -> str:
    formats = f"{media.payload_type}" + (
        f" {media.dtmf_payload_type}" if media.dtmf_payload_type is not None else ""
    )
    lines = ["s=LineDesk", f"c=IN IP4 {host}", "t=0 0"]
    ours = [f"m=audio {port} RTP/AVP {formats}", *_codec_lines(media.codec)]
    if media.dtmf_payload_type is not None:
        ours += _dtmf_lines(media.dtmf_payload_type, media.dtmf_clock)
    ours += ["a=ptime:20", f"a={direction}"]
    # as many m= lines as the offer, in its order; the others refused with port 0 (§6)
    for k, line in enumerate(media.offered or ("audio",)):
        if k == media.index:
            lines += ours
        else:
            kind, proto, first = line.split(" ", 2)
            lines.append(f"m={kind} 0 {proto} {first}")
    return (origin or Origin()).sdp(host, lines)


_ANSWER_DIRECTION = {
    "sendrecv": "sendrecv",
    "sendonly": "recvonly",
    "recvonly": "sendonly",
    "inactive": "inactive",
}


def holds(media: Media) -> bool:
    """They hold: sendonly or inactive, or the old way, 0.0.0.0 (RFC 3264 §8.4): no RTP
    from them is awaited (a silence is no lost peer), and none is sent to them."""
    return media.direction in ("sendonly", "inactive") or media.address[0] == "0.0.0.0"  # noqa: S104


def answer_direction(their: str) -> str:
    return _ANSWER_DIRECTION.get(their, "sendrecv")


def choose(body: str, keep: Codec | None = None) -> Media:
    """The codec we use with what `body` (an offer or an answer) lists, by name: the first
    we support in its order, or `keep` (the call's codec, on a re-INVITE) while it is there."""
    try:
        sdp = parse_sdp(body)
    except Exception as exc:
        raise BadSdp(type(exc).__name__) from exc
    lines = tuple(f"{m.media} {m.proto} {(m.formats or ['0'])[0]}" for m in sdp.media)
    streams = [
        (k, m)
        for k, m in enumerate(sdp.media)
        if m.media == "audio" and m.port != 0 and m.proto.upper() == "RTP/AVP"  # (no SRTP)
    ]
    if not streams:
        raise BadSdp("no audio stream")
    unknown: set[str] = set()
    unusable = ""
    for index, audio in streams:  # the first audio stream we can take (RFC 3264 §6)
        conn = audio.connection or sdp.connection
        # what our IPv4 RTP socket can send to: a port past 65535 closed the socket at the
        # first packet, a name was resolved in sendto (the loop stopped), IPv6 never arrived
        unusable = _unusable(conn.address if conn else None, audio.port)
        if unusable:
            continue
        assert conn is not None
        try:
            media = _agreed(audio, (conn.address, audio.port), keep)
        except NoCommonCodec as exc:
            unknown.add(str(exc))
            continue
        return dataclasses.replace(media, index=index, offered=lines)
    if unknown:
        raise NoCommonCodec(", ".join(sorted(unknown)))
    raise BadSdp(unusable)


def _unusable(address: str | None, port: int) -> str:
    """Why our IPv4 RTP socket cannot send there ("" when it can)."""
    if address is None:
        return "no connection address"
    if not 0 < port < 65536:
        return f"port {port}"
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return f"not an IPv4 address: {address[:64]}"
    return ""


def _agreed(audio: MediaDescription, address: tuple[str, int], keep: Codec | None) -> Media:
    offered = [
        (c.payload_type, c.encoding_name or "", c.clock_rate)
        for c in audio.codecs
        if 0 <= c.payload_type <= 127  # RTP's seven bits: 300 failed every frame's packing
    ]
    if keep is not None:
        same = [o for o in offered if (o[1].lower(), o[2]) == (keep.name.lower(), keep.clock_rate)]
        offered = same + [o for o in offered if o not in same]
    for pt, name, clock_rate in offered:
        codec = by_name(name, clock_rate)
        if codec is None:
            continue
        events = [(n, rate) for n, other, rate in offered if other.lower() == "telephone-event"]
        # the one at the codec's clock, else whichever the peer has
        events.sort(key=lambda event: event[1] != codec.clock_rate)
        dtmf, dtmf_clock = events[0] if events else (None, codec.clock_rate)
        agreed = dataclasses.replace(codec, payload_type=pt)
        return Media(address, agreed, dtmf, audio.direction, dtmf_clock)
    names = {name.upper() for _pt, name, _rate in offered} - {"TELEPHONE-EVENT"}
    raise NoCommonCodec(", ".join(sorted(names)) or "none")
