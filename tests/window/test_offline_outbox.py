"""The server vanishes: two messages typed in the window wait in the outbox, survive a
restart of the program, and reach the server exactly once when it is back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.core.domain import ConnectionState, Delivery
from tests.window.conftest import SHUTDOWN_MS, WINDOW_MARKS, Api, run_async
from tests.window.test_window import LINE, Shown
from ui.mainwindow.window import MainWindow

pytestmark = WINDOW_MARKS

TEXTS = ("Первое сообщение без связи", "Второе сообщение без связи")


def _open_window(qtbot: Any, wp: Any, url: str) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.attach(wp)
    assert run_async(qtbot, wp.sign_in(url, "demo", "demo", False))
    qtbot.waitUntil(lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000)
    return window


def test_messages_typed_offline_arrive_once_after_restart(
    qtbot: Any, server: Any, make_workplace: Any
) -> None:
    wp = make_workplace("specialist")
    window = _open_window(qtbot, wp, server.url)
    shown = Shown(qtbot, window, wp, Api(server.url).login("demo"))
    line_id = shown.pick_line(LINE)
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])

    server.stop()
    qtbot.waitUntil(
        lambda: window.connection.state is not ConnectionState.CONNECTED, timeout=15_000
    )
    for text in TEXTS:
        window.composer.setFocus()
        window.composer.insertPlainText(text)
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    pending = [
        m
        for r in range(window.chat_model.rowCount())
        if (m := window.chat_model.message_at(r)) is not None and m.text in TEXTS
    ]
    # the specialist sees both, marked as not yet sent
    assert [m.text for m in pending] == list(TEXTS)
    assert all(m.delivery is Delivery.SENDING for m in pending)

    # the program is closed while offline …
    run_async(qtbot, window.shutdown(), timeout=SHUTDOWN_MS)
    window.close()
    run_async(qtbot, wp.close(), timeout=20_000)

    # … the server comes back, the program starts again on the same data
    server.start()
    wp2 = make_workplace("specialist")
    window2 = _open_window(qtbot, wp2, server.url)
    client = Api(server.url).login(user["login"])

    def delivered() -> list[str]:
        page = client.call("GET", f"/chats/{user['chat_id']}/messages?limit=20")
        return [m["text"] for m in page["items"] if m["text"] in TEXTS]

    qtbot.waitUntil(lambda: delivered() == list(TEXTS), timeout=20_000)
    # exactly once, in order, even after the outbox had its chance to retry
    run_async(qtbot, wp2.close(), timeout=20_000)
    assert delivered() == list(TEXTS)
    run_async(qtbot, window2.shutdown(), timeout=20_000)


def test_a_click_on_the_connection_state_reconnects_now(
    qtbot: Any, server: Any, make_workplace: Any
) -> None:
    """The server was away long enough for a long wait between attempts; it is back, and the
    specialist does not want to wait: a click on "Reconnecting in N s" connects at once."""
    wp = make_workplace("specialist")
    window = _open_window(qtbot, wp, server.url)
    assert wp.events is not None
    wp.events._base = wp.events._max = 60.0  # the next attempt a minute away
    server.stop()
    qtbot.waitUntil(
        lambda: window.connection.state is not ConnectionState.CONNECTED, timeout=15_000
    )
    qtbot.waitUntil(lambda: window.connection._deadline is not None, timeout=15_000)
    assert "reconnect" in window.connection.toolTip().lower() or "переподключ" in (
        window.connection.toolTip().lower()
    )
    server.start()
    qtbot.mouseClick(window.connection, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.connection.state is ConnectionState.CONNECTED, timeout=10_000)
    # connected: a click does nothing, and the hint is gone
    qtbot.mouseClick(window.connection, Qt.MouseButton.LeftButton)
    assert "reconnect" not in window.connection.toolTip().lower()
    run_async(qtbot, window.shutdown(), timeout=SHUTDOWN_MS)
