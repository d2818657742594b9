"""The Notifications page through the real window against the real server, each change
taking effect at once: the alert sound reaches the output device chosen there (a fake
PipeWire sink, recorded; tests/telephony/headset.py), and a new conversation nobody opens is
alerted again at the interval set there, counted on the tray's icon until it is opened."""

from __future__ import annotations

import signal
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.chat.sounds import samples
from app.store.settings import Settings
from tests.chat.shown import Shown, shown
from tests.telephony.audio_check import correlation, read_8k
from tests.telephony.headset import FakeHeadset, running
from tests.telephony.peers import Peer, need
from tests.window.conftest import WINDOW_MARKS, Api
from ui.mainwindow.actions import MainAction

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


@pytest.fixture(scope="module")
def headset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeHeadset]:
    with running(tmp_path_factory.mktemp("pipewire") / "run") as fake:
        yield fake


def settled(shown: Shown, opened: int) -> int:
    """The tray's count once it agrees with the server (the chats unread before the window
    signed in count too, GET /me/unread) and the chat `opened` is read: what a test's
    messages add to."""

    def agreed() -> bool:
        items = shown.api.call("GET", "/me/unread")["items"]
        if any(i["chat_id"] == opened for i in items):
            return False
        return bool(shown.window.tray.unread == sum(i["count"] for i in items))

    shown.qtbot.waitUntil(agreed, timeout=15_000)
    return int(shown.window.tray.unread)


def notifications_page(shown: Shown) -> Any:
    w = shown.window
    w.commands[MainAction.SETTINGS].trigger()
    dialog = w.settings_menu.dialog
    assert dialog is not None
    page = dialog.show_page("Notifications")
    assert page is not None and page.isVisible()
    return page


def _recorded(path: Path) -> np.ndarray:
    raw = path.read_bytes()[44:] if path.exists() else b""
    return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2")


def test_the_alert_sound_reaches_the_chosen_device(
    shown: Shown, qtbot: Any, live_server: Any, headset: FakeHeadset, tmp_path: Path
) -> None:
    w = shown.window
    page = notifications_page(shown)
    devices = [page.device.itemData(i) for i in range(page.device.count())]
    chosen = "headset_spk"  # PipeWire's sinks are the choices (telephony/media/choice.py)
    assert chosen in devices, devices
    page.device.setCurrentIndex(devices.index(chosen))
    page.sound.setCurrentIndex(page.sound.findData("bell"))
    page.volume.setValue(100)
    page.every.setChecked(False)
    kept = Settings.load(shown.wp.settings.path)  # written at once
    assert (kept.sound_device, kept.sound_name, kept.sound_volume) == (chosen, "bell", 100)
    assert kept.alert_every is False
    page.window().close()

    heard = tmp_path / "speaker.wav"
    recorder = Peer(
        "pw-record",
        [
            need("pw-record"),
            "--target",
            "headset_spk",
            "-P",
            "{ stream.capture.sink=true node.name=alertrecorder }",
            *("--rate", "8000", "--channels", "1", "--format", "s16", str(heard)),
        ],
        tmp_path,
        tmp_path / "pw-record.log",
        env=headset.env,
    )
    try:
        qtbot.waitUntil(lambda: "alertrecorder" in headset.nodes(), timeout=20_000)
        line_id = shown.pick_line()
        users = [u for u in shown.server_order(line_id) if not u["colleague"]]
        shown.open_user(users[0]["id"])
        writer = users[-1]
        base = settled(shown, users[0]["chat_id"])
        sound = shown.wp._alerts.sound
        client = Api(live_server.url).login(writer["login"])
        client.post_message(writer["chat_id"], "Алло, вы слышите?")
        qtbot.waitUntil(lambda: sound.played == 1 or bool(sound.failed), timeout=20_000)
        assert sound.failed == ""
        bell = samples("bell", 100)
        # what the sink played, recorded (another process's file: polled, bounded)
        qtbot.waitUntil(lambda: int(np.abs(_recorded(heard)).max(initial=0)) > 8000, timeout=20_000)
    finally:
        if recorder.process.poll() is None:
            recorder.process.send_signal(signal.SIGINT)  # pw-record finishes its WAV header
            recorder.wait(10)
        recorder.stop()
    with wave.open(str(heard)) as wav:
        assert wav.getnframes() > 0
    source = read_8k(_as_wav(bell, tmp_path / "bell.wav"))
    value, _lag = correlation(source, read_8k(heard))
    assert value > 0.8, value
    # every further message is off now: the next one of the same chat makes no sound
    client.post_message(writer["chat_id"], "Ещё раз")
    qtbot.waitUntil(lambda: shown.wp._alerts.total == base + 2, timeout=15_000)
    assert sound.played == 1
    assert w.tray.unread == base + 2


def _as_wav(data: np.ndarray, path: Path) -> Path:
    from app.chat.sounds import RATE

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((data * 32767).astype("<i2").tobytes())
    return path


def test_a_new_conversation_nobody_opens_is_alerted_again_and_counted_on_the_tray(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    page = notifications_page(shown)
    page.sound_on.setChecked(False)
    page.repeat.setValue(5)
    assert shown.wp.settings.alert_repeat_seconds == 5
    page.window().close()
    notifier, tray = w.chat.notifier, w.tray
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    shown.open_user(users[0]["id"])
    writer = users[-2]
    base = settled(shown, users[0]["chat_id"])
    client = Api(live_server.url).login(writer["login"])
    said: list[tuple[str, str]] = []
    notifier.sig_shown.connect(lambda title, body: said.append((title, body)))
    client.post_message(writer["chat_id"], "Здравствуйте")
    qtbot.waitUntil(lambda: tray.unread == base + 1, timeout=15_000)
    assert str(base + 1) in tray.tooltip
    # the icon wears the count: a red badge in its corner
    from ui.mainwindow.status import status_icon
    from ui.mainwindow.tray import with_unread

    corner = with_unread(status_icon(None), 1).pixmap(32, 32).toImage().pixelColor(27, 5)
    assert corner.red() > 200 and corner.green() < 90
    # nobody opens it: the alert again, saying so
    qtbot.waitUntil(lambda: len(said) >= 2, timeout=20_000)
    assert said[-1][1] in ("Still not opened: Здравствуйте", "Всё ещё не открыт: Здравствуйте")
    notifier.clicked()  # the notification's click: the chat opens, read
    qtbot.waitUntil(lambda: w.chat_model.user_id == writer["id"], timeout=15_000)
    qtbot.waitUntil(lambda: tray.unread == base, timeout=15_000)
    assert writer["chat_id"] not in shown.wp._alerts.waiting
    assert tray.tooltip.startswith("LineDesk")
    assert str(base) in tray.tooltip if base else "unread" not in tray.tooltip
