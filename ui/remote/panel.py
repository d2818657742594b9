"""The sessions panel: each live remote session with its user, mode, state and duration, and
Stop. A dock under the chat, shown while there is a session; a model over the sessions (a
handful: no lazy rows needed), the durations ticking once a second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from contract.remote import RemoteSession
from ui.remote.texts import mode_text, state_text

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
Index = QModelIndex | QPersistentModelIndex


class SessionsModel(QAbstractTableModel):
    COLUMNS = ("user", "mode", "state", "duration")

    def __init__(self, user_name: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_name = user_name
        self.sessions: list[RemoteSession] = []
        self.notes: dict[int, str] = {}  # a viewer's own note (Remmina hands over) by id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.sessions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if role != DISPLAY or orientation is not Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("User"), self.tr("Mode"), self.tr("State"), self.tr("Duration"))
        return titles[section]

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if role != DISPLAY or not index.isValid():
            return None
        s = self.sessions[index.row()]
        column = self.COLUMNS[index.column()]
        if column == "user":
            return self._user_name(s.user_id)
        if column == "mode":
            return mode_text(s.mode.value)
        if column == "state":
            note = self.notes.get(s.id)
            return state_text(s.state.value) + (f" ({note})" if note else "")
        return duration_text(s)

    def show(self, sessions: list[RemoteSession]) -> None:
        ids = [s.id for s in sessions]
        if ids != [s.id for s in self.sessions]:
            self.beginResetModel()
            self.sessions = list(sessions)
            self.endResetModel()
            return
        self.sessions = list(sessions)
        if sessions:
            self.dataChanged.emit(self.index(0, 0), self.index(len(sessions) - 1, 3), [DISPLAY])

    def tick(self) -> None:
        if self.sessions:
            last = len(self.sessions) - 1
            self.dataChanged.emit(self.index(0, 3), self.index(last, 3), [DISPLAY])


def duration_text(s: RemoteSession) -> str:
    if s.connected_at is None:
        return ""
    end = s.ended_at or dt.datetime.now(dt.UTC)
    seconds = max(0, int((end - s.connected_at).total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


class SessionsPanel(QDockWidget):
    def __init__(
        self,
        user_name: Callable[[int], str],
        stop: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("remoteSessionsPanel")
        self.setWindowTitle(self.tr("Remote sessions"))
        self._stop = stop
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.model = SessionsModel(user_name, self)
        self.view = QTableView()
        self.view.setObjectName("remoteSessionsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view)
        row = QHBoxLayout()
        self.note = QLabel()
        self.note.setObjectName("remoteNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("remoteStop")
        self.stop_button.clicked.connect(self._stop_selected)
        row.addWidget(self.stop_button)
        layout.addLayout(row)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.model.tick)

    def show_sessions(self, sessions: list[RemoteSession]) -> None:
        self.model.show(sessions)
        if sessions:
            self._timer.start()
            self.show()
            if not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)
        else:
            self._timer.stop()
            self.hide()
        self.stop_button.setEnabled(bool(sessions))

    def _stop_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._stop(self.model.sessions[rows[0].row()].id)
