"""Disconnecting the open user from the line, and restoring them (seed 004: "on a repeated
breach such users are disconnected from the support lines (ban, black list)").

"Disconnect from the line…" (the users' context menu) asks first, with the reason
(`dialog.py`); the core does it (app/disconnect/part.py) and the row says it from then on —
here, and in every colleague's window of the line (`user.updated`). While the open user is
disconnected the chat's header says so in a quiet line, the composer says they cannot
receive answers here (it keeps what was typed; Send and the file button are off), Call and
Connect say why they are off (`refusal`, asked by those features), and
"Restore to the line" applies (the
context menu and the info panel's section, `section.py`). A refusal is said by the window's
problem banner; the reason typed is kept for the next try."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from ui.common.when import date_time_text
from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

    from app.core.changes import CardLoaded
    from app.core.domain import UserRow
    from ui.disconnect.dialog import DisconnectDialog
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core

MARK_COLOR = "#b3261e"  # the quiet red of a refusal, readable on light and dark panels


def said(row: UserRow, with_reason: bool = True) -> str:
    """ "Disconnected from the line: Демидова А. С., 06.12.2026 10:40 — reason" (the header's
    line leaves the reason to its tooltip and the info panel: there it would be cut)."""
    gone = row.disconnected
    if gone is None:
        return ""
    from ui.common.text import fill, isolated
    from ui.tickets.holder import short_name, translate

    when = date_time_text(gone.at.astimezone())
    who = isolated(short_name(gone.by_name) or gone.by_name)
    if gone.until is not None:
        text = translate("Disconnect", "Disconnected from the line until %4: %1, %2")
    else:
        text = translate("Disconnect", "Disconnected from the line: %1, %2")
    if with_reason:
        text += " — %3"
    ends = date_time_text(gone.until.astimezone()) if gone.until else ""
    return fill(text, who, when, isolated(gone.reason), ends)


def refusal(row: UserRow | None) -> str:
    """Why a call or a remote session with this user is refused here ("" when it is not): the
    server refuses both for a user disconnected from the line, so the commands say it first."""
    if row is None or row.disconnected is None:
        return ""
    from ui.tickets.holder import translate

    return translate("Disconnect", "The user is disconnected from this line")


def gate(command: Command, desk: Desk) -> None:
    """``command`` (Call, Connect) off, saying why, while the open user is disconnected; off
    while no user is open (a group's chat, another line chosen)."""
    user_id = desk.user_id
    row = desk.row(user_id) if user_id is not None else None
    command.set_refused(refusal(row), possible=user_id is not None)


class DisconnectFeature(QObject):
    _desk: Desk
    _disconnect: Command
    _restore: Command
    label: QLabel
    dialog: DisconnectDialog | None = None
    _card: CardLoaded | None = None

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._busy = False  # waiting for the server
        self._reasons: dict[int, str] = {}  # a reason not taken yet, by user: kept
        self._placeholder = ""

    def complete(self, desk: Desk) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLabel

        self._desk = desk
        self._disconnect = desk.actions[MainAction.DISCONNECT_USER]
        self._restore = desk.actions[MainAction.RESTORE_USER]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(lambda _user_id: self.refresh())
        self.label = QLabel()
        self.label.setObjectName("chatDisconnected")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # names and a reason: never markup
        self.label.setStyleSheet(f"color: {MARK_COLOR};")
        self.label.hide()
        window: Any = self.parent()
        window.chat.bar.add_line(self.label)
        self._composer = window.composer
        self._pane = window.chat  # its Send and file buttons
        self._placeholder = self._composer.placeholderText()

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch

        bridge.handle(ch.UsersReset, lambda _change: self.refresh())
        bridge.handle(ch.UserChanged, self._on_user_changed)
        bridge.handle(ch.ChatOpened, lambda _change: self.refresh())  # after the pane's
        bridge.handle(ch.CardLoaded, self._on_card)

    def _on_card(self, change: Any) -> None:
        self._card = change  # the open user's on a line: their other lines

    def _also(self, workplace: Core, user_id: int) -> list[tuple[int, str]]:
        """The user's other lines that I serve too (from their card on the line shown, once
        it is here; a card of another line or user: none)."""
        loaded, here = self._card, workplace.current_line_id
        if loaded is None or loaded.card.row.id != user_id or loaded.line_id != here:
            return []
        mine = {line.id for line in workplace.lines}
        return [(i, name) for i, name in loaded.card.other_lines if i in mine and i != here]

    def attach(self, workplace: Core) -> None:
        self.refresh()

    def _on_user_changed(self, change: Any) -> None:
        if change.row.id == self._desk.user_id:
            self.refresh()

    def _row(self) -> UserRow | None:
        user_id = self._desk.user_id
        return self._desk.row(user_id) if user_id is not None else None

    @add_action(
        MainAction.DISCONNECT_USER,
        text=QT_TRANSLATE_NOOP("Actions", "Disconnect from the line…"),
        tip=QT_TRANSLATE_NOOP(
            "Actions",
            "After a warning: disconnect this user from the support line (ban), with the reason",
        ),
        enabled=False,
        user=True,
    )
    def disconnect_user(self) -> None:
        from ui.disconnect.dialog import DisconnectDialog

        row, workplace = self._row(), self._desk.workplace
        if row is None or workplace is None or row.disconnected is not None or self._busy:
            return
        window: Any = self.parent()
        also = self._also(workplace, row.id)
        dialog = DisconnectDialog(row.full_name, self._reasons.get(row.id, ""), window, also)
        self.dialog = dialog

        def done(result: int) -> None:
            self.dialog = None
            until = dialog.until(workplace.server_now())
            reason, everywhere = dialog.reason(), dialog.also_lines()
            if result == dialog.DialogCode.Accepted.value and reason:
                self._reasons[row.id] = reason
                self._act(self._disconnect_now(workplace, row.id, reason, until, everywhere))
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
        dialog.editor.setFocus()

    async def _disconnect_now(
        self,
        workplace: Core,
        user_id: int,
        reason: str,
        until: dt.datetime | None,
        everywhere: list[int],
    ) -> None:
        from app.disconnect.part import DISCONNECT

        if await workplace.act(DISCONNECT, user_id, reason, until, everywhere) is not None:
            self._reasons.pop(user_id, None)  # taken; a refusal keeps it for the next try

    @add_action(
        MainAction.RESTORE_USER,
        text=QT_TRANSLATE_NOOP("Actions", "Restore to the line"),
        tip=QT_TRANSLATE_NOOP("Actions", "Lift the disconnection: the line takes them again"),
        enabled=False,
        user=True,
    )
    def restore(self) -> None:
        from app.disconnect.part import RESTORE

        row, workplace = self._row(), self._desk.workplace
        if row is None or workplace is None or row.disconnected is None or self._busy:
            return
        self._act(workplace.act(RESTORE, row.id))

    def _act(self, work: Any) -> None:
        self._busy = True
        self.refresh()

        async def acting() -> None:
            try:
                await work
            finally:
                self._busy = False
                self.refresh()

        self._desk.spawn(acting())

    def refresh(self) -> None:
        """The commands, the header's line and the composer as they are for the open user."""
        from ui.common.text import isolated, plain_tooltip

        row = self._row()
        client = row is not None and not row.colleague
        gone = row is not None and row.disconnected is not None
        self._disconnect.set_applies(client and not gone)
        self._disconnect.setEnabled(client and not gone and not self._busy)
        self._restore.set_applies(gone)
        self._restore.setEnabled(gone and not self._busy)
        if row is not None and gone:
            self.label.setText(said(row, with_reason=False))
            self.label.setToolTip(plain_tooltip(said(row)))
            self.label.show()
            self._composer.setPlaceholderText(
                self.tr(
                    "%1 is disconnected from this line: they cannot receive answers here"
                ).replace("%1", isolated(row.full_name))
            )
        else:
            self.label.hide()
            self._composer.setPlaceholderText(self._placeholder)
        self._composer.setReadOnly(gone)
        sending = self._composer.isEnabled() and not gone  # (the pane enables it with a chat)
        self._pane.send_button.setEnabled(sending)
        self._pane.attach_button.setEnabled(sending)
