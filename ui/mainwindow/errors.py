"""Qt's messages into logging; one excepthook that logs and shows a dialog (STYLE.md 13)."""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import qInstallMessageHandler
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("linedesk.ui.errors")
qt_log = logging.getLogger("linedesk.qt")

# by name: this module is loaded before the first paint, its enums are not
_LEVELS = {
    "QtDebugMsg": logging.DEBUG,
    "QtInfoMsg": logging.INFO,
    "QtWarningMsg": logging.WARNING,
    "QtCriticalMsg": logging.ERROR,
    "QtFatalMsg": logging.CRITICAL,
}


def qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    qt_log.log(_LEVELS.get(kind.name, logging.WARNING), "%s%s", message, where)
    if kind.name == "QtFatalMsg":  # Qt ends the process next: say why where it was started
        with contextlib.suppress(Exception):
            print(f"linedesk: Qt stopped the program: {message}{where}", file=sys.stderr)
            sys.stderr.flush()


def install_qt_message_handler() -> None:
    qInstallMessageHandler(qt_message_handler)


_open_boxes: list[QMessageBox] = []


def show_error_dialog(summary: str, details: str) -> None:
    """Non-blocking: the program keeps running; at most three boxes at once."""
    if QApplication.instance() is None or len(_open_boxes) >= 3:
        return
    from PySide6.QtWidgets import QMessageBox  # not before the first paint

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "LineDesk",
        QApplication.translate("Errors", "Something went wrong"),
    )
    box.setTextFormat(box.textFormat().PlainText)
    box.setInformativeText(
        QApplication.translate(
            "Errors", "The program keeps working. The details are in the log file."
        )
        + "\n\n"
        + summary
    )
    # The informative text is not covered by setTextFormat: Qt guesses, so make it plain.
    from ui.common.text import plain_tooltip  # not before the first paint: this module loads early

    box.setInformativeText(plain_tooltip(box.informativeText()))
    box.setDetailedText(details)
    box.setObjectName("errorDialog")
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    _open_boxes.append(box)
    box.open()


def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    log.error("Unexpected error", exc_info=(kind, value, tb))
    show_error_dialog(
        f"{kind.__name__}: {value}", "".join(traceback.format_exception(kind, value, tb))
    )


def asyncio_exception_handler(loop: Any, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    if isinstance(exc, BaseException):
        excepthook(type(exc), exc, exc.__traceback__)
    else:
        log.error("asyncio: %s", context.get("message"))


def install_excepthook() -> None:
    sys.excepthook = excepthook
