"""Calls in the window: the Call command (function bar, the users list's context menu), the
SIP user agent of the PBX account (telephony/), the incoming-call pop-up, the in-call panel
and the comment prompt after a call. With no PBX configured (the demo) the command is there
and says in one line how to connect one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from ui.calls.account import account_of, password_key, recordings_dir
from ui.calls.headset import HeadsetLink
from ui.disconnect.feature import gate
from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    import asyncio  # (not at the first paint: tests/window/test_first_frame.py)

    from telephony.call import Call
    from telephony.sip.registration import Account, Registration
    from telephony.sip.ua import UserAgent
    from ui.calls.dialer import Dialer
    from ui.calls.panel import InCallPanel
    from ui.calls.popup import IncomingCallPopup
    from ui.calls.transfer import TransferCallDialog
    from ui.mainwindow.bridge import Bridge
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core

log = logging.getLogger("linedesk.ui.calls")


MAX_CALLS = 2  # the call in progress and one waiting; a third caller hears busy


class CallsFeature(QObject):
    _desk: Desk
    _command: Command
    panel: InCallPanel

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._core: Any = None
        self.ua: UserAgent | None = None
        self.popup: IncomingCallPopup | None = None
        self.call: Call | None = None  # the active call (the in-call panel's)
        self.others: list[Call] = []  # a call waiting (ringing), or the one held for it
        self.popups: dict[str, IncomingCallPopup] = {}
        self.records: dict[str, asyncio.Task[int | None]] = {}  # by SIP Call-ID
        self.notice: QMessageBox | None = None
        self.dialer: Dialer | None = None
        self.headset = HeadsetLink(
            lambda coro: self._desk.spawn(coro), self._hook, self._toggle_mute, self._headset_gone
        )
        self.comment_prompt: QInputDialog | None = None
        self.transfer_dialog: TransferCallDialog | None = None
        self.record: asyncio.Task[int | None] | None = None  # the last call's record, kept
        self._dialling = False  # the Call command is finding what to dial

    def complete(self, desk: Desk) -> None:
        from PySide6.QtCore import Qt

        from ui.calls import audio_page, settings_page
        from ui.calls.panel import InCallPanel

        assert settings_page.__name__ and audio_page.__name__  # the Settings dialog's pages
        self._desk = desk
        self._command = desk.actions[MainAction.CALL_USER]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)
        desk.sig_dial.connect(self.open_dialer)  # the info panel's phone numbers
        menu = self._window.menuBar().addMenu(self.tr("&Calls"))
        menu.setObjectName("callsMenu")
        menu.addAction(desk.actions[MainAction.DIAL])
        self.panel = InCallPanel(self._window)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        self.panel.sig_mute.connect(self._mute)
        self.panel.sig_hold.connect(self._hold)
        self.panel.sig_digit.connect(self._digit)
        self.panel.sig_transfer.connect(self.ask_transfer)
        self.panel.sig_hang_up.connect(self._hang_up)

    def listen(self, bridge: Bridge) -> None:
        from app.core import changes as ch
        from ui.calls.timeline import CallLines

        self.lines = CallLines(self._window, self._desk)  # each call's line in its chat
        self.lines.listen(bridge)
        bridge.handle(ch.UserChanged, lambda _change: gate(self._command, self._desk))

    def attach(self, workplace: Core) -> None:
        self._core = cast("Any", workplace)
        self.restart()

    # -- the account ------------------------------------------------------------------------

    def account(self) -> Account | None:
        """The PBX account from the settings (its password from the keyring), or None."""
        return account_of(self._core)

    def restart(self) -> None:
        """(Re)start the user agent for the account now in the settings."""
        self._desk.spawn(self._restart())

    async def _restart(self) -> None:
        from app.calls.audio import attach
        from telephony.media.audio import Headset
        from telephony.sip.ua import UserAgent

        if self.ua is not None:
            old, self.ua = self.ua, None
            await old.stop()
            if self._core is not None:
                self._core.engaged("call", False)  # its calls are gone with it
        account = self.account()
        if account is None:
            self.panel.registration.setText("")
            return
        ua = UserAgent(account, headset_factory=Headset)
        ua.recordings = recordings_dir(self._core)  # None: not recorded
        ua.on_incoming = self._incoming
        try:
            await ua.start()
        except OSError as exc:
            log.warning("the SIP socket could not open: %s", exc)
            self.panel.registration.setText(self.tr("Calls are unavailable: no network"))
            return
        self.ua, self.ringer = ua, attach(ua, self._core)  # the devices chosen, the ringtone
        if self.dialer is not None and self.dialer.problem.text() == self._no_pbx():
            self.dialer.problem.hide()  # it is connected now
        if ua.registration is not None:
            ua.registration.listeners.append(self._registration_changed)
        self.headset.open()

    # -- the headset's buttons ----------------------------------------------------------------

    def _hook(self, off_hook: bool) -> None:
        from telephony.problems import CallState

        ringing = [c for c in self.calls() if c.state is CallState.RINGING and c.direction == "in"]
        if off_hook and ringing:
            self._answer(ringing[0])
        elif not off_hook and self.call is not None and self.call.state is not CallState.ENDED:
            self._hang_up()

    def _toggle_mute(self) -> None:
        if self.call is not None:
            self.panel.mute.setChecked(not self.call.muted)  # → sig_mute → _mute

    def _registration_changed(self, registration: Registration) -> None:
        from ui.calls.texts import registration_text

        self.panel.registration.setText(registration_text(registration))

    def _headset_gone(self) -> None:
        self._say(
            self.tr(
                "The headset was unplugged: its buttons no longer answer or end calls. "
                "Plug it in again and reconnect the PBX in Settings, or use the window's buttons."
            )
        )

    async def close(self) -> None:
        await self.headset.close()
        ua, self.ua = self.ua, None  # (gone even if its stop is given up on)
        if ua is not None:
            await ua.stop()

    # -- Call -------------------------------------------------------------------------------

    @add_action(
        MainAction.CALL_USER,
        text=QT_TRANSLATE_NOOP("Actions", "Call"),
        tip=QT_TRANSLATE_NOOP("Actions", "Call this user through the headset"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+D"),
        enabled=False,
        bar=True,
        user=True,
    )
    def call_user(self) -> None:
        """The open user: in their app while online, else on their card's phone."""
        if self.ua is None:
            self._say(self._no_pbx())
        elif not self._busy():
            self._dialling = True
            self._desk.spawn(self._call_open_user())

    async def _call_open_user(self) -> None:
        from ui.calls.callee import nothing_to_call, open_user_target

        try:
            found = await open_user_target(self._desk, self._core)
            if found is None:
                self.open_dialer()
            elif found[2] is None:
                self._say(nothing_to_call(found[1]))
            elif self.ua is not None:
                await self._dialled(found[2], (found[0], found[1].id))
        finally:
            self._dialling = False

    def _busy(self) -> bool:
        """A call is being made or goes on: one at a time from the window (said so)."""
        busy = self.call is not None or self._dialling
        if busy:
            self._say(self.tr("A call is in progress: end it before making another"))
        return busy

    @add_action(
        MainAction.DIAL,
        text=QT_TRANSLATE_NOOP("Actions", "Dialer…"),
        tip=QT_TRANSLATE_NOOP("Actions", "Call a number or a SIP address"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+P"),
    )
    def show_dialer(self) -> None:
        self.open_dialer()

    def open_dialer(self, number: str = "", *, link: bool = False) -> Dialer:
        """The dialer, in front, with `number` in it (as given: a phone number from the info
        panel, a `tel:`/`sip:` link; the dialer says what it cannot dial). With no PBX
        connected it opens all the same and says how to connect one."""
        from ui.calls.dialer import Dialer

        if self.dialer is None:
            self.dialer = Dialer(self._window)
            self.dialer.sig_dial.connect(self._dial)
        dialer = self.dialer
        if link:
            dialer.set_link(number)
        elif number or not dialer.isVisible():
            dialer.set_number(number)
        if self.ua is None and dialer.problem.isHidden():  # (not over what a link lacks)
            dialer.problem.setText(self._no_pbx())
            dialer.problem.show()
        dialer.show()  # not exec(): the loop goes on (STYLE 9)
        dialer.raise_()
        dialer.activateWindow()
        return dialer

    def open_link(self, link: str) -> Dialer:
        """A `tel:`/`sip:` link from another program: the dialer with its number."""
        return self.open_dialer(link, link=True)

    def _dial(self, number: str) -> None:
        if self.ua is None:
            self._say(self._no_pbx())
        elif number and not self._busy():
            self._desk.spawn(self._dialled(number))

    async def _dialled(self, number: str, user: tuple[int, int] | None = None) -> None:
        """Call ``number``: its record ``user``'s (line, user), or, dialled, the callee's."""
        from ui.calls.records import identify

        assert self.ua is not None
        core = self._core
        call = await self.ua.call(number)
        self._follow(call)
        if user is None and hasattr(core, "calls"):  # only one user's number: theirs
            line_id = getattr(core, "current_line_id", None)
            match = await identify(core.calls, call, line_id, sole=True)
            user = None if match is None else (match.line_id, match.user_id)
        if user is not None:
            self._keep_record(call, *user)

    def _keep_record(self, call: Call, line_id: int, user_id: int) -> None:
        from ui.calls.records import keep_record

        task = self._desk.spawn(keep_record(self._core.calls, call, line_id, user_id))
        self.record = self.records[call.call_id] = task

    def _user_opened(self, _user_id: int) -> None:
        self._command.set_applies(True)
        gate(self._command, self._desk)  # off for a user disconnected from the line

    def _no_pbx(self) -> str:
        return self.tr("No PBX is connected: add one in Settings → PBX connection to make calls")

    def _say(self, text: str) -> None:
        from ui.calls.notice import notice  # (not at the first paint)

        self.notice = notice(self._window, self.tr("Calls"), text)

    # -- a call -----------------------------------------------------------------------------

    def _incoming(self, call: Call) -> None:
        """A call rings: its pop-up. During a call too (call waiting): answering it holds
        the call in progress. A third call at once is answered busy (in Do not disturb none
        comes here: app/calls/audio.py)."""
        from ui.calls.popup import IncomingCallPopup

        if len(self.calls()) >= MAX_CALLS:
            call.decline(486)
            return
        popup = IncomingCallPopup(call.remote, parent=self._window)
        popup.sig_answer.connect(lambda: self._answer(call))
        popup.sig_decline.connect(lambda: call.decline())
        shown = [p for p in self.popups.values() if p.isVisible()]
        self.popups[call.call_id] = self.popup = popup
        if self.call is None:
            self._follow(call)
        else:
            self.others.append(call)
            call.listeners.append(self._call_changed)
        popup.show()
        if hasattr(self._core, "calls"):
            self._desk.spawn(self._identify(call, popup))
        if shown:  # the second pop-up below the first, both in sight
            below = shown[-1].frameGeometry()
            popup.move(below.left(), below.bottom() + 8)

    async def _identify(self, call: Call, popup: IncomingCallPopup) -> None:
        """Who calls, as a client user of my lines (by login or phone): named in the pop-up,
        their chat one click away, and the call recorded in it."""
        from ui.calls.records import identify

        core = self._core
        line_id = getattr(core, "current_line_id", None)
        match = await identify(core.calls, call, line_id)
        if match is None:
            return
        popup.show_caller(match.full_name, match.company, call.remote)
        if match.line_id == line_id:
            popup.sig_open_chat.connect(lambda: self._desk.open_user(match.user_id))
        else:
            popup.open_chat.hide()  # on another line: its chat is not in this list
        self._keep_record(call, match.line_id, match.user_id)

    def calls(self) -> list[Call]:
        """The calls now: the active one (the in-call panel's), then the others."""
        return ([self.call] if self.call is not None else []) + self.others

    def _answer(self, call: Call) -> None:
        self._desk.spawn(self._answered(call))

    async def _answered(self, call: Call) -> None:
        from telephony.problems import CallState

        active = self.call
        if active is not None and active is not call:  # call waiting: hold the one in progress
            if active.state is CallState.CONNECTED and not active.held:
                await active.hold(True)
            self.others = [c for c in self.others if c is not call] + [active]
            self.call = call
        await call.answer()

    def _follow(self, call: Call) -> None:
        self.call = call
        call.listeners.append(self._call_changed)
        self._call_changed(call)

    def _close_popup(self, call: Call) -> None:
        popup = self.popups.pop(call.call_id, None)
        if popup is not None:
            popup.close()
            if popup is self.popup:
                self.popup = None

    def _call_changed(self, call: Call) -> None:
        from telephony.problems import CallState
        from ui.calls.texts import end_text

        talking = any(c.state is CallState.CONNECTED for c in self.calls())
        if self._core is not None:
            self._core.engaged("call", talking)  # no automatic Away while talking
        if call is not self.call:  # a call waiting, or the one held meanwhile
            if call.state is CallState.ENDED:
                self._close_popup(call)
                self.others = [c for c in self.others if c is not call]
                if call.connected.is_set():
                    self._ask_comment(call)
            return
        self.headset.follow(call)  # the LEDs follow the active call
        if call.state is CallState.CONNECTED:
            self._close_popup(call)
            if not self.panel.isVisible() or self.panel.peer != call.remote:
                self.panel.start(call.remote)
            self.panel.show_call(call.held, call.muted)
            self.panel.state.setText(self._connected_text(call))
            self.panel.transfer.setEnabled(call.transfer_in_progress is None)
            moved = self.tr(
                "The headset was unplugged: the call goes on through the computer's "
                "speakers and microphone"
            )
            self.panel.show_audio(moved if call.audio_moved else "")
        elif call.state is CallState.ENDED:
            self._close_popup(call)
            talked = call.connected.is_set()
            self.panel.stop()
            self.panel.hide()
            self.call = None
            if self.others:  # back to the call held (or still ringing) meanwhile
                self.call = self.others.pop(0)
                self._call_changed(self.call)
            if call.reason is not None and not talked:
                self._say(end_text(call.reason))
            if talked:
                self._ask_comment(call)
        else:
            self.panel.state.setText(self.tr("Ringing…"))

    def _connected_text(self, call: Call) -> str:
        from ui.calls.transfer import transfer_text

        if call.transfer is not None:
            return transfer_text(call.transfer)
        return self.tr("On hold") if call.held else ""

    def ask_transfer(self) -> None:
        """Where the call goes: a colleague (their number at the PBX) or a number typed."""
        from ui.calls.transfer import ask_transfer

        if self.call is not None:
            colleagues = (getattr(self._core, "colleagues", None) or {}).values()
            self.transfer_dialog = ask_transfer(
                self._window, colleagues, self.call, self._desk.spawn
            )

    def _mute(self, muted: bool) -> None:
        if self.call is not None:
            self.call.set_muted(muted)
        self.headset.set_mute(muted)

    def _hold(self, held: bool) -> None:
        if self.call is not None:
            self._desk.spawn(self.call.hold(held))

    def _digit(self, digit: str) -> None:
        if self.call is not None:
            self.call.send_dtmf(digit)

    def _hang_up(self) -> None:
        if self.call is not None:
            self._desk.spawn(self.call.hang_up())

    def _ask_comment(self, call: Call) -> None:
        from ui.calls.comment import ask_comment

        record = self.records.pop(call.call_id, None)
        book = getattr(self._core, "calls", None)
        self.comment_prompt = ask_comment(self._window, record, book, self._desk.spawn)


__all__ = ["CallsFeature", "password_key"]
