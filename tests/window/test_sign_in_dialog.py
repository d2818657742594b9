"""Signing in through the dialog, as a specialist does with `--server URL`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.domain import ConnectionState
from tests.window.conftest import SHUTDOWN_MS, WINDOW_MARKS, Api, run_async
from ui.mainwindow.lifecycle import Lifecycle
from ui.mainwindow.window import MainWindow

pytestmark = WINDOW_MARKS


def _window_and_session(qtbot: Any, qapp: Any, url: str, wp: Any) -> tuple[MainWindow, Lifecycle]:
    """The window showing `wp`, and the session that runs it (as `ui.main` makes them)."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.attach(wp)
    session = Lifecycle(qapp, window, SimpleNamespace(server=url))
    session.workplace = wp
    return window, session


def test_wrong_password_then_right_one(
    qtbot: Any, qapp: Any, server: Any, make_workplace: Any
) -> None:
    wp = make_workplace("signin")
    window, session = _window_and_session(qtbot, qapp, server.url, wp)
    session.show_sign_in(server.url, "")
    dialog = session.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.server.text() == server.url
    sign_in = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # nothing typed: the dialog says what is missing and sends nothing
    qtbot.mouseClick(sign_in, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and wp.me is None

    qtbot.keyClicks(dialog.login, "demo")
    qtbot.keyClicks(dialog.password, "not-the-password")
    qtbot.mouseClick(sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and sign_in.isEnabled(), timeout=15_000)
    assert "password" in dialog.error.text().lower() or "парол" in dialog.error.text().lower()
    assert dialog.isVisible() and wp.me is None

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.mouseClick(sign_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.dialog is None, timeout=15_000)
    assert wp.me is not None and wp.me.login == "demo"
    qtbot.waitUntil(lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000)
    assert "Демидова" in window.windowTitle()
    run_async(qtbot, window.shutdown(), timeout=SHUTDOWN_MS)


def test_expired_session_asks_for_the_password_again(
    qtbot: Any, qapp: Any, server: Any, make_workplace: Any
) -> None:
    wp = make_workplace("expiry")
    window, session = _window_and_session(qtbot, qapp, server.url, wp)
    assert run_async(qtbot, wp.sign_in(server.url, "demo", "demo", False))
    qtbot.waitUntil(lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000)

    # the server forgets the token (as after expiry): the next request is refused
    revoked = Api(server.url)
    revoked.token = wp.api.token
    revoked.call("POST", "/auth/logout")
    with qtbot.waitSignal(window.bridge.sig_session_expired, timeout=15_000):
        run_async(qtbot, wp.select_line(wp.lines[-1].id))
    dialog = session.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.login.text() == "demo" and dialog.server.text() == server.url
    assert window.isVisible()  # the window stays, with everything on it

    qtbot.keyClicks(dialog.password, "demo")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: session.dialog is None, timeout=15_000)
    qtbot.waitUntil(lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000)
    assert wp.api.token != revoked.token
    run_async(qtbot, window.shutdown(), timeout=SHUTDOWN_MS)
