"""`ui.main.run(args)`: the QApplication, one instance per user, translations, the window,
then (after the first paint) the Workplace — demo by default, or a server with sign-in."""

from __future__ import annotations

import asyncio
import logging
import sys
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui import errors, i18n, startup_trace
from ui.single_instance import SingleInstance

log = logging.getLogger("linedesk.ui.main")


def _first_paint(window: Any) -> asyncio.Future[None]:
    """A future done once the window had a chance to paint."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def done() -> None:
        window.repaint()
        if not future.done():
            future.set_result(None)

    QTimer.singleShot(0, done)
    return future


class Session:
    """Runs the window's life: start the Workplace, sign in, wait for Quit, close."""

    def __init__(self, app: QApplication, window: Any, args: Any) -> None:
        self.app = app
        self.window = window
        self.args = args
        self.workplace: Any = None
        self.quit = asyncio.get_running_loop().create_future()
        self.dialog: Any = None
        window.sig_quit_requested.connect(self._request_quit)

    def _request_quit(self) -> None:
        if not self.quit.done():
            self.quit.set_result(None)

    async def main(self) -> int:
        await _first_paint(self.window)
        # heavy imports (aiohttp, SQLAlchemy) only now, after the window is on screen
        from app.workplace import Workplace

        kwargs: dict[str, Any] = {}
        data_dir = getattr(self.args, "data_dir", None)
        if data_dir:
            kwargs["data_dir"] = data_dir
        config_dir = getattr(self.args, "config_dir", None)
        if config_dir:
            from pathlib import Path

            from app.settings import Settings

            kwargs["settings"] = Settings.load(Path(config_dir) / "settings.json")
        self.workplace = Workplace(**kwargs)
        self.window.attach(self.workplace)
        self.window.spawn(self._start())
        await self.quit
        self.window.hide()
        await self.window.shutdown()
        return 0

    async def _start(self) -> None:
        wp = self.workplace
        server = getattr(self.args, "server", None)
        demo = bool(getattr(self.args, "demo", False))
        if demo or (not server and not wp.settings.server_url):
            await wp.start_demo()
            return
        url = server or wp.settings.server_url
        if wp.settings.remember and await wp.resume_session(url):
            return
        self.show_sign_in(url, getattr(self.args, "login", None) or wp.settings.last_login or "")

    def show_sign_in(self, url: str, login: str) -> None:
        from ui.signin import SignInDialog

        dialog = SignInDialog(url, login, self.window)
        dialog.sig_sign_in.connect(self._sign_in)
        dialog.rejected.connect(self._sign_in_cancelled)
        self.window.bridge.sig_problem.connect(self._problem_for_dialog)
        self.dialog = dialog
        dialog.open()  # never exec() inside a coroutine

    def _problem_for_dialog(self, change: Any) -> None:
        from ui.problem_texts import translate_problem

        if self.dialog is not None:
            self.dialog.show_error(translate_problem(change.text))

    def _sign_in(self, url: str, login: str, password: str, remember: bool) -> None:
        async def attempt() -> None:
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


def run(args: Any) -> int:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("LineDesk")
    app.setOrganizationName("LineDesk")
    app.setApplicationDisplayName("LineDesk")
    app.setQuitOnLastWindowClosed(False)
    errors.install_qt_message_handler()
    errors.install_excepthook()

    single = SingleInstance()
    alone = bool(getattr(args, "no_single_instance", False))
    if not alone and single.notify_running():
        log.info("LineDesk is already running: asked it to come forward")
        return 0
    if not alone:
        single.listen()
    translators = i18n.install(app, getattr(args, "lang", None))

    from ui.window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()  # the first paint, before asyncio, qasync and the core are imported
    startup_trace.mark("PAINTED")
    single.sig_raise.connect(window.bring_forward)

    import qasync

    async def body() -> int:
        asyncio.get_running_loop().set_exception_handler(errors.asyncio_exception_handler)
        return await Session(app, window, args).main()

    try:
        with asyncio.Runner(loop_factory=partial(qasync.QEventLoop, app)) as runner:
            return runner.run(body())
    finally:
        single.close()
        del translators
