"""A call's own line in its chat's timeline: every call record (``contract.calls``) as a
quiet system line like a ticket's steps (ui/tickets/steps.py) — direction, how it went
(ringing, talking, answered with its duration, missed, declined, busy, failed and why) and
the specialist's comment — put among the messages by its ringing time and changed in place
as the record changes (``call.updated`` through app/calls: ``CallChanged``). A comment is
plain text: the chat's delegate draws system lines as text, never markup.

Once the call's recording is on the server the line ends in «▶ recording», and a click on it
offers Play recording (downloaded, then opened with the desktop's audio player: the window
has no player of its own) and Save recording as…"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from app.core.domain import Author, Message
from contract import calls as wire
from contract.types import AccountKind
from ui.common.text import quoted

if TYPE_CHECKING:
    from app.core import changes as ch
    from ui.chat.model import ChatModel
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk

log = logging.getLogger("linedesk.ui.calls")
PREFIX = "call:"  # the line's key in the chat model (ui/chat/model.py `is_step`)


def duration_text(seconds: int) -> str:
    """42 → 0:42, 3725 → 1:02:05."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _failure(reason: str | None) -> str:
    from telephony.problems import EndReason
    from ui.calls.texts import end_text

    if reason in {r.value for r in EndReason}:
        return end_text(EndReason(reason))
    return reason or QCoreApplication.translate("Calls", "The call failed")


def call_text(record: wire.CallRecord) -> str:
    """The record in words: "Incoming call · answered · 2:05 · «comment»"."""
    incoming = record.direction is wire.CallDirection.INCOMING
    parts = [
        QCoreApplication.translate("Calls", "Incoming call")
        if incoming
        else QCoreApplication.translate("Calls", "Outgoing call")
    ]
    state, result = record.state, record.result
    if state is wire.CallState.RINGING:
        parts.append(QCoreApplication.translate("Calls", "ringing…"))
    elif state is wire.CallState.ANSWERED:
        parts.append(QCoreApplication.translate("Calls", "talking…"))
    elif result is wire.CallResult.ANSWERED:
        parts.append(QCoreApplication.translate("Calls", "answered"))
        if record.duration is not None:
            parts.append(duration_text(record.duration))
    elif result is wire.CallResult.MISSED:
        parts.append(
            QCoreApplication.translate("Calls", "missed")
            if incoming
            else QCoreApplication.translate("Calls", "not answered")
        )
    elif result is wire.CallResult.DECLINED:
        parts.append(QCoreApplication.translate("Calls", "declined"))
    elif result is wire.CallResult.BUSY:
        parts.append(QCoreApplication.translate("Calls", "busy"))
    else:
        parts.append(
            QCoreApplication.translate("Calls", "failed: %1").replace("%1", _failure(record.reason))
        )
    if record.comment:
        parts.append(quoted(record.comment))  # its bidi controls: marks, by the chat's delegate
    if record.recording:
        parts.append(QCoreApplication.translate("Calls", "▶ recording"))
    return " · ".join(parts)


def as_line(record: wire.CallRecord) -> Message:
    """The record as the chat model's row: a message keyed ``call:<id>`` (never sent, no id:
    paging by message ids passes it by), at its ringing time."""
    return Message(
        id=None,
        chat_id=record.chat_id,
        client_msg_id=f"{PREFIX}{record.id}",
        author=Author(record.specialist_id or 0, AccountKind.SPECIALIST, ""),
        text=call_text(record),
        created_at=record.ringing_at,
        ticket_id=record.ticket_id,
    )


class CallLines(QObject):
    """Keeps the open chat's call lines: all of them when it opens, each change live."""

    def __init__(self, parent: QObject, desk: Desk) -> None:
        super().__init__(parent)
        self._desk = desk
        self.menu: QMenu | None = None
        # the desktop's dialog and player, replaceable by a test (offscreen they cannot work)
        self.ask_save: Any = self._ask_save
        self.play: Any = lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.ChatOpened, self._on_chat_opened)
        bridge.handle(ch.CallChanged, self._on_call)
        window: Any = self.parent()
        window.chat.chat_view.chat_delegate.sig_step_clicked.connect(self.clicked)

    def _model(self) -> ChatModel:
        window: Any = self.parent()
        model: ChatModel = window.chat.chat_model
        return model

    def show(self, record: wire.CallRecord) -> None:
        """The record's line in the open chat (if it is this record's): new, or changed."""
        model = self._model()
        if model.chat_id == record.chat_id:
            line = as_line(record)
            model.update(line)  # a line already there changes in place
            model.insert_step(line)  # else it goes in by its time

    def _on_call(self, change: ch.CallChanged) -> None:
        self.show(change.record)

    def _on_chat_opened(self, change: ch.ChatOpened) -> None:
        workplace: Any = self._desk.workplace
        book = getattr(workplace, "calls", None)
        if book is not None:
            self._desk.spawn(self._load(book, change.chat_id))

    async def _load(self, book: Any, chat_id: int) -> None:
        for record in await book.of_chat(chat_id):
            self.show(record)

    def _book(self) -> Any:
        return getattr(self._desk.workplace, "calls", None)

    def clicked(self, key: str, where: QPoint) -> QMenu | None:
        """A click on a quiet line: for a call's with a recording, Play and Save as…"""
        book = self._book()
        if not key.startswith(PREFIX) or book is None:
            return None
        record = book.records.get(int(key[len(PREFIX) :]))
        if record is None or record.recording is None:
            return None
        menu = QMenu(self._window())
        menu.setObjectName("callRecordingMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        play = menu.addAction(QCoreApplication.translate("Calls", "Play recording"))
        play.setObjectName("playRecording")
        play.triggered.connect(lambda: self._desk.spawn(self._play(book, record)))
        save = menu.addAction(QCoreApplication.translate("Calls", "Save recording as…"))
        save.setObjectName("saveRecording")
        save.triggered.connect(lambda: self._save(book, record))
        self.menu = menu
        menu.popup(where)
        return menu

    def _window(self) -> QWidget:
        window: QWidget = self.parent()  # type: ignore[assignment]
        return window

    @staticmethod
    def file_name(record: wire.CallRecord) -> str:
        return f"call-{record.id}-{record.ringing_at.strftime('%Y-%m-%d-%H%M')}.opus"

    async def _play(self, book: Any, record: wire.CallRecord) -> None:
        workplace: Any = self._desk.workplace
        folder = Path(workplace.data_dir) / "recordings" / "heard"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.file_name(record)
        if not target.is_file():
            await book.recordings.fetch(record, target)
        self.play(target)

    def _save(self, book: Any, record: wire.CallRecord) -> None:
        chosen = self.ask_save(self.file_name(record))
        if chosen:
            self._desk.spawn(book.recordings.fetch(record, Path(chosen)))

    def _ask_save(self, name: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MusicLocation)
        title = QCoreApplication.translate("Calls", "Save the call's recording")
        path, _ = QFileDialog.getSaveFileName(self._window(), title, str(Path(folder) / name))
        return path
