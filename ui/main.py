"""`ui.main.run(args)`: the QApplication, one instance per user, translations, the window's
first frame — painted before asyncio, qasync and the core are imported — then the rest of
the window and its `Lifecycle` (ui/mainwindow/lifecycle.py): demo by default, or a server
with sign-in."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QApplication

from ui.common import i18n
from ui.mainwindow import errors, startup_trace
from ui.mainwindow.single_instance import SingleInstance

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from app.demo.server import DemoServer

log = logging.getLogger("linedesk.ui.main")


def run(
    args: argparse.Namespace,
    spawn_demo_server: Callable[[argparse.Namespace], DemoServer | None] | None = None,
) -> int:
    """`spawn_demo_server(args)`: starts the embedded server's process in demo mode (else
    None); called right after the first paint, so the server starts while the rest is built."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("LineDesk")
    app.setOrganizationName("LineDesk")
    # no application display name: the platform would add " — LineDesk" to every title, and
    # the window's own title names the program already ("LineDesk — <specialist>")
    app.setQuitOnLastWindowClosed(False)
    errors.install_qt_message_handler()
    errors.install_excepthook()

    single = SingleInstance()
    alone = bool(getattr(args, "no_single_instance", False))
    link = str(getattr(args, "link", "") or "")
    if not alone and not single.claim():
        if single.notify_running(link=link):
            log.info("LineDesk is already running: asked it to come forward")
            return 0
        print(
            "linedesk: LineDesk is already running for this user but does not answer; "
            "close it (or end its process) and start again",
            file=sys.stderr,
        )
        return 1
    translators = i18n.install(app, getattr(args, "lang", None) or _saved_language(args))

    from ui.mainwindow import state as window_state
    from ui.mainwindow.window import MainWindow

    window = MainWindow(first_frame_only=True)
    kept = window_state.read(window_state.state_path(getattr(args, "config_dir", None)))
    if kept is not None:
        window.restore_state(kept)  # opens where it was left, not a frame later
    window.show()
    app.processEvents()  # the first paint, before asyncio, qasync and the core are imported
    startup_trace.mark("PAINTED")
    demo_server = spawn_demo_server(args) if spawn_demo_server is not None else None
    window.complete()
    if not alone:
        single.listen()
        single.sig_raise.connect(window.bring_forward)
        single.sig_link.connect(window.calls.open_link)
    if link:
        window.calls.open_link(link)

    import asyncio
    from functools import partial

    import qasync

    from ui.mainwindow.lifecycle import Lifecycle

    async def body() -> int:
        asyncio.get_running_loop().set_exception_handler(errors.asyncio_exception_handler)
        return await Lifecycle(app, window, args, demo_server).main()

    try:
        with asyncio.Runner(loop_factory=partial(qasync.QEventLoop, app)) as runner:
            return runner.run(body())
    finally:
        single.close()
        # delete the window now, while every Python object it calls back into is whole: left
        # to the garbage collector, its Python halves may be cleared before its Qt halves are
        # gone, and Qt then calls overrides on emptied objects (a crash at exit)
        window.hide()
        shiboken6.delete(window)
        del translators


def _saved_language(args: argparse.Namespace) -> str | None:
    """The language chosen in the Settings ('' or unreadable: the system's)."""
    from app.startup import load_settings

    return load_settings(args).language or None
