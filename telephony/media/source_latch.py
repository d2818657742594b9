"""Which address a call's RTP is taken from: source latching.

RTP is UDP: anyone who finds our port can send into a call (audio, digits). The field's
answer, followed here, is asterisk's `strictrtp` (res_rtp_asterisk.c: learn a source from
`learning_min_sequential` = 4 packets in sequence, then drop every other one; learn again
when the remote address is set anew), with the preference rtpengine's heuristic endpoint
learning gives the address the SDP names:

- before a source is latched, a packet from the SDP's address:port latches it at once; any
  other source is on probation: `probation` packets in sequence, on one SSRC, in the agreed
  payload type (the codec's or telephone-event's), the last of them latching it (a PBX's
  media relay, a peer behind NAT, that sends from elsewhere than its SDP says). Each source
  is on probation of its own (the last `CANDIDATES` of them): a stranger's packets
  between the relay's do not start the relay's count again (with one count for everyone,
  as asterisk keeps, one stray packet every 20 ms kept the relay from ever being heard).
  What comes from a source on probation is not played;
- once latched, what comes from any other source is dropped and counted (`dropped`) — but
  from the SDP's address, which is always taken (where the peer said it would be);
- `expect(address)` with a new SDP address (a re-INVITE, a resume from elsewhere) unlatches
  and learns again; the same address (a session refresh, a hold) keeps the latch.

Left, as in asterisk: when the peer does not send from its SDP's address, a third party
whose 4 packets in sequence come before the peer's is the one latched. Our RTP still goes
to the SDP's address (`RtpStream._send`), not to the latched source.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

Address = tuple[str, int]


CANDIDATES = 8  # sources on probation at once; a new one pushes out the one heard longest ago


class SourceLatch:
    def __init__(self, probation: int = 4) -> None:
        self.probation = probation
        self.expected: Address | None = None  # the SDP's
        self.source: Address | None = None  # latched
        self.dropped = 0  # packets from elsewhere than the latched source, or on probation
        # each source on probation: (its SSRC, its last sequence number, how many in a row)
        self._candidates: dict[Address, tuple[int, int, int]] = {}

    def expect(self, address: Address) -> None:
        """The SDP says the peer is at `address`: learn again if that is new."""
        if address == self.expected:
            return
        self.expected, self.source = address, None
        self._candidates.clear()

    def accept(self, addr: Address, ssrc: int, seq: int, agreed: bool) -> bool:
        """Whether a packet from `addr` is the call's (`agreed`: in the payload type or
        telephone-event agreed); otherwise it is dropped and counted."""
        if addr == self.source:
            return True
        if addr == self.expected:
            return self._latch(addr)
        if self.source is None and agreed and self._on_probation(addr, ssrc, seq):
            return self._latch(addr)
        self.dropped += 1
        return False

    def _on_probation(self, addr: Address, ssrc: int, seq: int) -> bool:
        """Whether `addr` has now sent `probation` packets in sequence on one SSRC."""
        before = self._candidates.pop(addr, None)  # re-inserted last: heard most lately
        if before is not None and ssrc == before[0] and seq == (before[1] + 1) & 0xFFFF:
            count = before[2] + 1
        else:
            count = 1
        if len(self._candidates) >= CANDIDATES:
            del self._candidates[next(iter(self._candidates))]
        self._candidates[addr] = (ssrc, seq, count)
        return count >= self.probation

    def _latch(self, addr: Address) -> bool:
        if addr != self.source:
            log.info("RTP latched to %s:%d (the SDP said %s)", *addr, self.expected)
        self.source = addr
        self._candidates.clear()
        return True
