"""A call's own line in the chat's timeline (ui/calls/timeline.py), through the window
against the real server: a call record posted as the specialist's client posts it, then its
updates — the line appears, changes in place, and is there again when the chat reopens; once
the call's recording is uploaded the line offers to play and save it."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from tests.telephony.test_recording_server import ogg_opus
from tests.window.conftest import WINDOW_MARKS
from tests.window.test_window import Shown, shown
from ui.common.roles import STEP_ROLE
from ui.common.text import quoted

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony]
__all__ = ["shown"]


def call_lines(w: Any) -> list[str]:
    model = w.chat_model
    found = (model.index(r, 0).data(STEP_ROLE) for r in range(model.rowCount()))
    return [line for line in found if line and "call ·" in line]


def open_two(shown: Shown) -> tuple[int, int, int]:
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    shown.open_user(users[0]["id"])
    return line_id, users[0]["id"], users[1]["id"]


def test_a_call_line_appears_and_follows_its_record(shown: Shown, qtbot: Any) -> None:
    w, api = shown.window, shown.api
    line_id, user_id, other_id = open_two(shown)
    new = {"line_id": line_id, "user_id": user_id, "direction": "in", "sip_call_id": "t1@pbx"}
    call = api.call("POST", "/calls", new)
    assert call["chat_id"] == w.chat_model.chat_id
    qtbot.waitUntil(lambda: call_lines(w) == ["Incoming call · ringing…"], timeout=15_000)
    api.call("POST", f"/calls/{call['id']}/report", {"state": "answered"})
    qtbot.waitUntil(lambda: call_lines(w) == ["Incoming call · talking…"], timeout=15_000)
    api.call("POST", f"/calls/{call['id']}/report", {"state": "ended", "result": "answered"})
    qtbot.waitUntil(
        lambda: bool(re.fullmatch(r"Incoming call · answered · \d+:\d\d", "".join(call_lines(w)))),
        timeout=15_000,
    )
    comment = "<b>сбросил</b> пароль <img src=/etc/passwd>"  # shown as typed, never markup
    api.call("PUT", f"/calls/{call['id']}/comment", {"comment": comment})
    qtbot.waitUntil(lambda: call_lines(w)[0].endswith(f" · {quoted(comment)}"), timeout=15_000)
    assert len(call_lines(w)) == 1  # one line, changed in place

    out = {"line_id": line_id, "user_id": user_id, "direction": "out", "sip_call_id": "t2@pbx"}
    second = api.call("POST", "/calls", out)
    api.call("POST", f"/calls/{second['id']}/report", {"state": "ended", "result": "busy"})
    qtbot.waitUntil(lambda: call_lines(w)[1:] == ["Outgoing call · busy"], timeout=15_000)
    shown_before = call_lines(w)

    shown.open_user(other_id)  # another chat: not its lines
    assert call_lines(w) == []
    shown.open_user(user_id)  # back: the lines from the server, in the order they rang
    qtbot.waitUntil(lambda: call_lines(w) == shown_before, timeout=15_000)


def test_a_failed_call_says_why(shown: Shown, qtbot: Any) -> None:
    w, api = shown.window, shown.api
    line_id, user_id, _ = open_two(shown)
    out = {"line_id": line_id, "user_id": user_id, "direction": "out", "sip_call_id": "t3@pbx"}
    call = api.call("POST", "/calls", out)
    ended = {"state": "ended", "result": "failed", "reason": "unreachable"}
    api.call("POST", f"/calls/{call['id']}/report", ended)
    qtbot.waitUntil(
        lambda: call_lines(w) == ["Outgoing call · failed: The PBX or the phone does not answer"],
        timeout=15_000,
    )


def test_a_recorded_call_line_plays_and_saves_its_recording(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    w, api = shown.window, shown.api
    line_id, user_id, _ = open_two(shown)
    out = {"line_id": line_id, "user_id": user_id, "direction": "out", "sip_call_id": "t4@pbx"}
    call = api.call("POST", "/calls", out)
    api.call("POST", f"/calls/{call['id']}/report", {"state": "answered"})
    api.call("POST", f"/calls/{call['id']}/report", {"state": "ended", "result": "answered"})
    qtbot.waitUntil(lambda: call_lines(w) != [] and "answered" in call_lines(w)[0], timeout=15_000)
    assert "recording" not in call_lines(w)[0]  # no control before the recording is there
    data = ogg_opus(1.0)
    upload = urllib.request.Request(
        f"{api.url}/api/v1/calls/{call['id']}/recording", data=data, method="PUT"
    )
    upload.add_header("Content-Type", "audio/ogg")
    upload.add_header("Authorization", f"Bearer {api.token}")
    with urllib.request.urlopen(upload, timeout=10) as reply:
        assert reply.status == 200
    # the call.updated event: the line shows its recording control, in place
    qtbot.waitUntil(lambda: call_lines(w)[0].endswith(" · ▶ recording"), timeout=15_000)
    model, view = w.chat_model, w.chat.chat_view
    row = next(
        r for r in range(model.rowCount()) if "call ·" in str(model.index(r, 0).data(STEP_ROLE))
    )
    index = model.index(row, 0)
    view.scrollTo(index)
    lines = w.calls.lines
    played: list[Path] = []
    lines.play = played.append  # the desktop's player (none offscreen)
    lines.ask_save = lambda name: str(tmp_path / name)  # the desktop's dialog
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: lines.menu is not None and lines.menu.isVisible(), timeout=5_000)
    menu = lines.menu
    assert [a.text() for a in menu.actions()] == ["Play recording", "Save recording as…"]
    menu.findChild(QAction, "saveRecording").trigger()
    saved = tmp_path / lines.file_name(shown.wp.calls.records[call["id"]])
    qtbot.waitUntil(lambda: saved.is_file() and saved.read_bytes() == data, timeout=15_000)
    menu.findChild(QAction, "playRecording").trigger()
    qtbot.waitUntil(lambda: len(played) == 1, timeout=15_000)
    assert played[0].read_bytes() == data and played[0].suffix == ".opus"
    menu.close()
