"""`Lifecycle`: the window's life after its first paint — the Workplace (demo by default, or
a server with sign-in), then Quit. Imported by ui.main once the window is on screen."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.startup import demo_wanted, load_settings

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QWidget

    from app.core import changes as ch
    from app.demo.server import DemoServer
    from app.workplace import Workplace
    from ui.mainwindow.signin import SignInDialog
    from ui.mainwindow.window import MainWindow

log = logging.getLogger("linedesk.ui.session")


def _first_paint(window: QWidget) -> asyncio.Future[None]:
    """A future done once the window had a chance to paint."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def done() -> None:
        window.repaint()
        if not future.done():
            future.set_result(None)

    QTimer.singleShot(0, done)
    return future


class Lifecycle:
    """Runs the window's life: start the Workplace, sign in, wait for Quit, close."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        args: argparse.Namespace,
        demo_server: DemoServer | None = None,
    ) -> None:
        self.app = app
        self.window = window
        self.args = args
        self.demo_server = demo_server  # spawned by the window after its first paint
        self.workplace: Workplace | None = None
        self.quit = asyncio.get_running_loop().create_future()
        self.dialog: SignInDialog | None = None
        window.sig_quit_requested.connect(self._request_quit)
        window.bridge.sig_session_expired.connect(self._session_expired)

    def _request_quit(self) -> None:
        if self.quit.done():
            return
        # live remote sessions end with the program: the specialist is asked first
        if not self.window.remote.confirm_quit(self._quit_now):
            self._quit_now()

    def _quit_now(self) -> None:
        if not self.quit.done():
            self.quit.set_result(None)

    async def main(self) -> int:
        await _first_paint(self.window)
        from app.core import logs

        level = getattr(logging, getattr(self.args, "log_level", None) or "INFO")
        log.info(
            "log file: %s", logs.setup(getattr(self.args, "log_dir", None), level, faults=True)
        )
        # heavy imports (aiohttp, SQLAlchemy) only now, after the window is on screen
        from app.workplace import Workplace

        kwargs: dict[str, Any] = {}
        data_dir = getattr(self.args, "data_dir", None)
        if data_dir:
            kwargs["data_dir"] = data_dir
        if getattr(self.args, "config_dir", None):
            kwargs["settings"] = load_settings(self.args)
        self.workplace = Workplace(**kwargs)
        self.window.attach(self.workplace)
        self.window.spawn(self._start())
        from ui.mainwindow.quit_signals import QuitOnSignals

        signals = QuitOnSignals(self._quit_now)  # a logout does not wait for a question
        try:
            await self.quit
            log.info("quitting")
            self._keep_window_state()
            self.window.drafts.save()  # what is typed now is there at the next start
            self.window.hide()
            await self.window.shutdown()
        finally:
            signals.uninstall()
        return 0

    def _keep_window_state(self) -> None:
        from ui.mainwindow import state as window_state

        path = window_state.state_path(getattr(self.args, "config_dir", None))
        try:
            window_state.write(path, self.window.current_state())
        except OSError as e:  # the next start opens at the defaults: no more than that
            log.warning("the window's place and size were not kept (%s): %s", path, e)

    async def _start(self) -> None:
        wp = self.workplace
        assert wp is not None  # (made by main() before it spawns this)
        server = getattr(self.args, "server", None)
        if demo_wanted(self.args, wp.settings):
            await wp.start_demo(self.demo_server)
            return
        url = server or wp.settings.server_url
        if wp.settings.remember and await wp.resume_session(url):
            return
        self.show_sign_in(url, getattr(self.args, "login", None) or wp.settings.last_login or "")

    def _session_expired(self, change: ch.SessionExpired) -> None:
        """The token stopped working mid-session: ask for the password again, keep the window."""
        if self.dialog is None:
            self.show_sign_in(change.server_url, change.login)

    def show_sign_in(self, url: str, login: str) -> None:
        from ui.mainwindow.signin import SignInDialog

        dialog = SignInDialog(url, login, self.window)
        dialog.sig_sign_in.connect(self._sign_in)
        dialog.rejected.connect(self._sign_in_cancelled)
        self.window.bridge.sig_problem.connect(self._problem_for_dialog)
        self.dialog = dialog
        dialog.open()  # never exec() inside a coroutine

    def _problem_for_dialog(self, change: ch.Problem) -> None:
        from ui.common.problem_texts import problem_text

        if self.dialog is not None:
            self.dialog.show_error(problem_text(change.code))

    def _sign_in(self, url: str, login: str, password: str, remember: bool) -> None:
        async def attempt() -> None:
            assert self.workplace is not None  # (the dialog is shown once there is one)
            ok = await self.workplace.sign_in(url, login, password, remember)
            if ok and self.dialog is not None:
                self.window.bridge.sig_problem.disconnect(self._problem_for_dialog)
                self.dialog.accept()
                self.dialog.deleteLater()
                self.dialog = None
            elif self.dialog is not None:
                self.dialog.set_busy(False)

        self.window.spawn(attempt())

    def _sign_in_cancelled(self) -> None:
        if self.workplace is None or self.workplace.me is None:
            self._request_quit()
