"""A headset unplugged mid-call, through the window: the call goes on through the default
devices and the in-call panel says so. The headset is the PipeWire fake of
tests/telephony/test_unplug.py (null devices; unplugging destroys its nodes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from telephony.problems import CallState
from tests.telephony.conftest import ALICE_PASSWORD, speech
from tests.telephony.headset import FakeHeadset
from tests.telephony.peers import start_baresip, start_kamailio
from tests.telephony.test_unplug import headset, unplug
from tests.window.conftest import WINDOW_MARKS, run_async
from tests.window.test_calls import connect_pbx
from tests.window.test_window import Shown, shown

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony]
__all__ = ["headset", "shown", "speech"]  # the fixtures used here


def test_a_headset_unplugged_mid_call_moves_the_call_and_the_panel_says_so(
    shown: Shown, qtbot: Any, tmp_path: Path, headset: FakeHeadset, speech: dict[str, Path]
) -> None:

    w = shown.window
    bob, bob_port = start_baresip(tmp_path / "bob", speech["bob-long"])
    kamailio, kport = start_kamailio(
        tmp_path / "k", {"alice": ALICE_PASSWORD}, routes={"bob": f"sip:127.0.0.1:{bob_port}"}
    )
    try:
        connect_pbx(w, qtbot, kport)
        dialer = w.calls.open_dialer(f"sip:bob@127.0.0.1:{kport}")
        qtbot.mouseClick(dialer.call, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.calls.panel.isVisible(), timeout=30_000)  # bob answered
        panel = w.calls.panel
        assert not panel.audio.isVisible()
        call = w.calls.call
        assert call is not None and call.headset is not None
        qtbot.waitUntil(
            lambda: "headset_spk:playback_MONO" in headset.run(["pw-link", "-l"]), timeout=30_000
        )
        qtbot.waitUntil(call.devices_watched.is_set, timeout=30_000)
        unplug(headset)
        qtbot.waitUntil(panel.audio.isVisible, timeout=30_000)
        assert panel.audio.text() == (
            "The headset was unplugged: the call goes on through the computer's "
            "speakers and microphone"
        )
        assert panel.isVisible() and call.state is CallState.CONNECTED
        qtbot.waitUntil(
            lambda: "speakers:playback_MONO" in headset.run(["pw-link", "-l"]), timeout=30_000
        )
        sent, received = call.rtp.sent, call.rtp.received
        qtbot.waitUntil(
            lambda: call.rtp.sent > sent + 50 and call.rtp.received > received + 50,
            timeout=30_000,
        )
        assert call.state is CallState.CONNECTED
        qtbot.mouseClick(panel.hang_up, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
            timeout=30_000,
        )
        w.calls.comment_prompt.reject()
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()
        bob.stop()
