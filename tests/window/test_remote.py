"""Remote desktop through the window, against the real server, x11vnc on a virtual screen as
the user's computer and the real TigerVNC viewer on a second one (ui/remote/)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.domain import ConnectionState
from tests.remote.conftest import PASSWORD, specialist_screen, user_screen, vnc_host
from tests.remote.hosts import Display, VncHost
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from tests.window.test_window import Shown
from ui.common.text import quoted
from ui.mainwindow.actions import MainAction
from ui.remote.dialog import ConnectDialog

pytestmark = [*WINDOW_MARKS, pytest.mark.remote]
__all__ = ["specialist_screen", "user_screen", "vnc_host"]  # the fixtures used here


@pytest.fixture
def shown(
    qtbot: Any,
    live_server: Any,
    make_workplace: Any,
    specialist_screen: Display,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Shown]:
    monkeypatch.setenv("DISPLAY", specialist_screen.name)  # where the viewer opens
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Shown(qtbot, window, wp, Api(live_server.url).login("demo"))


def open_someone(shown: Shown) -> dict[str, Any]:
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    shown.open_user(user["id"])
    return user


def connect_dialog(shown: Shown, qtbot: Any) -> ConnectDialog:
    w = shown.window
    button = w.chat.bar.buttons[MainAction.CONNECT_REMOTE]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.remote.dialog is not None and w.remote.dialog.isVisible())
    dialog = w.remote.dialog
    assert dialog is not None
    return dialog


def by_password(qtbot: Any, dialog: ConnectDialog, password: str, port: int) -> None:
    qtbot.mouseClick(dialog.by_password, Qt.MouseButton.LeftButton)
    assert not dialog.connect_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClicks(dialog.host, "127.0.0.1")
    dialog.port.setValue(port)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)


def test_connect_by_password_shows_the_session_stop_asks_for_a_comment(
    shown: Shown, qtbot: Any, vnc_host: Callable[..., VncHost]
) -> None:
    w, wp = shown.window, shown.wp
    host = vnc_host()
    user = open_someone(shown)
    by_password(qtbot, connect_dialog(shown, qtbot), PASSWORD, host.port)
    panel = w.remote.panel
    qtbot.waitUntil(lambda: panel.isVisible() and panel.model.rowCount() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: wp.remote.live()[0].state == "connected", timeout=30_000)
    session_id = wp.remote.live()[0].id
    assert panel.model.index(0, 0).data().strip("\u2068\u2069") == user["full_name"]  # isolated

    # quitting now asks first; No keeps everything
    proceeded: list[bool] = []
    assert w.remote.confirm_quit(lambda: proceeded.append(True))
    box = w.remote.problem_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(box.StandardButton.No), Qt.MouseButton.LeftButton)
    assert not proceeded and wp.remote.live()

    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: w.remote.comment_prompt is not None and w.remote.comment_prompt.isVisible(),
        timeout=15_000,
    )
    assert panel.isHidden()  # nothing live any more
    prompt = w.remote.comment_prompt
    assert prompt is not None
    prompt.setTextValue("Настроили принтер")
    prompt.accept()
    qtbot.waitUntil(
        lambda: (
            shown.api.call("GET", f"/remote-sessions/{session_id}")["comment"]
            == "Настроили принтер"
        ),
        timeout=15_000,
    )
    session = shown.api.call("GET", f"/remote-sessions/{session_id}")
    assert session["state"] == "ended" and session["duration"] is not None

    # the comment is in the chat's timeline: a quiet line of the session's ticket
    def timeline() -> list[str]:
        rows = (w.chat_model.message_at(r) for r in range(w.chat_model.rowCount()))
        return [m.text for m in rows if m is not None]

    said = quoted("\u2068Настроили принтер\u2069")  # the note isolated in the step's line
    qtbot.waitUntil(lambda: any(said in t for t in timeline()), timeout=15_000)
    steps = shown.api.call("GET", f"/chats/{user['chat_id']}/steps")["items"]
    assert steps[-1]["kind"] == "remote_session" and steps[-1]["note"] == "Настроили принтер"
    assert not w.remote.confirm_quit(lambda: None)  # nothing live: quit at once


def test_a_wrong_password_is_explained_and_the_user_gets_instructions(
    shown: Shown, qtbot: Any, vnc_host: Callable[..., VncHost]
) -> None:
    w = shown.window
    host = vnc_host()
    user = open_someone(shown)
    by_password(qtbot, connect_dialog(shown, qtbot), "wrong", host.port)
    qtbot.waitUntil(
        lambda: w.remote.problem_box is not None and w.remote.problem_box.isVisible(),
        timeout=30_000,
    )
    box = w.remote.problem_box
    assert box is not None
    assert "password" in box.text().lower() or "пароль" in box.text().lower()
    send = next(b for b in box.buttons() if b.objectName() == "remoteSendInstructions")
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)

    def sent() -> bool:
        page = shown.api.call("GET", f"/chats/{user['chat_id']}/messages?limit=5")
        return any("password" in m["text"].lower() or "пароль" in m["text"].lower()
                   for m in page["items"])  # fmt: skip

    qtbot.waitUntil(sent, timeout=15_000)
    QApplication.processEvents()


def test_the_settings_page_writes_the_viewer_and_view_only(shown: Shown, qtbot: Any) -> None:
    from ui.remote.settings_page import RemotePage
    from ui.settings.pages import pages

    assert RemotePage in [spec.factory for spec in pages()]
    page = RemotePage(shown.window.desk)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    settings = shown.wp.settings
    assert page.backend.currentData() == "tigervnc"
    assert "xtigervncviewer" in page.found.text()
    page.backend.setCurrentIndex(page.backend.findData("remmina"))
    assert settings.remote_backend == "remmina" and "Remmina" in page.found.text()
    qtbot.mouseClick(page.view_only, Qt.MouseButton.LeftButton)
    assert settings.remote_view_only
    page.path.setText("/no/such/viewer")
    page.path.editingFinished.emit()
    assert settings.remote_viewer_path == "/no/such/viewer"
    assert "/no/such/viewer" in page.found.text()


def test_by_request_the_user_accepts_and_answers_the_popup(
    shown: Shown, qtbot: Any, vnc_host: Callable[..., VncHost], user_screen: Display
) -> None:
    """The whole by-request flow: Connect → the server asks the user side → it accepts and
    publishes its host → the viewer starts → x11vnc asks the user (Yes, by xdotool)."""
    from remote.outcome import Phase
    from tests.remote.test_launcher_real import answer_popup
    from ui.remote.texts import state_text

    w, wp = shown.window, shown.wp
    host = vnc_host(None, ask=True)  # no password: the user says Yes on their screen
    user = open_someone(shown)
    dialog = connect_dialog(shown, qtbot)
    assert dialog.by_request.isChecked() and dialog.connect_button.isEnabled()
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    panel = w.remote.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=15_000)
    assert panel.model.index(0, 2).data() == state_text("requested")
    session_id = wp.remote.live()[0].id

    client = Api(shown.api.url).login(user["login"])
    reach = {"via": "direct", "host": "127.0.0.1", "port": host.port}
    client.call("POST", f"/remote-sessions/{session_id}/answer", {"accept": True, "reach": reach})
    # the viewer reached x11vnc, which now asks the user (xdotool blocks: only once it asks)
    qtbot.waitUntil(lambda: wp.remote.phases.get(session_id) is Phase.WAITING, timeout=15_000)
    answer_popup(user_screen, "Yes")
    qtbot.waitUntil(lambda: wp.remote.sessions[session_id].state == "connected", timeout=30_000)
    qtbot.waitUntil(lambda: panel.model.index(0, 2).data() == state_text("connected"))
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wp.remote.sessions[session_id].state == "ended", timeout=15_000)


def test_a_command_template_with_the_password_in_argv_is_warned_about(
    shown: Shown, qtbot: Any
) -> None:
    from app.remote.part import backend_of
    from remote.backends import CommandTemplate
    from ui.remote.settings_page import RemotePage

    page = RemotePage(shown.window.desk)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.backend.setCurrentIndex(page.backend.findData("template"))
    assert page.template.isEnabled() and not page.path.isEnabled()
    page.template.setText("rustdesk --connect {id} --password '{password}'")
    page.template.editingFinished.emit()
    settings = shown.wp.settings
    assert settings.remote_backend == "template"
    assert "{password}" in settings.remote_command_template
    assert len(page.found.text().splitlines()) == 2  # the never-a-shell line and the warning
    backend = backend_of(settings)
    assert isinstance(backend, CommandTemplate) and backend.secret_in_argv
    assert backend.template == ["rustdesk", "--connect", "{id}", "--password", "{password}"]

    open_someone(shown)
    dialog = connect_dialog(shown, qtbot)
    assert dialog.warning.isVisible()
    dialog.reject()
