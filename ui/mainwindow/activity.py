"""The specialist's activity: keyboard and mouse seen anywhere in the program are reported
(throttled) — the Workplace's idle timer (automatic Away) is reset by them."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

ACTIVITY_THROTTLE_S = 5.0


class ActivityFilter(QObject):
    """An application-wide event filter: calls `report()` at most every ACTIVITY_THROTTLE_S
    while keys, clicks, moves or wheels are seen."""

    def __init__(self, report: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report = report
        self._last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        types = QEvent.Type
        if kind in (types.KeyPress, types.MouseButtonPress, types.MouseMove, types.Wheel):
            now = time.monotonic()
            if now - self._last >= ACTIVITY_THROTTLE_S:
                self._last = now
                self._report()
        return False
