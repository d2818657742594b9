"""Calls through the window (ui/calls/): against the real server, kamailio as the PBX and
sipp as a client user calling the line."""

from __future__ import annotations

import queue
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.core.domain import Status
from telephony.problems import EndReason
from tests.telephony.conftest import ALICE_PASSWORD, speech
from tests.telephony.peers import (
    SCENARIOS,
    Peer,
    free_udp_port,
    sipp_calls,
    start_kamailio,
    start_sipp,
)
from tests.window.conftest import WINDOW_MARKS, Api, run_async
from tests.window.test_window import Shown, shown
from ui.calls.popup import AMBER, IncomingCallPopup
from ui.common.text import isolated
from ui.mainwindow.actions import MainAction

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony]
__all__ = ["shown", "speech"]  # the fixtures used here


def sipp_as(directory: Path, scenario: str, caller: str, kport: int) -> Peer:
    """sipp calling alice through kamailio as ``caller`` (the SIP user: a login or a phone
    number), named «Клиент & Co» (markup the pop-up must show as text)."""
    keys = ["-key", "caller", caller, "-key", "caller_name", "Клиент & Co"]
    target = [f"127.0.0.1:{kport}", "-mi", "127.0.0.1", "-mp", str(free_udp_port())]
    return start_sipp(directory, ["-sf", str(SCENARIOS / scenario), *keys, *target])[0]


def sipp_succeeds(qtbot: Any, sipp: Peer) -> None:
    """sipp's scenario ran to its end; the loop runs meanwhile (the user agent answers on
    it: a blocking wait would keep it from answering)."""
    qtbot.waitUntil(lambda: sipp.process.poll() is not None, timeout=30_000)
    assert sipp.wait(1) == 0, sipp.output()


def open_someone(shown: Shown) -> None:
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    shown.open_user(user["id"])


def connect_pbx(w: Any, qtbot: Any, kport: int) -> None:
    """Settings → PBX connection filled in as alice on kamailio at `kport`; waits for the
    in-call panel to say the registration holds."""
    from ui.calls.settings_page import PbxPage

    page = PbxPage(w.desk)
    qtbot.addWidget(page)
    page.server.setText("127.0.0.1")
    page.port.setValue(kport)
    page.login.setText("alice")
    page.password.setText(ALICE_PASSWORD)
    page.password.editingFinished.emit()
    qtbot.waitUntil(
        lambda: w.calls.panel.registration.text() == "Connected to the PBX", timeout=30_000
    )


