"""A call's own line in the chat's timeline (ui/calls/timeline.py), through the window
against the real server: a call record posted as the specialist's client posts it, then its
updates — the line appears, changes in place, and is there again when the chat reopens."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.window.conftest import WINDOW_MARKS
from tests.window.test_window import Shown, shown
from ui.common.roles import STEP_ROLE

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
    qtbot.waitUntil(lambda: call_lines(w)[0].endswith(f" · «{comment}»"), timeout=15_000)
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
