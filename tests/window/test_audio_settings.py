"""Settings → Audio, through the window: the device lists follow the devices live (a sink
created while the page is open appears in its lists, and goes when it is removed), a chosen
device that is gone falls back to the default with a note, and the choice is kept in the
settings. The devices are the PipeWire fake of tests/telephony/test_unplug.py."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.settings import Settings
from telephony.media import devices
from tests.telephony.headset import FakeHeadset
from tests.telephony.test_unplug import headset
from tests.window.conftest import WINDOW_MARKS
from tests.window.test_window import Shown, shown
from ui.mainwindow.actions import MainAction

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony]
__all__ = ["headset", "shown"]  # the fixtures used here
NEW = "usb_headset_new"


def _keys(box: Any) -> list[str]:
    return [box.itemData(i) for i in range(box.count())]


def test_a_device_plugged_in_while_the_page_is_open_appears_and_goes(
    shown: Shown, qtbot: Any, headset: FakeHeadset
) -> None:
    w = shown.window
    w.commands[MainAction.SETTINGS].trigger()
    dialog = w.settings_menu.dialog
    assert dialog is not None
    page = dialog.show_page("Audio")
    assert page is not None and page.isVisible()
    qtbot.waitUntil(lambda: "headset_spk" in _keys(page.ringer), timeout=30_000)
    assert "speakers" in _keys(page.ringer) and "speakers" in _keys(page.speaker)
    assert "builtin_mic" in _keys(page.microphone) and "headset_spk" not in _keys(page.microphone)
    assert page.ringer.itemData(0) == "" and page.note.text() == ""

    # plugged in: a new sink, while the page is open
    props = (
        "{ factory.name=support.null-audio-sink "
        f'node.name={NEW} node.description="USB headset <b>2</b>" media.class=Audio/Sink '
        "object.linger=true audio.position=[MONO] audio.rate=48000 }"
    )
    headset.run(["pw-cli", "create-node", "adapter", props])
    qtbot.waitUntil(lambda: NEW in _keys(page.ringer), timeout=30_000)
    at = page.ringer.findData(NEW)
    assert page.ringer.itemText(at) == "USB headset <b>2</b>"  # a name, shown as it is
    assert NEW in _keys(page.speaker) and NEW not in _keys(page.microphone)
    page.ringer.setCurrentIndex(at)
    kept = Settings.load(shown.wp.settings.path)  # written at once
    assert kept.ringer_device == NEW

    # unplugged: still chosen (used again when it comes back), the default meanwhile, said
    for item in devices.objects(headset.run(["pw-dump", "--no-colors"])):
        if ((item.get("info") or {}).get("props") or {}).get("node.name") == NEW:
            headset.run(["pw-cli", "destroy", str(item["id"])])
    qtbot.waitUntil(lambda: "not connected" in page.ringer.currentText(), timeout=30_000)
    assert page.ringer.currentData() == NEW
    assert page.note.text() == (
        f"{NEW} is not connected: the system's default is used until it is."
    )
    assert page.note.isVisible()
    assert NEW not in _keys(page.speaker)
    dialog.close()
    qtbot.waitUntil(lambda: page._follow is None, timeout=5_000)
