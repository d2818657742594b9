"""Files in the chat pane: send one (the attach button, a drop on the pane, an image pasted
into the composer) with progress and Cancel; save one (Save as…) and open one — only after
it is saved, and never an executable or a script (app/chat/names.py)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.chat import files as core
from app.chat.names import is_risky, safe_name, size_text
from app.core.domain import FileRef
from contract.chats import MAX_FILE
from ui.common.flow import ignored
from ui.common.text import file_line, fill, isolated

if TYPE_CHECKING:
    import asyncio

    from ui.chat.pane import ChatPane

log = logging.getLogger("linedesk.ui.chat.files")


def size_words(size: int) -> str:
    """A size for a person: "1,5 MB" in Russian, "1.5 MB" in English (the units are
    translated)."""
    from ui.common import i18n

    value, unit = size_text(size)
    units = {
        "B": QCoreApplication.translate("ChatFiles", "B"),
        "KB": QCoreApplication.translate("ChatFiles", "KB"),
        "MB": QCoreApplication.translate("ChatFiles", "MB"),
        "GB": QCoreApplication.translate("ChatFiles", "GB"),
    }
    number = f"{value:.0f}" if unit == "B" or value >= 100 else f"{value:.1f}"
    if i18n.current() != "en":
        number = number.replace(".", ",")
    return f"{number}\u00a0{units[unit]}"


class TransferBar(QWidget):
    """The file on its way: its name, a progress bar and Cancel."""

    sig_cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        ignored(self.label)  # a long file name cut at the edge, the window keeps its width
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setObjectName("cancelTransfer")
        self.cancel.clicked.connect(self.sig_cancel)
        row.addWidget(self.label, 1)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel)
        self.hide()

    def started(self, name: str) -> None:
        self.label.setText(file_line(name))
        self.progress.setValue(0)
        self.show()

    def advanced(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 1000)


class ChatFiles(QObject):
    """The pane's file intents; the transfers run as the desk's owned tasks."""

    sig_sent = Signal(int)
    """A file went out: the id of its message."""
    sig_saved = Signal(str)
    """A file was saved: the path."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.bar = TransferBar()
        self.bar.sig_cancel.connect(self.cancel)
        self._task: asyncio.Task[object] | None = None
        self._queue: list[Path] = []
        self.saved: dict[int, Path] = {}  # file id -> where it was saved this session
        # the desktop's dialogs, replaceable by a test (they cannot be clicked offscreen)
        self.ask_open: Callable[[], list[str]] = self._ask_open
        self.ask_save: Callable[[str], str] = self._ask_save

    # -- sending ---------------------------------------------------------------------------
    def choose(self) -> None:
        """The attach button: choose files and send them."""
        self.send_paths([Path(p) for p in self.ask_open()])

    def _ask_open(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self._pane, self.tr("Send files"))
        return paths

    def send_image(self, image: QImage) -> None:
        """An image pasted into the composer: sent as a PNG."""
        folder = Path(tempfile.mkdtemp(prefix="linedesk-paste-"))
        path = folder / "image.png"
        if not image.save(str(path)):  # PNG, by the suffix
            log.warning("a pasted image could not be written")
            return
        self.send_paths([path])

    def send_paths(self, paths: list[Path]) -> None:
        """Send the files one after another; one over the server's cap is refused first."""
        for path in paths:
            if not path.is_file():
                continue
            size = path.stat().st_size
            if size > MAX_FILE:
                self._pane.banner.show_problem(
                    fill(
                        self.tr("The file “%1” is too large: %2. The server takes files up to %3."),
                        isolated(file_line(path.name)),
                        size_words(size),
                        size_words(MAX_FILE),
                    )
                )
                continue
            self._queue.append(path)
        self._next()

    def _next(self) -> None:
        workplace, chat_id = self._pane.workplace(), self._pane.chat_model.chat_id
        if self._task is not None or not self._queue:
            return
        if workplace is None or chat_id is None:
            self._queue.clear()
            return
        path = self._queue.pop(0)
        self.bar.started(path.name)
        task = self._pane.spawn(workplace.act(core.SEND_FILE, chat_id, path, self.bar.advanced))
        self._task = task
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[object]) -> None:
        self._task = None
        self.bar.hide()
        if not task.cancelled():
            message = task.result()
            if message is not None:
                self.sig_sent.emit(getattr(message, "id", 0) or 0)
        self._next()

    def cancel(self) -> None:
        """Cancel stops the file on its way (and the ones waiting after it)."""
        self._queue.clear()
        if self._task is not None:
            self._task.cancel()

    # -- receiving -------------------------------------------------------------------------
    def save_as(self, file: FileRef) -> None:
        """Ask where, then save the file there."""
        target = self.ask_save(safe_name(file.name))
        if target:
            self._save(file, Path(target), open_after=False)

    def _ask_save(self, name: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        path, _ = QFileDialog.getSaveFileName(
            self._pane, self.tr("Save the file"), str(Path(folder) / name)
        )
        return path

    def open(self, file: FileRef) -> None:
        """Open with the desktop's handler, after saving it into Downloads; an executable or
        a script is saved but not opened, and the specialist is told why."""
        if is_risky(safe_name(file.name)):
            self._pane.banner.show_problem(
                self.tr(
                    "“%1” could run a program on this computer, so it is not opened from the "
                    "chat. Save it and check it first."
                ).replace("%1", isolated(file_line(file.name)))
            )
            return
        saved = self.saved.get(file.id)
        if saved is not None and saved.is_file():
            self._open_saved(saved)
            return
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
            or tempfile.gettempdir()
        )
        self._save(file, free_path(folder, safe_name(file.name)), open_after=True)

    def _save(self, file: FileRef, target: Path, open_after: bool) -> None:
        workplace = self._pane.workplace()
        if workplace is None:
            return
        self.bar.started(file.name)
        task = self._pane.spawn(workplace.act(core.SAVE_FILE, file, target, self.bar.advanced))

        def done(t: asyncio.Task[object]) -> None:
            self._task = None
            self.bar.hide()
            if t.cancelled() or t.result() is None:
                return
            self.saved[file.id] = target
            self.sig_saved.emit(str(target))
            if open_after:
                self._open_saved(target)

        self._task = task
        task.add_done_callback(done)

    def _open_saved(self, path: Path) -> None:
        if is_risky(path.name):  # (its name was checked; the saved one too)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2)`, `name (3)`… when it is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({n}){suffix}"
        n += 1
    return candidate
