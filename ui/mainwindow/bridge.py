"""Workplace changes (app.core.changes) → Qt signals, on the Qt thread (STYLE.md 1, 11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core import changes as ch


class Bridge(QObject):
    """Subscribes to a Workplace and re-emits every change as a typed Qt signal."""

    sig_signed_in = Signal(object)  # SignedIn
    sig_lines_loaded = Signal(object)  # LinesLoaded
    sig_users_reset = Signal(object)  # UsersReset
    sig_user_changed = Signal(object)  # UserChanged
    sig_user_moved = Signal(object)  # UserMoved
    sig_user_inserted = Signal(object)  # UserInserted
    sig_chat_opened = Signal(object)  # ChatOpened
    sig_history_prepended = Signal(object)  # HistoryPrepended
    sig_message_added = Signal(object)  # MessageAdded
    sig_message_updated = Signal(object)  # MessageUpdated
    sig_card_loaded = Signal(object)  # CardLoaded
    sig_status_changed = Signal(object)  # StatusChanged
    sig_colleague_changed = Signal(object)  # ColleagueChanged
    sig_connection_changed = Signal(object)  # ConnectionChanged
    sig_session_expired = Signal(object)  # SessionExpired
    sig_problem = Signal(object)  # Problem
    sig_any = Signal(object)
    """Every change, after its own signal (tests wait on this)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], Any] | None = None
        self._routes: dict[type, Any] = {
            ch.SignedIn: self.sig_signed_in,
            ch.LinesLoaded: self.sig_lines_loaded,
            ch.UsersReset: self.sig_users_reset,
            ch.UserChanged: self.sig_user_changed,
            ch.UserMoved: self.sig_user_moved,
            ch.UserInserted: self.sig_user_inserted,
            ch.ChatOpened: self.sig_chat_opened,
            ch.HistoryPrepended: self.sig_history_prepended,
            ch.MessageAdded: self.sig_message_added,
            ch.MessageUpdated: self.sig_message_updated,
            ch.CardLoaded: self.sig_card_loaded,
            ch.StatusChanged: self.sig_status_changed,
            ch.ColleagueChanged: self.sig_colleague_changed,
            ch.ConnectionChanged: self.sig_connection_changed,
            ch.SessionExpired: self.sig_session_expired,
            ch.Problem: self.sig_problem,
        }

    def attach(self, workplace: Any) -> None:
        self.detach()
        self._unsubscribe = workplace.subscribe(self.deliver)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def deliver(self, change: object) -> None:
        signal = self._routes.get(type(change))
        if signal is not None:
            signal.emit(change)
        self.sig_any.emit(change)
