"""People's text beside ours, where a specialist reads it: the chat's header, the incoming
call's pop-up, the remote desktop's dialog, the call transfer's list. A name or a company
with markup and a right-to-left override stays characters (plain text), the override is
shown as a mark instead of obeyed, and the text is isolated, so it cannot reorder the words
drawn around it ("· Не в сети", "— Свободен", "Подключиться к …"). (A chat's own lines — a
call's comment, a ticket's step — are laid out with every bidi control marked by the chat's
delegate: tests/chat/test_direction.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.window.conftest import WINDOW_MARKS

pytestmark = [*WINDOW_MARKS, pytest.mark.telephony, pytest.mark.remote]

NAME = "<b>Иванов</b> \u202eанна<img src=file:///etc/passwd>"
COMPANY = "ООО \u202e«Ромашка»"
FSI, PDI, RLO = "\u2068", "\u2069", "\u202e"


def shown_safely(text: str) -> bool:
    """Characters, the override a mark, isolated."""
    return RLO not in text and "[RLO]" in text and FSI in text and PDI in text


def test_the_chat_header(qtbot: Any) -> None:
    from app.core.domain import CompanyRef, UserRow
    from contract.clients import Presence
    from ui.chat.function_bar import FunctionBar
    from ui.mainwindow.actions import declared
    from ui.mainwindow.commands import Command

    bar = FunctionBar()
    qtbot.addWidget(bar)
    bar.complete({key: Command(key, spec, bar) for key, spec in declared()})  # as the window
    row = UserRow(
        id=1, chat_id=1, full_name=NAME, login="u", email="", position="",
        company=CompanyRef(1, COMPANY), colleague=False, status=None, avatar_url=None,
        birth_date=None, mobile=False, last_message=None, unread=0, open_ticket=None,
        presence=Presence.OFFLINE,
    )  # fmt: skip
    bar.show_row(row)
    assert shown_safely(bar.chat_title.text()) and "<b>Иванов</b>" in bar.chat_title.text()
    assert bar.chat_title.textFormat() == Qt.TextFormat.PlainText
    subtitle = bar.chat_subtitle.text()
    assert shown_safely(subtitle)
    assert subtitle.index(PDI) < subtitle.index("·")  # the company closed before our words


def test_the_incoming_call_pop_up(qtbot: Any) -> None:
    from ui.calls.popup import IncomingCallPopup

    popup = IncomingCallPopup("sip:100@pbx")
    qtbot.addWidget(popup)
    popup.show_caller(NAME, COMPANY, "sip:\u202eevil@pbx")
    assert shown_safely(popup.caller.text()) and "<img" in popup.caller.text()
    assert popup.caller.textFormat() == Qt.TextFormat.PlainText
    assert popup.detail.text().count(FSI) == 2 and RLO not in popup.detail.text()
    assert popup.detail.textFormat() == Qt.TextFormat.PlainText


def test_the_remote_desktop_dialog(qtbot: Any) -> None:
    from ui.remote.dialog import ConnectDialog

    dialog = ConnectDialog(NAME, view_only=False)
    qtbot.addWidget(dialog)
    (who,) = [w for w in dialog.findChildren(QLabel) if "Иванов" in w.text()]
    assert shown_safely(who.text()) and who.textFormat() == Qt.TextFormat.PlainText


def test_the_call_transfer_list(qtbot: Any) -> None:
    from app.core.domain import Colleague
    from contract.types import Status
    from ui.calls.transfer import TransferCallDialog

    dialog = TransferCallDialog([Colleague(2, NAME, Status.FREE, extension="102")])
    qtbot.addWidget(dialog)
    text = dialog.people.item(0).text()
    assert shown_safely(text) and text.index(PDI) < text.index("—")
