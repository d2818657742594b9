"""An unexpected exception is logged and shown in a dialog; the program keeps running."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow import errors

pytestmark = WINDOW_MARKS
ROOT = Path(__file__).resolve().parents[2]


def _dialogs() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "errorDialog" and w.isVisible()
    ]


def test_unexpected_error_is_logged_and_shown_without_blocking(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise ValueError("<img src=file:///etc/passwd> broke")
    except ValueError as e:
        with caplog.at_level(logging.ERROR, logger="linedesk.ui.errors"):
            errors.excepthook(type(e), e, e.__traceback__)  # returns at once: not exec()
    assert any("Unexpected error" in r.message and r.exc_info for r in caplog.records)
    qtbot.waitUntil(lambda: len(_dialogs()) == 1, timeout=5_000)
    box = _dialogs()[0]
    # the server-sent-looking text is shown as characters, never as an image
    assert "&lt;img src=file:///etc/passwd&gt;" in box.informativeText()
    assert "ValueError" in box.detailedText()
    box.close()
    qtbot.waitUntil(lambda: not _dialogs(), timeout=5_000)


def test_qt_messages_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    with caplog.at_level(logging.DEBUG, logger="linedesk.qt"):
        errors.qt_message_handler(
            QtMsgType.QtWarningMsg, QMessageLogContext(), "QFont: cannot load Roboto"
        )
        errors.qt_message_handler(QtMsgType.QtCriticalMsg, QMessageLogContext(), "GL failed")
        errors.qt_message_handler(QtMsgType.QtDebugMsg, QMessageLogContext(), "noise")
    levels = {r.getMessage(): r.levelno for r in caplog.records if r.name == "linedesk.qt"}
    assert levels == {
        "QFont: cannot load Roboto": logging.WARNING,
        "GL failed": logging.ERROR,
        "noise": logging.DEBUG,
    }


def test_a_fatal_qt_message_is_logged_and_said_on_stderr(tmp_path: Path) -> None:
    """Qt aborts the process after a fatal message: the reason is in the log and on stderr
    (a real child process: the abort would end the test run)."""
    code = (
        "import logging, sys\n"
        "from PySide6.QtCore import qFatal\n"
        "from ui.mainwindow import errors\n"
        f"logging.basicConfig(filename={str(tmp_path / 'x.log')!r}, level=logging.INFO)\n"
        "errors.install_qt_message_handler()\n"
        "qFatal('the GPU went away')\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert child.returncode != 0
    # (PySide puts its own words in place of a fatal message sent from Python)
    said = child.stderr.partition("linedesk: Qt stopped the program: ")[2].strip()
    assert said and said in (tmp_path / "x.log").read_text()
