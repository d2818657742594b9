"""The changes' registry (ui/mainwindow/bridge.py): a pane registered for a kind of change
gets it — a kind the bridge has never heard of — on the Qt thread, and nothing else."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from app.core.changes import Problem
from app.core.problems import ProblemCode
from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow.bridge import Bridge
from ui.mainwindow.window import MainWindow

pytestmark = WINDOW_MARKS


@dataclass(frozen=True, slots=True)
class CallRinging:
    """A kind of change no part of the window knows (calls come with a later issue)."""

    caller: str


class CallsPane(QObject):
    """A pane of a feature that is not there yet: it registers for its own kind of change."""

    def __init__(self) -> None:
        super().__init__()
        self.rang: list[tuple[str, int]] = []

    def listen(self, bridge: Bridge) -> None:
        bridge.handle(CallRinging, self._on_call_ringing)

    def _on_call_ringing(self, change: CallRinging) -> None:
        self.rang.append((change.caller, threading.get_ident()))


class Changes:
    """The changes' source, as the Workplace is one: `subscribe(callback)`."""

    def __init__(self) -> None:
        self.subscribers: list[Callable[[object], None]] = []

    def subscribe(self, callback: Callable[[object], None]) -> Callable[[], None]:
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)

    def emit(self, change: object) -> None:
        for callback in list(self.subscribers):
            callback(change)


def test_a_pane_gets_a_new_kind_of_change_without_the_bridge_knowing_it(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    pane = CallsPane()
    window.bridge.register(pane)
    changes = Changes()
    window.bridge.attach(changes)
    qt_thread = threading.get_ident()

    with qtbot.waitSignal(window.bridge.sig_any, timeout=1_000) as seen:
        changes.emit(CallRinging("Нестеров Кирилл Ильич"))
    assert seen.args == [CallRinging("Нестеров Кирилл Ильич")]
    assert pane.rang == [("Нестеров Кирилл Ильич", qt_thread)]

    # other kinds go to the panes registered for them, not to this one
    with qtbot.waitSignal(window.bridge.sig_problem, timeout=1_000):
        changes.emit(Problem(ProblemCode.UNREACHABLE))
    assert len(pane.rang) == 1

    # a change from another thread reaches the pane on the Qt thread
    caller = threading.Thread(target=changes.emit, args=(CallRinging("Гришин Артём"),))
    caller.start()
    caller.join()
    qtbot.waitUntil(lambda: len(pane.rang) == 2, timeout=5_000)
    assert pane.rang[1] == ("Гришин Артём", qt_thread)

    window.bridge.detach()
    assert changes.subscribers == []
