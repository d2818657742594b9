"""A user disconnected from the line while on a call with the specialist (seed 004: "such
users are disconnected from the support lines"): the server ends the call's record with the
reason and the specialist's window hangs the call up (a BYE to baresip, answering as the user
through kamailio, which answers it); the record keeps its result (answered: it was talked).
Only for that reason: a record ended on the server otherwise (a colleague's branch of a fork
reported missed) is not followed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from telephony.problems import EndReason
from tests.telephony.conftest import speech
from tests.window.conftest import WINDOW_MARKS, run_async
from tests.window.test_calls import click_call, connect_pbx, online_in_their_app
from tests.window.test_window import Shown, shown

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony, pytest.mark.clients]
__all__ = ["shown", "speech"]  # the fixtures used here
GONE = "the user was disconnected from the line"


def test_a_call_with_a_user_disconnected_from_the_line_is_hung_up(
    shown: Shown, qtbot: Any, tmp_path: Path, speech: dict[str, Path]
) -> None:
    w = shown.window
    line_id, user, app, kamailio, kport = online_in_their_app(shown, tmp_path, speech)
    path = f"/lines/{line_id}/users/{user['id']}/disconnection"
    try:
        connect_pbx(w, qtbot, kport)
        shown.open_user(user["id"])
        qtbot.waitUntil(lambda: shown.wp.users.get(user["id"]).presence == "online")
        book = shown.wp.calls

        def talking() -> Any:
            """The call in the panel, once the server knows it was answered."""
            call = w.calls.call
            if call is None or not call.connected.is_set():
                return None
            mine = [r for r in book.records.values() if r.user_id == user["id"]]
            return call if any(r.state == "answered" for r in mine) else None

        # a record ended on the server for another reason (here: the specialist's own report,
        # as a colleague's missed branch of a fork would): not followed, the call goes on
        click_call(shown, qtbot, user["id"])
        qtbot.waitUntil(lambda: talking() is not None, timeout=30_000)
        call = talking()
        answered = next(r for r in book.records.values() if r.state == "answered")
        ended = {"state": "ended", "result": "answered"}
        shown.api.call("POST", f"/calls/{answered.id}/report", ended)
        qtbot.waitUntil(lambda: book.records[answered.id].state == "ended", timeout=10_000)
        qtbot.wait(300)  # (what a wrong hang-up would have done by now)
        assert not call.ended.is_set()
        run_async(qtbot, call.hang_up(), timeout=10_000)
        qtbot.waitUntil(lambda: w.calls.call is None, timeout=10_000)
        qtbot.waitUntil(
            lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
            timeout=10_000,
        )
        w.calls.comment_prompt.reject()
        # the user disconnected from the line during a call: hung up
        click_call(shown, qtbot, user["id"])
        qtbot.waitUntil(lambda: talking() not in (None, call), timeout=30_000)
        call = talking()
        shown.api.call("PUT", path, {"reason": "Грубость после предупреждения"})
        qtbot.waitUntil(call.ended.is_set, timeout=10_000)  # hung up by the window
        assert call.reason is EndReason.HUNG_UP and call.status == 200  # our BYE, answered
        record = w.calls.record
        assert record is not None
        qtbot.waitUntil(record.done, timeout=30_000)
        record_id = record.result()
        assert record_id is not None
        got = shown.api.call("GET", f"/calls/{record_id}")
        assert (got["state"], got["result"], got["reason"]) == ("ended", "answered", GONE)
        assert got["duration"] is not None
    finally:
        shown.api.call("DELETE", path)
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()
        app.stop()