def click_call(shown: Shown, qtbot: Any, user_id: int | None = None) -> None:
    """Someone's chat (``user_id``'s: open already) and its Call button clicked."""
    if user_id is None:
        open_someone(shown)
    button = shown.window.chat.bar.buttons[MainAction.CALL_USER]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_call_without_a_pbx_says_how_to_connect_one(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    click_call(shown, qtbot)
    qtbot.waitUntil(lambda: w.calls.notice is not None and w.calls.notice.isVisible())
    assert w.calls.notice.text() == (
        "No PBX is connected: add one in Settings → PBX connection to make calls"
    )


def test_the_ringing_counter_turns_amber_at_4_seconds(qtbot: Any) -> None:
    now = [1000.0]
    popup = IncomingCallPopup("Клиент <sip:client@127.0.0.1>", clock=lambda: now[0])
    qtbot.addWidget(popup)
    popup.show()
    assert popup.counter.text() == "Ringing for 0 s" and not popup.amber
    now[0] += 3.9
    popup.tick()
    assert not popup.amber and AMBER not in popup.counter.styleSheet()
    now[0] += 0.1
    popup.tick()
    assert popup.amber and AMBER in popup.counter.styleSheet()
    assert popup.caller.textFormat() == Qt.TextFormat.PlainText  # a caller's name: no markup
    with qtbot.waitSignal(popup.sig_answer, timeout=5_000):
        qtbot.mouseClick(popup.answer, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_pbx_page_registers_and_a_call_is_answered_from_the_popup(
    shown: Shown, qtbot: Any, tmp_path: Path, transport: str
) -> None:
    from ui.calls.settings_page import PbxPage

    w = shown.window
    kamailio, kport = start_kamailio(
        tmp_path / "k", {"alice": ALICE_PASSWORD}, tcp=transport == "tcp"
    )
    try:
        page = PbxPage(w.desk)
        qtbot.addWidget(page)
        page.server.setText("127.0.0.1")
        page.port.setValue(kport)
        page.transport.setCurrentIndex(page.transport.findData(transport))
        page.login.setText("alice")
        page.password.setText(ALICE_PASSWORD)
        page.password.editingFinished.emit()
        settings = shown.wp.settings
        assert settings.pbx_server == "127.0.0.1" and settings.pbx_login == "alice"
        assert ALICE_PASSWORD not in Path(settings.path).read_text()  # the keyring has it
        qtbot.waitUntil(
            lambda: w.calls.panel.registration.text() == "Connected to the PBX", timeout=30_000
        )
        assert settings.pbx_transport == transport
        assert w.calls.ua is not None and w.calls.ua.endpoint.kind == transport
        sipp = sipp_calls(tmp_path / "sipp", "proxied_uac.xml", kport)
        try:
            qtbot.waitUntil(
                lambda: w.calls.popup is not None and w.calls.popup.isVisible(), timeout=30_000
            )
            popup = w.calls.popup
            assert "client@127.0.0.1" in popup.caller.text()
            qtbot.mouseClick(popup.answer, Qt.MouseButton.LeftButton)
            # sipp hangs up at once: the comment prompt follows the call
            qtbot.waitUntil(
                lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
                timeout=30_000,
            )
            assert sipp.wait(30) == 0, sipp.output()
            assert not w.calls.panel.isVisible()
        finally:
            sipp.stop()
        # calls are recorded unless the page says not (the user agent follows at once)
        assert page.record.isChecked() and settings.record_calls
        assert w.calls.ua is not None and w.calls.ua.recordings is not None
        page.record.setChecked(False)
        assert settings.record_calls is False
        qtbot.waitUntil(
            lambda: w.calls.ua is not None and w.calls.ua.recordings is None, timeout=15_000
        )
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()


def online_in_their_app(
    shown: Shown, tmp_path: Path, speech: dict[str, Path]
) -> tuple[int, dict[str, Any], Peer, Peer, int]:
    """A client user of the first line, online: their app is baresip answering as them (their
    login at kamailio, which routes it there). The line, the user, baresip, kamailio and its
    port."""
    from tests.telephony.peers import start_baresip

    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    login = user["login"]
    Api(shown.api.url).login(login).call("PUT", "/me/presence", {"presence": "online"})
    app, app_port = start_baresip(
        tmp_path / "app",
        speech["bob-call"],
        account=f"<sip:{login}@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA",
    )
    kamailio, kport = start_kamailio(
        tmp_path / "k", {"alice": ALICE_PASSWORD}, routes={login: f"sip:127.0.0.1:{app_port}"}
    )
    return line_id, user, app, kamailio, kport


def test_the_call_button_calls_an_online_user_in_their_app_and_records_it(
    shown: Shown, qtbot: Any, tmp_path: Path, speech: dict[str, Path]
) -> None:
    """The Call button on the chat of a user who is online calls their app: their login, a
    user at the PBX — kamailio sends it to baresip answering as that user. Hung up from the
    in-call panel; the record is that user's, with the comment typed after the call."""

    w = shown.window
    line_id, user, app, kamailio, kport = online_in_their_app(shown, tmp_path, speech)
    login = user["login"]
    try:
        connect_pbx(w, qtbot, kport)
        shown.open_user(user["id"])
        qtbot.waitUntil(lambda: shown.wp.users.get(user["id"]).presence == "online")
        click_call(shown, qtbot, user["id"])
        qtbot.waitUntil(lambda: w.calls.panel.isVisible(), timeout=30_000)  # the app answered
        assert w.calls.dialer is None  # called at once, not through the dialer
        assert w.calls.panel.who.text().strip("\u2068\u2069") == f"sip:{login}@127.0.0.1:{kport}"
        click_call(shown, qtbot, user["id"])  # again, during the call: one at a time
        qtbot.waitUntil(lambda: w.calls.notice is not None and w.calls.notice.isVisible())
        assert w.calls.notice.text() == "A call is in progress: end it before making another"
        w.calls.notice.close()
        shown.wp.idle_seconds = 0.3  # talking: no keys, no mouse, and yet no automatic Away
        qtbot.wait(1000)
        assert shown.wp.status == Status.FREE
        shown.wp.idle_seconds = None
        qtbot.mouseClick(w.calls.panel.hang_up, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
            timeout=30_000,
        )
        w.calls.comment_prompt.setTextValue("  объяснил, как сбросить пароль  ")
        w.calls.comment_prompt.accept()
        record = w.calls.record
        assert record is not None
        qtbot.waitUntil(record.done, timeout=30_000)
        record_id = record.result()
        assert record_id is not None

        def saved() -> bool:
            got = shown.api.call("GET", f"/calls/{record_id}")
            return bool(got["comment"] == "объяснил, как сбросить пароль")

        qtbot.waitUntil(saved, timeout=30_000)
        got = shown.api.call("GET", f"/calls/{record_id}")
        assert (got["user_id"], got["line_id"]) == (user["id"], line_id)
        assert got["direction"] == "out" and got["result"] == "answered"
        assert got["duration"] is not None and got["ticket_id"] >= 1
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()
        app.stop()


def test_the_call_button_calls_an_offline_user_on_their_phone_or_says_why_not(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any
) -> None:
    """Offline, the user is called on their card's phone through the PBX (seed 000 2.4), the
    call filed in their chat; with no phone either, the window says there is nothing to call."""
    w = shown.window
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    user = next(u for u in users if u["presence"] == "offline")
    card = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")
    digits = "".join(c for c in card["phone"] if c.isdigit() or c == "+")
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    try:
        connect_pbx(w, qtbot, kport)
        shown.open_user(user["id"])
        dialled: list[str] = []  # what the user agent was asked to call (kamailio: nobody)
        call = w.calls.ua.call

        async def calling(target: str) -> Any:
            dialled.append(target)
            return await call(target)

        w.calls.ua.call = calling
        click_call(shown, qtbot, user["id"])
        qtbot.waitUntil(lambda: w.calls.record is not None, timeout=10_000)
        assert dialled == [digits]
        record = w.calls.record
        qtbot.waitUntil(record.done, timeout=30_000)
        got = shown.api.call("GET", f"/calls/{record.result()}")
        assert (got["user_id"], got["direction"]) == (user["id"], "out")
        # the same phone dialled by hand (as from the info panel): matched, filed as theirs
        dialer = w.calls.open_dialer(card["phone"])
        qtbot.mouseClick(dialer.call, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.calls.record is not record, timeout=10_000)
        qtbot.waitUntil(w.calls.record.done, timeout=30_000)
        got = shown.api.call("GET", f"/calls/{w.calls.record.result()}")
        assert (got["user_id"], got["line_id"]) == (user["id"], line_id)

        if w.calls.notice is not None:  # the call's own end (kamailio: 404) said
            w.calls.notice.close()
            w.calls.notice = None
        db_path = live_server.db_url.removeprefix("sqlite:///")
        with sqlite3.connect(db_path) as db:  # the card's phone gone meanwhile
            db.execute("UPDATE client_users SET phone = NULL WHERE id = ?", (user["id"],))
        click_call(shown, qtbot, user["id"])
        qtbot.waitUntil(lambda: w.calls.notice is not None and w.calls.notice.isVisible())
        assert w.calls.notice.text() == (
            f"{isolated(user['full_name'])} is offline and their card has no phone number: "
            "nothing to call"
        )
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()


class FedHeadset:
    """A headset's telephony interface fed by the test: this machine cannot create a virtual
    HID device (no uhid in its kernel). The descriptor is a Plantronics Blackwire 3220's
    (tests/telephony/test_headset_hid.py)."""

    def __init__(self) -> None:
        from tests.telephony.test_headset_hid import BLACKWIRE_3220_TELEPHONY

        self.descriptor = BLACKWIRE_3220_TELEPHONY
        self.reports: queue.Queue[bytes] = queue.Queue()
        self.written: list[bytes] = []

    def read(self, timeout_ms: int) -> bytes:
        try:
            return self.reports.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return b""

    def write(self, report: bytes) -> int:
        self.written.append(report)
        return len(report)

    def close(self) -> None:
        return None


def test_the_headset_hook_answers_a_ringing_call_and_the_leds_follow(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:

    w = shown.window
    headset = FedHeadset()
    w.calls.headset.transports = lambda: headset
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    try:
        connect_pbx(w, qtbot, kport)
        assert w.calls.headset.buttons is not None
        sipp = sipp_calls(tmp_path / "sipp", "proxied_uac.xml", kport)
        try:
            qtbot.waitUntil(lambda: b"\x18\x01" in headset.written, timeout=30_000)  # Ring LED
            headset.reports.put(bytes([8, 0b10]))  # Hook Switch: off hook
            qtbot.waitUntil(lambda: b"\x17\x01" in headset.written, timeout=30_000)  # Off-Hook
            qtbot.waitUntil(
                lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
                timeout=30_000,
            )  # answered by the hook; sipp then hung up
            assert sipp.wait(30) == 0, sipp.output()
            assert headset.written[-2:] == [b"\x17\x00", b"\x18\x00"]  # all off again
        finally:
            sipp.stop()
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()


def test_a_call_is_transferred_to_a_colleague_from_the_in_call_panel(
    shown: Shown, qtbot: Any, tmp_path: Path, speech: dict[str, Path]
) -> None:
    """Alice dials bob (baresip) and hands him to a colleague chosen in the transfer dialog:
    the colleague's number at the PBX is their login, and kamailio sends it to carol (a
    second baresip). Bob's NOTIFY says carol answered; the call ends as transferred and the
    comment prompt follows."""
    from tests.telephony.peers import start_baresip
    from ui.calls.transfer import EXTENSION_ROLE

    w = shown.window
    qtbot.waitUntil(lambda: bool(shown.wp.colleagues), timeout=30_000)
    colleague = min(shown.wp.colleagues.values(), key=lambda c: c.full_name)
    assert colleague.extension
    bob, bob_port = start_baresip(tmp_path / "bob", speech["bob-call"])
    carol, carol_port = start_baresip(
        tmp_path / "carol",
        speech["alice"],
        account=f"<sip:{colleague.extension}@127.0.0.1>;regint=0;answermode=auto;"
        "audio_codecs=PCMU,PCMA",  # baresip answers 404 to a call for another user
    )
    kamailio, kport = start_kamailio(
        tmp_path / "k",
        {"alice": ALICE_PASSWORD},
        routes={
            "bob": f"sip:127.0.0.1:{bob_port}",
            colleague.extension: f"sip:127.0.0.1:{carol_port}",
        },
    )
    try:
        connect_pbx(w, qtbot, kport)
        dialer = w.calls.open_dialer(f"sip:bob@127.0.0.1:{kport}")
        qtbot.mouseClick(dialer.call, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.calls.panel.isVisible(), timeout=30_000)  # bob answered
        panel = w.calls.panel
        call = w.calls.call
        assert call is not None
        qtbot.mouseClick(panel.transfer, Qt.MouseButton.LeftButton)
        dialog = w.calls.transfer_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        people = dialog.people
        row = next(
            i
            for i in range(people.count())
            if people.item(i).data(EXTENSION_ROLE) == colleague.extension
        )
        assert people.item(row).text().startswith(isolated(colleague.full_name))
        people.setCurrentRow(row)
        assert dialog.target.text() == colleague.extension
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
            timeout=60_000,
        )  # carol answered bob: the call was handed over and ended
        assert not panel.isVisible()
        assert call.reason is EndReason.TRANSFERRED
        assert call.transfer is not None and call.transfer.status == 200  # bob's NOTIFY
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        for peer in (kamailio, bob, carol):
            peer.stop()


def test_a_second_call_during_a_call_rings_and_answering_it_holds_the_first(
    shown: Shown, qtbot: Any, tmp_path: Path, speech: dict[str, Path]
) -> None:
    """Call waiting: bob (baresip) calls alice and talks; a client (sipp) calls meanwhile: a
    second pop-up; Answer holds bob (a re-INVITE bob accepts) and takes the client; the
    client hangs up, and the panel is back on bob, on hold, until Hold is clicked again."""
    from telephony.problems import CallState
    from tests.telephony.peers import start_baresip

    w = shown.window
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    bob = sipp = None
    try:
        connect_pbx(w, qtbot, kport)
        bob, _ = start_baresip(
            tmp_path / "bob",
            speech["bob-call"],
            commands=(f"/dial sip:alice@127.0.0.1:{kport}",),
        )
        qtbot.waitUntil(
            lambda: w.calls.popup is not None and w.calls.popup.isVisible(), timeout=30_000
        )
        first_popup = w.calls.popup
        assert "bob@" in first_popup.caller.text()
        qtbot.mouseClick(first_popup.answer, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.calls.panel.isVisible(), timeout=30_000)
        first = w.calls.call
        assert first is not None and first.state is CallState.CONNECTED
        assert "bob@" in w.calls.panel.who.text()

        sipp = sipp_calls(tmp_path / "sipp", "proxied_uac.xml", kport)
        qtbot.waitUntil(
            lambda: w.calls.popup is not None and w.calls.popup is not first_popup,
            timeout=30_000,
        )
        second_popup = w.calls.popup
        assert second_popup.isVisible() and "client@127.0.0.1" in second_popup.caller.text()
        assert w.calls.call is first and not first.held  # bob still talks meanwhile
        qtbot.mouseClick(second_popup.answer, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: first.held, timeout=30_000)  # bob agreed to be held
        # the client hangs up at once: the comment prompt, and the panel is bob's again
        qtbot.waitUntil(
            lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
            timeout=30_000,
        )
        assert sipp.wait(30) == 0, sipp.output()
        qtbot.waitUntil(lambda: w.calls.call is first, timeout=30_000)
        panel = w.calls.panel
        assert panel.isVisible() and "bob@" in panel.who.text()
        assert panel.hold.isChecked() and panel.state.text() == "On hold"
        assert first.state is CallState.CONNECTED
        qtbot.mouseClick(panel.hold, Qt.MouseButton.LeftButton)  # resume
        qtbot.waitUntil(lambda: not first.held, timeout=30_000)
        assert panel.state.text() == ""
        qtbot.mouseClick(panel.hang_up, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: first.state is CallState.ENDED, timeout=30_000)
        assert first.reason is EndReason.HUNG_UP
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        for peer in (kamailio, bob, sipp):
            if peer is not None:
                peer.stop()


def test_in_do_not_disturb_a_call_is_answered_unavailable_without_a_ring(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    """Do not disturb gets nothing (seed 001): a client's call through kamailio is answered
    480 Temporarily Unavailable (sipp's scenario fails on any other answer), so a PBX may
    try a colleague; no pop-up, no ring. Free again: the next call rings."""
    from app.core.domain import Status

    w = shown.window
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    was = shown.wp.status
    try:
        connect_pbx(w, qtbot, kport)
        w.tray.menu.status_actions[Status.DND].trigger()
        qtbot.waitUntil(lambda: shown.wp.status is Status.DND, timeout=10_000)
        sipp = sipp_calls(tmp_path / "sipp", "unavailable_uac.xml", kport)
        try:
            sipp_succeeds(qtbot, sipp)
        finally:
            sipp.stop()
        assert w.calls.popup is None or not w.calls.popup.isVisible()
        assert w.calls.ringer is not None and w.calls.ringer.sound == ""
        w.tray.menu.status_actions[Status.FREE].trigger()
        qtbot.waitUntil(lambda: shown.wp.status is Status.FREE, timeout=10_000)
        sipp = sipp_calls(tmp_path / "sipp2", "proxied_uac.xml", kport)
        try:
            qtbot.waitUntil(
                lambda: w.calls.popup is not None and w.calls.popup.isVisible(), timeout=30_000
            )
            qtbot.mouseClick(w.calls.popup.answer, Qt.MouseButton.LeftButton)
            sipp_succeeds(qtbot, sipp)
        finally:
            sipp.stop()
    finally:
        w.tray.menu.status_actions[was].trigger()
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()


def test_a_caller_known_by_phone_is_named_and_the_call_is_recorded_in_their_chat(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    """A user of the line whose ticket is mine calls from their phone (the PBX gives the
    number as the SIP user, written with +7 where the card says 8 or the other way): it
    rings here (the routing's word: their ticket's holder), the pop-up names them and their
    company, their chat is one click away, and the answered call's record is theirs."""

    w = shown.window
    line_id = shown.pick_line()
    me = shown.api.call("GET", "/me")["id"]
    user = next(
        u
        for u in shown.server_order(line_id)
        if not u["colleague"]
        and u["company"]
        and (u["open_ticket"] or {}).get("specialist_id") == me
    )
    card = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")
    digits = "".join(c for c in card["phone"] if c.isdigit())
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    try:
        connect_pbx(w, qtbot, kport)
        sipp = sipp_as(tmp_path / "sipp", "proxied_uac_as.xml", f"+7{digits[-10:]}", kport)
        try:
            qtbot.waitUntil(
                lambda: w.calls.popup is not None and w.calls.popup.open_chat.isVisible(),
                timeout=30_000,
            )
            popup = w.calls.popup
            assert popup.caller.text() == isolated(card["full_name"])
            assert card["company"]["name"] in popup.detail.text()
            assert popup.detail.textFormat() == Qt.TextFormat.PlainText
            qtbot.mouseClick(popup.open_chat, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: w.chat_model.user_id == user["id"], timeout=15_000)
            qtbot.mouseClick(popup.answer, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(
                lambda: w.calls.comment_prompt is not None and w.calls.comment_prompt.isVisible(),
                timeout=30_000,
            )  # sipp hung up at once
            assert sipp.wait(30) == 0, sipp.output()
            w.calls.comment_prompt.setTextValue("перезвонит")
            w.calls.comment_prompt.accept()
            record = w.calls.record
            assert record is not None
            qtbot.waitUntil(record.done, timeout=30_000)
            record_id = record.result()
            assert record_id is not None

            def commented() -> bool:
                return bool(shown.api.call("GET", f"/calls/{record_id}")["comment"])

            qtbot.waitUntil(commented, timeout=30_000)
            got = shown.api.call("GET", f"/calls/{record_id}")
            assert got["user_id"] == user["id"] and got["line_id"] == line_id
            assert got["direction"] == "in" and got["result"] == "answered"
            assert got["comment"] == "перезвонит"
        finally:
            sipp.stop()
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()


def test_a_caller_whose_ticket_a_colleague_holds_does_not_ring_here(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any
) -> None:
    """Who rings is the ticket routing's word (server/calls/ringing.py): a user whose open
    ticket a colleague holds calls the line — this window answers 480 Temporarily
    Unavailable without a pop-up or a ring (the PBX's fork ends at the colleague)."""
    w = shown.window
    line_id = shown.pick_line()
    user = next(
        u for u in shown.server_order(line_id) if not u["colleague"] and u["open_ticket"] is None
    )
    orlov = Api(live_server.url).login("s.orlov")  # a colleague of the line takes their chat
    orlov.call("PUT", "/me/status", {"status": "free"})
    assert orlov.call("POST", f"/chats/{user['chat_id']}/ticket")["specialist_id"]
    kamailio, kport = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    try:
        connect_pbx(w, qtbot, kport)
        sipp = sipp_as(tmp_path / "sipp", "unavailable_uac_as.xml", user["login"], kport)
        try:
            sipp_succeeds(qtbot, sipp)  # it got the 480 it expects
        finally:
            sipp.stop()
        assert w.calls.popup is None and w.calls.call is None
        assert w.calls.ringer is not None and w.calls.ringer.sound == ""
    finally:
        run_async(qtbot, w.calls.close(), timeout=20_000)
        kamailio.stop()
