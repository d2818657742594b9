"""Remote desktop in the window: the Connect command (function bar, the users list's context
menu, Ctrl+Shift+R), its dialog, the sessions panel, the comment prompt when a session ends,
each failure explained with one click to send the user ready-made instructions in the chat,
and the question before quitting while a session is live. Registered like FinishTicket: a
part of the window, its command in the actions registry, its changes through the bridge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core import changes as ch
    from contract.remote import RemoteSession
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core
    from ui.remote.dialog import ConnectChoice, ConnectDialog
    from ui.remote.panel import SessionsPanel


class RemoteSessionsView(Protocol):
    sessions: dict[int, RemoteSession]

    def live(self) -> list[RemoteSession]: ...


class RemoteCore(Protocol):
    """What this feature reads and asks of the Workplace (app/remote/part.py)."""

    @property
    def remote(self) -> RemoteSessionsView: ...

    @property
    def settings(self) -> Any: ...

    @property
    def current_line_id(self) -> int | None: ...

    async def act(self, intent: str, *args: Any) -> Any: ...

    def send(self, chat_id: int, text: str) -> object: ...


class RemoteFeature(QObject):
    _desk: Desk
    _command: Command
    panel: SessionsPanel

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._core: RemoteCore | None = None
        self._prompted: set[int] = set()
        self.dialog: ConnectDialog | None = None
        self.problem_box: QMessageBox | None = None
        self.comment_prompt: QInputDialog | None = None

    def complete(self, desk: Desk) -> None:
        from PySide6.QtCore import Qt

        from ui.remote import settings_page
        from ui.remote.panel import SessionsPanel

        assert settings_page.__name__  # imported: the Settings dialog has its page
        self._desk = desk
        self._command = desk.actions[MainAction.CONNECT_REMOTE]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)
        self.panel = SessionsPanel(self._shown_name, self._stop, self._window)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch
        from ui.disconnect.feature import gate

        bridge.handle(ch.RemoteChanged, self._on_changed)
        bridge.handle(ch.UserChanged, lambda _change: gate(self._command, self._desk))

    def attach(self, workplace: Core) -> None:
        self._core = cast("RemoteCore", workplace)
        self._show_sessions()

    # -- Connect ----------------------------------------------------------------------------

    @add_action(
        MainAction.CONNECT_REMOTE,
        text=QT_TRANSLATE_NOOP("Actions", "Connect"),
        tip=QT_TRANSLATE_NOOP("Actions", "Connect to this user's desktop"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+R"),
        enabled=False,
        bar=True,
        user=True,
    )
    def connect_remote(self) -> None:
        from ui.remote.dialog import ConnectDialog

        user_id = self._desk.user_id
        if self._core is None or user_id is None:
            return
        from ui.remote.settings_page import secret_in_argv

        settings = self._core.settings
        loud = settings.remote_backend == "template" and secret_in_argv(
            settings.remote_command_template
        )
        name, view_only = self._user_name(user_id), bool(settings.remote_view_only)
        self.dialog = ConnectDialog(name, view_only, self._window, secret_in_argv=loud)
        self.dialog.sig_connect.connect(lambda choice: self._connect(user_id, choice))
        self.dialog.open()  # not exec(): the loop goes on (STYLE 9)

    def _connect(self, user_id: int, choice: ConnectChoice) -> None:
        from app.remote.part import CONNECT
        from contract.remote import RemoteMode

        core = self._core
        line_id = core.current_line_id if core is not None else None
        if core is None or line_id is None:
            return
        mode = RemoteMode.PASSWORD if choice.by_password else RemoteMode.REQUEST
        args = (line_id, user_id, mode, choice.password, choice.host, choice.port)
        self._desk.spawn(core.act(CONNECT, *args, choice.reverse, choice.view_only))

    def _user_opened(self, _user_id: int) -> None:
        from ui.disconnect.feature import gate

        self._command.set_applies(True)
        gate(self._command, self._desk)  # off for a user disconnected from the line

    # -- what happens to the sessions -------------------------------------------------------

    def _on_changed(self, change: ch.RemoteChanged) -> None:
        from ui.remote.texts import explain

        self._show_sessions()
        s = change.session
        if change.phase == "handed_over" and s is not None:
            self.panel.model.notes[s.id] = self.tr("the Remmina window has it; end it there")
        explained = explain(change.phase)
        if explained is None and s is not None and s.state.value in ("declined", "timed_out"):
            explained = explain(s.state.value)
        if explained is not None and (s is None or s.id not in self._prompted):
            self._explain(explained.text, explained.instructions, change.user_id)
        if s is not None and self._ended(s) and s.id not in self._prompted:
            self._prompted.add(s.id)
            if s.connected_at is not None:
                self._ask_comment(s.id)

    def _ended(self, s: RemoteSession) -> bool:
        from contract.remote import FINAL_STATES

        me = self._desk.workplace.me if self._desk.workplace is not None else None
        return s.state in FINAL_STATES and (me is None or s.specialist_id == me.id)

    def _show_sessions(self) -> None:
        if self._core is not None:
            self.panel.show_sessions(self._core.remote.live())

    def _stop(self, session_id: int) -> None:
        from app.remote.part import STOP

        if self._core is not None:
            self._desk.spawn(self._core.act(STOP, session_id))

    def _explain(self, text: str, instructions: str, user_id: int | None) -> None:
        box = QMessageBox(self._window)
        box.setObjectName("remoteProblem")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Remote desktop"))
        box.setTextFormat(self._plain())
        box.setText(text)
        box.addButton(QMessageBox.StandardButton.Close)
        if instructions and user_id is not None:
            send = box.addButton(self.tr("Send instructions"), QMessageBox.ButtonRole.ActionRole)
            send.setObjectName("remoteSendInstructions")
            send.clicked.connect(lambda: self._send(user_id, instructions))
        self.problem_box = box
        box.open()

    def _send(self, user_id: int, text: str) -> None:
        row = self._desk.row(user_id)
        if self._core is not None and row is not None:
            self._core.send(row.chat_id, text)

    def _ask_comment(self, session_id: int) -> None:
        from app.remote.part import COMMENT

        prompt = QInputDialog(self._window)
        prompt.setObjectName("remoteComment")
        prompt.setWindowTitle(self.tr("Remote session ended"))
        prompt.setLabelText(self.tr("A short comment on the session:"))
        prompt.setInputMode(QInputDialog.InputMode.TextInput)

        def save(text: str) -> None:
            if text.strip() and self._core is not None:
                self._desk.spawn(self._core.act(COMMENT, session_id, text.strip()))

        prompt.textValueSelected.connect(save)
        self.comment_prompt = prompt
        prompt.open()

    # -- quitting ---------------------------------------------------------------------------

    def confirm_quit(self, proceed: Callable[[], None]) -> bool:
        """While a session is live, ask before quitting (the viewers end with LineDesk):
        True = asked (`proceed` runs on Yes); False = nothing live, quit at once."""
        if self._core is None or not self._core.remote.live():
            return False
        box = QMessageBox(self._window)
        box.setObjectName("remoteQuit")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remote desktop"))
        box.setText(self.tr("Remote sessions are live. Quitting ends them. Quit anyway?"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.clicked.connect(proceed)
        self.problem_box = box
        box.open()
        return True

    def _user_name(self, user_id: int) -> str:
        row = self._desk.row(user_id)
        return row.full_name if row is not None else f"#{user_id}"

    def _shown_name(self, user_id: int) -> str:
        """The user's name in the sessions' list: one line, marked, isolated."""
        from ui.common.text import preview_line

        return preview_line(self._user_name(user_id))

    @staticmethod
    def _plain() -> Any:
        from PySide6.QtCore import Qt

        return Qt.TextFormat.PlainText


__all__ = ["RemoteFeature"]
