"""An INVITE dialog (RFC 3261 §12): who we are, who they are, and how to reach them.

Unlike aiosipua 0.7.1's dialog, the UAC side takes its remote target from the 2xx's Contact
and its route set from the 2xx's Record-Route (reversed), and the UAS side from the INVITE's;
in-dialog requests carry that route set, so through a proxy that record-routes (kamailio)
the ACK and BYE reach the callee.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiosipua import SipRequest, SipResponse
from aiosipua.headers import parse_uri, stringify_uri

from telephony.sip import address
from telephony.sip.transactions import Address


def uri_address(uri: str) -> Address:
    parsed = parse_uri(uri)
    maddr = parsed.params.get("maddr")
    return (maddr or parsed.host, parsed.port or 5060)


@dataclass
class Dialog:
    call_id: str
    local_tag: str
    remote_tag: str
    local_uri: str  # the From (ours) as it appears in the INVITE, without a tag
    remote_uri: str  # theirs, without a tag
    remote_target: str
    route_set: list[str] = field(default_factory=list)
    local_seq: int = 1
    remote_seq: int = 0
    local_contact: str = ""

    @classmethod
    def as_caller(cls, invite: SipRequest, response: SipResponse) -> Dialog:
        contacts = address.contacts(response)
        remote_target = stringify_uri(contacts[0].uri) if contacts else invite.uri
        cseq = invite.cseq
        return cls(
            call_id=invite.call_id or "",
            local_tag=address.tag_of(address.sender(invite)),
            remote_tag=address.tag_of(address.recipient(response)),
            local_uri=address.without_tag(invite.get_header("from") or ""),
            remote_uri=address.without_tag(invite.get_header("to") or ""),
            remote_target=remote_target,
            route_set=list(reversed(_routes(response))),
            local_seq=cseq.seq if cseq else 1,
            local_contact=invite.get_header("contact") or "",
        )

    @classmethod
    def as_callee(cls, invite: SipRequest, local_tag: str, local_contact: str) -> Dialog:
        contacts = address.contacts(invite)
        remote_target = stringify_uri(contacts[0].uri) if contacts else ""
        cseq = invite.cseq
        return cls(
            call_id=invite.call_id or "",
            local_tag=local_tag,
            remote_tag=address.tag_of(address.sender(invite)),
            local_uri=address.without_tag(invite.get_header("to") or ""),
            remote_uri=address.without_tag(invite.get_header("from") or ""),
            remote_target=remote_target,
            route_set=_routes(invite),
            remote_seq=cseq.seq if cseq else 0,
            local_contact=local_contact,
        )

    def next_hop(self) -> Address:
        if self.route_set:
            first = address.parse(self.route_set[0]).uri
            return (first.host, first.port or 5060)
        return uri_address(self.remote_target)

    def request(self, method: str, via: str, *, seq: int | None = None) -> SipRequest:
        """An in-dialog request (loose routing: Request-URI = remote target, Route = set);
        `via`: our Via header (the endpoint's, with a fresh branch)."""
        if seq is None:
            self.local_seq += 1
            seq = self.local_seq
        request = SipRequest(method=method, uri=self.remote_target)
        request.add_header("Via", via)
        for route in self.route_set:
            request.add_header("Route", route)
        request.set_header("Max-Forwards", "70")
        request.set_header("From", f"{self.local_uri};tag={self.local_tag}")
        request.set_header("To", f"{self.remote_uri};tag={self.remote_tag}")
        request.set_header("Call-ID", self.call_id)
        request.set_header("CSeq", f"{seq} {method}")
        if self.local_contact and method not in ("ACK", "BYE", "CANCEL"):
            request.set_header("Contact", self.local_contact)
        return request

    def accepts(self, request: SipRequest) -> bool:
        """Is `request` in this dialog?"""
        return (
            request.call_id == self.call_id
            and address.tag_of(address.sender(request)) == self.remote_tag
            and address.tag_of(address.recipient(request)) == self.local_tag
        )

    def in_order(self, request: SipRequest) -> bool:
        """Its CSeq not below their last one, which it becomes (RFC 3261 §12.2.2: a lower
        one is out of order, answered 500; a UAC's dialog knows none of theirs yet)."""
        cseq = request.cseq
        seq = cseq.seq if cseq is not None else 0
        if self.remote_seq and seq < self.remote_seq:
            return False
        self.remote_seq = seq
        return True


def _routes(message: SipRequest | SipResponse) -> list[str]:
    """The Record-Route entries in order (one header may hold several, comma-separated)."""
    values = message.headers.get("record-route")
    return [one for value in values for one in address.split_list(value)]
