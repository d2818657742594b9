"""People's text (and a server's words) in the places a review found still unsafe: the
incoming call's pop-up and the in-call panel fed straight from a SIP From, a file's box in a
bubble, a quick reply filled from a name, the remote sessions' list, a group's subtitle, the
search-in-chat snippet, the holder's words, and widgets a long word made wider than a screen
(the problem banner, the transfer bar, the disconnect and connect dialogs). Each shows the
text on one line, its bidi controls as marks, and keeps its width."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QObject

from tests.window.conftest import WINDOW_MARKS

pytestmark = [*WINDOW_MARKS, pytest.mark.chat, pytest.mark.telephony]

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"
SCREEN = 1920  # wider than this, a widget pushes the window off a common screen


def row_of(name: str, company: Any, open_ticket: Any = None) -> Any:
    from app.core.domain import UserRow

    return UserRow(
        id=1, chat_id=1, full_name=name, login="u", email="", position="", company=company,
        colleague=False, status=None, avatar_url=None, birth_date=None, mobile=False,
        last_message=None, unread=0, open_ticket=open_ticket,
    )  # fmt: skip


def _one_line_marked(text: str) -> bool:
    return "\n" not in text and "\r" not in text and RLO not in text and "[RLO]" in text


def test_the_call_pop_up_and_panel_show_a_sip_display_name_marked_on_one_line(
    qtbot: Any,
) -> None:
    from ui.calls.panel import InCallPanel
    from ui.calls.popup import IncomingCallPopup

    remote = '"Сбербанк \u202eecivreS\nx" <sip:+74951234567@pbx.example.com>'
    popup = IncomingCallPopup(remote)
    qtbot.addWidget(popup)
    shown = popup.caller.text()
    assert _one_line_marked(shown) and shown.startswith(FSI) and shown.endswith(PDI)
    assert "sip:+74951234567@pbx.example.com" in shown  # not turned round
    popup.show_caller("Иванов\nИван \u202eИванович", "ООО «Ромашка»\nвторая", remote)
    assert _one_line_marked(popup.caller.text())
    assert popup.detail.text().count("\n") == 1  # the company, the address: a line each
    panel = InCallPanel()
    qtbot.addWidget(panel)
    panel.start(remote)
    assert _one_line_marked(panel.who.text()) and panel.peer == remote


def test_a_file_box_shows_every_line_of_the_name_and_marks_the_type() -> None:
    from app.core.domain import FileRef
    from ui.chat.attachments import file_lines

    name, details = file_lines(FileRef(1, "x\ninvoice.pdf\n.exe", 10, "text/plain\u202e<b>"))
    assert name.endswith("x invoice.pdf .exe")  # its middle line alone read as "invoice.pdf"
    assert RLO not in details and "[RLO]<b>" in details


def test_a_long_file_name_keeps_its_extension() -> None:
    from ui.common.text import NAME_SHOWN, file_line

    shown = file_line("отчёт" * 100 + ".pdf.exe")
    assert len(shown) == NAME_SHOWN and shown.endswith(".pdf.exe") and "…" in shown


def test_a_quick_reply_fills_names_without_their_controls() -> None:
    from app.core.domain import CompanyRef
    from ui.tickets.quick_replies import expand, variables

    row = row_of("Петров\nИван \u202eчивоннавИ", CompanyRef(1, "ООО\n\u202eРомашка"))
    values = variables(row, "Демидова Анна\u202e Сергеевна")
    text = expand("Здравствуйте, $name! $company. $me", values)
    assert text == "Здравствуйте, Иван чивоннавИ! ООО Ромашка. Анна"
    # characters that show nothing are not sent either; an emoji's joiner stays
    unseen = row_of("Ко\u200bвальчук 👩🏽\u200d💻 Оксана\ufeff\u2060", None)
    assert expand("$name, добрый день!", variables(unseen, "")) == (
        "👩🏽\u200d💻 Оксана, добрый день!"
    )


def test_search_snippets_are_one_line_whatever_the_line_breaks() -> None:
    from app.chat.search import Hit
    from app.core.domain import Author, Message
    from contract.types import AccountKind
    from ui.chat.search import snippet

    text = "первая\rвторая\u2028третья\u2029найти\r\nещё"
    message = Message(1, 1, "k", Author(1, AccountKind.CLIENT, "Иванов"), text, datetime.now(UTC))
    start = text.index("найти")
    line, spans = snippet(Hit(message, ((start, start + 5),)))
    assert all(not c.isspace() or c == " " for c in line)
    (s, e), *_ = spans
    assert line[s:e] == "найти"


def test_a_colleague_not_known_by_name_is_a_colleague() -> None:
    from app.core.domain import OpenTicket
    from ui.tickets.holder import Holders

    holders = Holders()
    holders.my_id = 1
    row = row_of("Иванов Иван", None, open_ticket=OpenTicket(7, 2, datetime.now(UTC)))
    words = holders.describe(row)
    assert words in ("With a colleague", "У коллеги") or "коллег" in words, words
    holders.names[2] = "Петров \u202eПётр Ильич"
    assert f"{FSI}Петров П. И.{PDI}" in holders.describe(row)


def test_a_group_subtitle_is_one_line(qtbot: Any) -> None:
    from contract.groups import Group, Member
    from contract.types import AccountKind
    from ui.groups.feature import GroupsFeature

    members = [Member(AccountKind.CLIENT, k, f"Бот\nИванов {k}\u202e") for k in range(3)]
    group = Group(1, "g", 1, 1, 1, members, datetime.now(UTC))
    feature = GroupsFeature.__new__(GroupsFeature)
    QObject.__init__(feature)
    line = feature._members_line(group)
    assert "\n" not in line and RLO not in line and line.count("[RLO]") == 3


def test_long_words_do_not_widen_the_window(qtbot: Any) -> None:
    from ui.chat.files import TransferBar
    from ui.disconnect.dialog import DisconnectDialog
    from ui.mainwindow.parts import ProblemBanner
    from ui.remote.dialog import ConnectDialog

    word = "Ш" * 3000
    banner = ProblemBanner()
    qtbot.addWidget(banner)
    banner.show_problem("Не отправлено", f"proxy\u202e said {word}\nsecond")
    assert banner.minimumSizeHint().width() < SCREEN
    assert _one_line_marked(banner.label.text().split("\n", 1)[1])
    bar = TransferBar()
    qtbot.addWidget(bar)
    bar.started(word[:255])
    assert bar.minimumSizeHint().width() < SCREEN
    name = "Иванов" + "И" * 300
    for dialog in (DisconnectDialog(name), ConnectDialog(name, view_only=False)):
        qtbot.addWidget(dialog)
        assert dialog.sizeHint().width() < SCREEN, type(dialog).__name__
