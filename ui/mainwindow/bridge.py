"""The Workplace's changes (app.core.changes) → the panes that show them, on the Qt thread
(STYLE.md 1, 11; Electrum's QtEventListener).

A registry, not a table: each pane registers, for every kind of change it shows, a callback
(`bridge.handle(ch.UserChanged, self._on_user_changed)`, typed: the callback takes that
class), usually from its `listen(bridge)` (`bridge.register(pane)` calls it). `deliver`
hands a change to the callbacks registered for its class, in the order they registered, then
emits `sig_any`. The bridge names no kind of change: a new one is a class in the core and a
`handle` in the pane that shows it — neither this module nor the window changes.

Each kind registered gets a Qt signal of its own (`signal(kind)`, made on first use), so
delivery is Qt's: a pane's callback that is a QObject's method goes with that object, and a
change delivered from another thread reaches the panes queued on the Qt thread (the core
emits on the asyncio thread, which qasync makes the Qt thread: then synchronously, as
before).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.core.changes import Change

C = TypeVar("C")


class Listener(Protocol):
    """A pane: registers its callbacks for the changes it shows."""

    def listen(self, bridge: Bridge) -> None: ...


class Source(Protocol):
    """Where the changes come from (the Workplace)."""

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]: ...


class _Channel(QObject):
    sig_change = Signal(object)


class Bridge(QObject):
    """Subscribes to a Workplace and delivers every change to the callbacks registered for
    its class."""

    sig_any = Signal(object)
    """Every change, after the callbacks registered for it (tests wait on this)."""
    _sig_incoming = Signal(object)  # → `_dispatch`, queued when emitted off the Qt thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None
        self._channels: dict[type, _Channel] = {}
        self._sig_incoming.connect(self._dispatch)

    # -- registration ------------------------------------------------------------------------
    def handle(self, kind: type[C], callback: Callable[[C], object]) -> None:
        """Call `callback(change)` for every change of class `kind` (exactly that class)."""
        self.signal(kind).connect(callback)

    def register(self, listener: Listener) -> None:
        listener.listen(self)

    def signal(self, kind: type) -> SignalInstance:
        """The Qt signal that carries the changes of class `kind` (made on first use)."""
        channel = self._channels.get(kind)
        if channel is None:
            channel = self._channels[kind] = _Channel(self)
            channel.setObjectName(kind.__name__)
        return channel.sig_change

    @property
    def sig_session_expired(self) -> SignalInstance:
        """`SessionExpired` changes (ui.mainwindow.lifecycle and its tests wait on it)."""
        from app.core.changes import SessionExpired

        return self.signal(SessionExpired)

    @property
    def sig_problem(self) -> SignalInstance:
        """`Problem` changes (the sign-in dialog shows them: ui.mainwindow.lifecycle)."""
        from app.core.changes import Problem

        return self.signal(Problem)

    # -- the source --------------------------------------------------------------------------
    def attach(self, source: Source) -> None:
        self.detach()
        self._unsubscribe = source.subscribe(self.deliver)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def deliver(self, change: object) -> None:
        self._sig_incoming.emit(change)

    def _dispatch(self, change: object) -> None:
        channel = self._channels.get(type(change))
        if channel is not None:
            channel.sig_change.emit(change)
        self.sig_any.emit(change)


__all__ = ["Bridge", "Listener", "Source"]
