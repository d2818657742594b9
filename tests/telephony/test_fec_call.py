"""In-band FEC with a real peer: baresip sends Opus with FEC because our offer says
`useinbandfec=1` (and its encoder is told to expect loss), a relay loses every tenth of its
packets, and our jitter buffer decodes each lost one from the packet after it. Fails when
our offer does not say `useinbandfec=1` (baresip then sends no FEC: checked).

No audio device: a thread plays the jitter buffer every 20 ms as the audio callback would.
"""

from __future__ import annotations

import asyncio
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from telephony.media import libopus
from telephony.sip.ua import UserAgent
from tests.telephony.audio_check import read_8k, windowed
from tests.telephony.peers import start_baresip
from tests.telephony.relay import OneWay, call_through

pytestmark = pytest.mark.telephony
LIMIT = 60
# baresip 1.0.0: its encoder's FEC follows our fmtp's useinbandfec; libopus makes FEC only
# when it expects loss, which baresip leaves at 0 unless told (docs/telephony.md)
FEC = ("opus_packet_loss 10",)


class _Clocked:
    """A headset that is a thread: every 20 ms a silent block out, a frame played."""

    def __init__(self) -> None:
        self.played: list[bytes] = []
        self._stop = threading.Event()
        self.jitter: Any = None

    def start(self, on_mic: Callable[[bytes], None], jitter: Any, _tap: Any = None) -> None:
        loop = asyncio.get_running_loop()
        self.jitter = jitter
        silence = b"\x00\x00" * jitter.codec.frame

        def run() -> None:
            due = time.monotonic()
            while not self._stop.is_set():
                due += 0.02
                loop.call_soon_threadsafe(on_mic, silence)
                self.played.append(jitter.pop())
                time.sleep(max(0.0, due - time.monotonic()))

        threading.Thread(target=run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()


class _EveryTenthLost(OneWay):
    def __init__(self) -> None:
        super().__init__()
        self.lost = self.with_fec = 0

    def datagram_received(self, data: bytes, _addr: Any) -> None:
        lib, payload = libopus.library(), data[12:]  # (baresip's header has no extension)
        if data[1] & 0x7F == 111 and hasattr(lib, "opus_packet_has_lbrr"):  # libopus ≥ 1.5
            self.with_fec += lib.opus_packet_has_lbrr(payload, len(payload)) == 1
        if int.from_bytes(data[2:4], "big") % 10 == 5:
            self.lost += 1
            return
        self.forward(data)


async def test_packets_lost_from_baresip_are_decoded_from_its_fec(
    tmp_path: Path, speech: dict[str, Path]
) -> None:
    bob, port = start_baresip(
        tmp_path / "bob", speech["bob-call"], codecs="opus/48000/1,PCMU", config=FEC
    )
    headsets: list[_Clocked] = []

    def headset() -> _Clocked:
        headsets.append(_Clocked())
        return headsets[-1]

    agent = UserAgent(headset_factory=headset)  # type: ignore[arg-type]
    relay = _EveryTenthLost()
    try:  # baresip hangs up when its file ends
        call = await call_through(agent, f"sip:bob@127.0.0.1:{port}", relay, LIMIT)
    finally:
        bob.stop()
    assert call.rtp.codec.name == "opus"
    jitter = headsets[0].jitter
    assert relay.lost >= 30 and relay.with_fec > 100, (relay.lost, relay.with_fec)
    # each lost packet had its successor there when its turn came (a few at the very end)
    assert jitter.recovered >= relay.lost - 3, (jitter.recovered, jitter.concealed, relay.lost)
    played = tmp_path / "played.wav"
    with wave.open(str(played), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48_000)
        w.writeframes(b"".join(headsets[0].played))
    windows = windowed(read_8k(speech["bob"]), read_8k(played))
    # measured: 0.940 with its FEC, 0.829 without (baresip as by default)
    assert float(np.median(windows)) >= 0.92, windows
