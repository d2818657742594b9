"""Calls in the window: the Call command (function bar, the users list's context menu), the
SIP user agent of the PBX account (telephony/), the incoming-call pop-up, the in-call panel
and the comment prompt after a call. With no PBX configured (the demo) the command is there
and says in one line how to connect one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from ui.mainwindow.actions import QT_TRANSLATE_NOOP, MainAction, add_action

if TYPE_CHECKING:
    import asyncio  # (not at the first paint: tests/window/test_first_frame.py)
    from collections.abc import Callable

    from telephony.call import Call
    from telephony.headset.hid import HeadsetButtons, HidTransport
    from telephony.sip.registration import Account, Registration
    from telephony.sip.ua import UserAgent
    from ui.calls.dialer import Dialer
    from ui.calls.panel import InCallPanel
    from ui.calls.popup import IncomingCallPopup
    from ui.mainwindow.commands import Command
    from ui.mainwindow.desk import Desk
    from ui.mainwindow.seam import Core

log = logging.getLogger("linedesk.ui.calls")


def first_headset() -> HidTransport | None:
    """The first telephony headset plugged in (Linux: hidraw), or None."""
    from telephony.headset.hid import HeadsetUnavailable, HidrawTransport

    for path in HidrawTransport.telephony_paths():
        try:
            return HidrawTransport(path)
        except HeadsetUnavailable as exc:
            log.info("headset %r not usable: %s", path, exc)
    return None


async def _to_thread(function: Callable[[int], bytes], argument: int) -> bytes:
    import asyncio

    return await asyncio.to_thread(function, argument)


async def _wait_for(task: asyncio.Task[None], seconds: float) -> None:
    import asyncio

    await asyncio.wait([task], timeout=seconds)


def password_key(server: str, login: str) -> str:
    """The keyring entry of the PBX password (app/store/credentials keeps it)."""
    return f"sip:{login}@{server}"


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
        self.call: Call | None = None
        self.notice: QMessageBox | None = None
        self.dialer: Dialer | None = None
        self.headset_transports: Callable[[], HidTransport | None] = first_headset
        self.buttons: HeadsetButtons | None = None
        self._reader: asyncio.Task[None] | None = None
        self.comment_prompt: QInputDialog | None = None
        self.record: asyncio.Task[int | None] | None = None  # the last call's record, kept

    def complete(self, desk: Desk) -> None:
        from PySide6.QtCore import Qt

        from ui.calls import settings_page
        from ui.calls.panel import InCallPanel

        assert settings_page.__name__  # imported: the Settings dialog has its page
        self._desk = desk
        self._command = desk.actions[MainAction.CALL_USER]
        desk.actions.bind(self)
        desk.sig_user_opened.connect(self._user_opened)
        menu = self._window.menuBar().addMenu(self.tr("&Calls"))
        menu.setObjectName("callsMenu")
        menu.addAction(desk.actions[MainAction.DIAL])
        self.panel = InCallPanel(self._window)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        self.panel.sig_mute.connect(self._mute)
        self.panel.sig_hold.connect(self._hold)
        self.panel.sig_digit.connect(self._digit)
        self.panel.sig_hang_up.connect(self._hang_up)

    def listen(self, bridge: object) -> None:
        return None  # call records reach the chat's timeline through the core (app/calls/)

    def attach(self, workplace: Core) -> None:
        self._core = cast("Any", workplace)
        self.restart()

    # -- the account ------------------------------------------------------------------------

    def account(self) -> Account | None:
        """The PBX account from the settings (its password from the keyring), or None."""
        from telephony.sip.registration import Account

        core = self._core
        settings = getattr(core, "settings", None)
        if settings is None or not settings.pbx_server or not settings.pbx_login:
            return None
        password = core.credentials.get(password_key(settings.pbx_server, settings.pbx_login))
        return Account(
            server=settings.pbx_server,
            port=settings.pbx_port,
            user=settings.pbx_login,
            password=password or "",
            auth_user=settings.pbx_auth_user,
            display_name=settings.pbx_display_name,
            outbound_proxy=settings.pbx_outbound_proxy,
        )

    def restart(self) -> None:
        """(Re)start the user agent for the account now in the settings."""
        self._desk.spawn(self._restart())

    async def _restart(self) -> None:
        from telephony.media.audio import Headset
        from telephony.sip.ua import UserAgent

        if self.ua is not None:
            old, self.ua = self.ua, None
            await old.stop()
        account = self.account()
        if account is None:
            self.panel.registration.setText("")
            return
        ua = UserAgent(account, headset_factory=Headset)
        ua.on_incoming = self._incoming
        try:
            await ua.start()
        except OSError as exc:
            log.warning("the SIP socket could not open: %s", exc)
            self.panel.registration.setText(self.tr("Calls are unavailable: no network"))
            return
        self.ua = ua
        if self.dialer is not None and self.dialer.problem.text() == self._no_pbx():
            self.dialer.problem.hide()  # it is connected now
        if ua.registration is not None:
            ua.registration.listeners.append(self._registration_changed)
        if self.buttons is None:
            self._open_headset()

    # -- the headset's buttons ----------------------------------------------------------------

    def _open_headset(self) -> None:
        from telephony.headset.hid import HeadsetButtons, HeadsetUnavailable

        transport = self.headset_transports()
        if transport is None:
            return
        try:
            self.buttons = HeadsetButtons(transport, self._hook, self._toggle_mute)
        except HeadsetUnavailable as exc:
            log.info("the headset has no call buttons: %s", exc)
            transport.close()
            return
        self._reader = self._desk.spawn(self._read_headset(transport))

    async def _read_headset(self, transport: HidTransport) -> None:
        """Reports from the headset, read off the loop (hidapi blocks), fed on it."""
        while self.buttons is not None:
            try:
                report = await _to_thread(transport.read, 200)
            except (OSError, ValueError) as exc:  # unplugged
                log.info("the headset is gone: %s", exc)
                self.buttons = None
                return
            if report and self.buttons is not None:
                self.buttons.feed(report)

    def _hook(self, off_hook: bool) -> None:
        from telephony.problems import CallState

        call = self.call
        if call is None:
            return
        if off_hook and call.state is CallState.RINGING and call.direction == "in":
            self._answer(call)
        elif not off_hook and call.state is not CallState.ENDED:
            self._hang_up()

    def _toggle_mute(self) -> None:
        if self.call is not None:
            self.panel.mute.setChecked(not self.call.muted)  # → sig_mute → _mute

    def _registration_changed(self, registration: Registration) -> None:
        from ui.calls.texts import registration_text

        self.panel.registration.setText(registration_text(registration))

    async def close(self) -> None:
        buttons, self.buttons = self.buttons, None
        if self._reader is not None:  # its read ends within 200 ms: never close under it
            await _wait_for(self._reader, 2)
            self._reader = None
        if buttons is not None:
            buttons.transport.close()
        if self.ua is not None:
            await self.ua.stop()
            self.ua = None

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
        if self.ua is None:
            self._say(self._no_pbx())
            return
        self.open_dialer()

    @add_action(
        MainAction.DIAL,
        text=QT_TRANSLATE_NOOP("Actions", "Dialer…"),
        tip=QT_TRANSLATE_NOOP("Actions", "Call a number or a SIP address"),
        shortcut=QT_TRANSLATE_NOOP("Actions", "Ctrl+Shift+P"),
    )
    def show_dialer(self) -> None:
        self.open_dialer()

    def open_dialer(self, number: str = "") -> Dialer:
        """The dialer, in front, with `number` in it (as given: a phone number from the info
        panel, a `tel:`/`sip:` link; the dialer says what it cannot dial). With no PBX
        connected it opens all the same and says how to connect one."""
        from ui.calls.dialer import Dialer

        if self.dialer is None:
            self.dialer = Dialer(self._window)
            self.dialer.sig_dial.connect(self._dial)
        dialer = self.dialer
        if number or not dialer.isVisible():
            dialer.set_number(number)
        if self.ua is None:
            dialer.problem.setText(self._no_pbx())
            dialer.problem.show()
        dialer.show()  # not exec(): the loop goes on (STYLE 9)
        dialer.raise_()
        dialer.activateWindow()
        return dialer

    def open_link(self, link: str) -> Dialer:
        """A `tel:`/`sip:` link from another program: the dialer with its number (a link it
        cannot read is shown as it came, with what is wrong with it)."""
        from telephony.links import NotDialable, dial_target

        try:
            number = dial_target(link)
        except NotDialable as exc:
            log.info("a link from another program could not be dialled (%s)", exc.reason)
            dialer = self.open_dialer(link)
            dialer.dial()  # says why, and keeps the text
            return dialer
        log.info("a link from another program opened the dialer with %s", number)
        return self.open_dialer(number)

    def _dial(self, number: str) -> None:
        if self.ua is None:
            self.call_user()  # says how to connect a PBX
        elif number:
            self._desk.spawn(self._dialled(number))

    async def _dialled(self, number: str) -> None:
        from ui.calls.records import keep_record

        assert self.ua is not None
        user_id, core = self._desk.user_id, self._core
        line_id = getattr(core, "current_line_id", None)
        call = await self.ua.call(number)
        self._follow(call)
        if user_id is not None and line_id is not None and hasattr(core, "calls"):
            self.record = self._desk.spawn(keep_record(core.calls, call, line_id, user_id))

    def _user_opened(self, _user_id: int) -> None:
        self._command.set_applies(True)
        self._command.setEnabled(True)

    def _no_pbx(self) -> str:
        return self.tr("No PBX is connected: add one in Settings → PBX connection to make calls")

    def _say(self, text: str) -> None:
        box = QMessageBox(self._window)
        box.setObjectName("callsNotice")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Calls"))
        box.setTextFormat(self._plain())
        box.setText(text)
        box.addButton(QMessageBox.StandardButton.Close)
        self.notice = box
        box.open()

    # -- a call -----------------------------------------------------------------------------

    def _incoming(self, call: Call) -> None:
        from ui.calls.popup import IncomingCallPopup

        if self.call is not None:  # one call at a time for now: busy
            call.decline(busy=True)
            return
        popup = IncomingCallPopup(call.remote, parent=self._window)
        popup.sig_answer.connect(lambda: self._answer(call))
        popup.sig_decline.connect(lambda: call.decline())
        self.popup = popup
        self._follow(call)
        popup.show()

    def _answer(self, call: Call) -> None:
        self._desk.spawn(call.answer())

    def _follow(self, call: Call) -> None:
        self.call = call
        call.listeners.append(self._call_changed)
        self._call_changed(call)

    def _call_changed(self, call: Call) -> None:
        from telephony.problems import CallState
        from ui.calls.texts import end_text

        if self.buttons is not None:  # the LEDs follow the call
            connected = call.state is CallState.CONNECTED
            self.buttons.set_leds(
                ring=call.state is CallState.RINGING and call.direction == "in",
                off_hook=connected,
                mute=connected and call.muted,
                hold=connected and call.held,
            )
        if call.state is CallState.CONNECTED:
            if self.popup is not None:
                self.popup.close()
                self.popup = None
            if not self.panel.isVisible() or self.panel.who.text() != call.remote:
                self.panel.start(call.remote)
            self.panel.state.setText(self.tr("On hold") if call.held else "")
        elif call.state is CallState.ENDED:
            if self.popup is not None:
                self.popup.close()
                self.popup = None
            talked = call.connected.is_set()
            self.panel.stop()
            self.panel.hide()
            self.call = None
            if call.reason is not None and not talked:
                self._say(end_text(call.reason))
            if talked:
                self._ask_comment()
        else:
            self.panel.state.setText(self.tr("Ringing…"))

    def _mute(self, muted: bool) -> None:
        if self.call is not None:
            self.call.set_muted(muted)
        if self.buttons is not None:
            self.buttons.set_leds(mute=muted)

    def _hold(self, held: bool) -> None:
        if self.call is not None:
            self._desk.spawn(self.call.hold(held))

    def _digit(self, digit: str) -> None:
        if self.call is not None:
            self.call.send_dtmf(digit)

    def _hang_up(self) -> None:
        if self.call is not None:
            self._desk.spawn(self.call.hang_up())

    def _ask_comment(self) -> None:
        prompt = QInputDialog(self._window)
        prompt.setObjectName("callComment")
        prompt.setWindowTitle(self.tr("Call ended"))
        prompt.setLabelText(self.tr("A short comment on the call:"))
        prompt.setInputMode(QInputDialog.InputMode.TextInput)
        record = self.record
        prompt.textValueSelected.connect(lambda text: self._comment(record, text.strip()))
        self.comment_prompt = prompt
        prompt.open()

    def _comment(self, record: asyncio.Task[int | None] | None, text: str) -> None:
        """The comment goes to the call's record once that is written (seed 000 4.11)."""
        if record is not None and text:
            self._desk.spawn(self._save_comment(record, text))

    async def _save_comment(self, record: asyncio.Task[int | None], text: str) -> None:
        record_id = await record
        if record_id is not None:
            try:
                await self._core.calls.comment(record_id, text)
            except Exception:
                log.exception("the comment of call record %s was not saved", record_id)

    @staticmethod
    def _plain() -> Any:
        from PySide6.QtCore import Qt

        return Qt.TextFormat.PlainText


__all__ = ["CallsFeature", "password_key"]
