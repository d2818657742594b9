"""The tray icon's unread count when the window signs in: the chats of every line served
that were unread before it (GET /me/unread), not only what comes after — through the real
window against the real server."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.domain import ConnectionState
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]


def _unread(demo: Api) -> dict[int, tuple[int, int]]:
    items = demo.call("GET", "/me/unread")["items"]
    return {i["chat_id"]: (i["count"], i["newest"]) for i in items}


def test_chats_unread_before_sign_in_are_counted_on_the_tray(
    qtbot: Any, live_server: Any, make_workplace: Any
) -> None:
    demo = Api(live_server.url).login("demo")
    lines = demo.call("GET", "/lines")["items"]
    assert len(lines) >= 2
    written: list[int] = []
    for line in lines[:2]:  # the first shown and another line: both count
        users = demo.call("GET", f"/lines/{line['id']}/users?limit=500")["items"]
        writer = next(u for u in reversed(users) if not u["colleague"] and u["chat_id"])
        client = Api(live_server.url).login(writer["login"])
        client.post_message(writer["chat_id"], "Есть кто-нибудь?")
        client.post_message(writer["chat_id"], "Ответьте, пожалуйста")
        written.append(writer["chat_id"])
    before = _unread(demo)
    assert all(before[chat][0] >= 2 for chat in written)
    total = sum(count for count, _newest in before.values())

    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        tray = window.tray
        qtbot.waitUntil(lambda: tray.unread == total, timeout=15_000)
        assert str(total) in tray.tooltip
        # a colleague reads one of them: the count drops by its messages
        chat = written[1]
        count, newest = before[chat]
        demo.call("POST", f"/chats/{chat}/read", {"up_to": newest})
        qtbot.waitUntil(lambda: tray.unread == total - count, timeout=15_000)
