"""The online monitor (supervisors, Ctrl+Shift+M): the current line's queue and longest
wait, each specialist's status, load and open tickets, today's finished tickets and average
rating. Live: a change of a ticket or of a colleague's status asks the server again (at
most once a second)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action
from ui.tickets.holder import translate

if TYPE_CHECKING:
    from app.core import changes as ch
    from contract.tickets import LineMonitor
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core


class MonitorDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onlineMonitor")
        self.setWindowTitle(translate("Tickets", "Online monitor"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("monitorSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("monitorTable")
        self.table.setHorizontalHeaderLabels(
            [
                translate("Tickets", "Specialist"),
                translate("Tickets", "Status"),
                translate("Tickets", "Load"),
                translate("Tickets", "Tickets on the line"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.today = QLabel()
        self.today.setObjectName("monitorToday")
        layout.addWidget(self.today)
        self.resize(560, 420)

    def show_monitor(self, m: LineMonitor) -> None:
        from ui.common.text import one_line
        from ui.mainwindow.status import status_name

        waits = translate("Tickets", "In the queue: %1 · the longest waits %2 min")
        self.summary.setText(
            waits.replace("%1", str(m.queued)).replace("%2", str(m.longest_wait_seconds // 60))
        )
        self.table.setRowCount(len(m.specialists))
        for r, s in enumerate(m.specialists):
            name = one_line(s.full_name)
            cells = (name, status_name(s.status), f"{s.open}/{s.capacity}", len(s.tickets))
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        rating = "—" if m.average_rating is None else f"{m.average_rating:.2f}"
        today = translate("Tickets", "Today: %1 finished, %2 rated, average rating %3")
        self.today.setText(
            today.replace("%1", str(m.finished_today))
            .replace("%2", str(m.rated_today))
            .replace("%3", rating)
        )


class OnlineMonitor(QObject):
    """The command and the live dialog; a part of the window (ui/mainwindow/window.py)."""

    _desk: Desk
    dialog: MonitorDialog | None = None

    def complete(self, desk: Desk) -> None:
        self._desk = desk
        desk.actions.bind(self)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(1_000)
        self._soon.timeout.connect(self._ask)
        # Busy for new tickets: the line's queue, in the status bar (seed 001, 4.3)
        self.busy = False
        self.queue_label = QLabel()
        self.queue_label.setObjectName("lineQueue")
        self.queue_label.hide()
        window: Any = self.parent()
        window.statusBar().addPermanentWidget(self.queue_label)
        self._queue_soon = QTimer(self)
        self._queue_soon.setSingleShot(True)
        self._queue_soon.setInterval(1_000)
        self._queue_soon.timeout.connect(self._ask_queue)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UserChanged, lambda _c: self._changed())
        bridge.handle(ch.ColleagueChanged, lambda _c: self._changed())
        bridge.handle(ch.ColleaguesLoaded, lambda _c: self._changed())
        bridge.handle(ch.TicketStepAdded, lambda _c: self._changed())
        bridge.handle(ch.StatusChanged, self._on_status)

    def attach(self, workplace: Core) -> None:
        """(Nothing until the command.)"""

    @add_action(
        MainAction.ONLINE_MONITOR,
        text=QT_TRANSLATE_NOOP("Actions", "Online monitor"),
        tip=QT_TRANSLATE_NOOP("Actions", "The line's queue, specialists and today (supervisors)"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+M"),
    )
    def show_monitor(self) -> None:
        if self.dialog is None:
            window: Any = self.parent()
            self.dialog = MonitorDialog(window)
            self.dialog.finished.connect(self._closed)
        self._ask()

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _changed(self) -> None:
        if self.dialog is not None and not self._soon.isActive():
            self._soon.start()
        if self.busy and not self._queue_soon.isActive():
            self._queue_soon.start()

    def _on_status(self, change: ch.StatusChanged) -> None:
        from contract.types import Status

        self.busy = change.status is Status.BUSY_NEW
        self.queue_label.setVisible(self.busy)
        if self.busy:
            self._ask_queue()

    def _ask_queue(self) -> None:
        workplace = self._desk.workplace
        if workplace is not None and self.busy:
            self._desk.spawn(self._fetch_queue(workplace))

    async def _fetch_queue(self, workplace: Core) -> None:
        from app.tickets.part import LOAD

        load = await workplace.act(LOAD)
        if load is not None:
            said = translate("Tickets", "Queue of the line: %1").replace("%1", str(load.queued))
            self.queue_label.setText(said)

    def _ask(self) -> None:
        workplace = self._desk.workplace
        if workplace is not None:
            self._desk.spawn(self._fetch(workplace))

    async def _fetch(self, workplace: Core) -> None:
        from app.tickets.part import MONITOR

        found = await workplace.act(MONITOR)
        dialog = self.dialog
        if found is None or dialog is None:
            if found is None and dialog is not None and not dialog.isVisible():
                self._closed(0)  # refused (said in words): no empty window
            return
        dialog.show_monitor(found)
        if not dialog.isVisible():
            dialog.open()
