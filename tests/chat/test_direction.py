"""Text from others is isolated for direction: bidi controls become visible marks and each
line is wrapped in FSI…PDI (docs/chat.md)."""

from __future__ import annotations

import unicodedata

import pytest

from ui.common.text import (
    BIDI_MARKS,
    FSI,
    LINE_SHOWN,
    PDI,
    fill,
    find_links,
    isolated,
    marked,
    plain_tooltip,
    preview_line,
)

pytestmark = pytest.mark.chat

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


KINDS = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"}


def _controls(text: str) -> list[str]:
    """The characters of `text` the bidi algorithm treats as controls or marks."""
    return [c for c in text if unicodedata.bidirectional(c) in KINDS]


def test_every_control_becomes_a_visible_mark_and_the_line_is_isolated() -> None:
    assert set(BIDI_MARKS) == {ord(c) for c in CONTROLS}
    spoof = "счёт\u202eexe.txt 12:30\u202c и \u2067عربى"
    shown = isolated(spoof)
    assert shown == FSI + "счёт[RLO]exe.txt 12:30[PDF] и [RLI]عربى" + PDI
    # the only controls left are the one isolate that opens and the one that closes
    assert _controls(shown) == [FSI, PDI]


def test_unbalanced_controls_cannot_leak_past_the_end() -> None:
    for c in CONTROLS:
        shown = isolated(f"a{c}b")
        assert _controls(shown) == [FSI, PDI], repr(c)


def test_each_line_is_its_own_isolate_and_the_preview_is_one_line() -> None:
    assert isolated("שלום\n12:30") == f"{FSI}שלום{PDI}\n{FSI}12:30{PDI}"
    assert preview_line("  file\u202e.exe \n\t next ") == f"{FSI}file[RLO].exe next{PDI}"
    assert isolated("") == ""


def test_a_link_stops_at_the_isolate() -> None:
    (link,) = find_links(isolated("https://example.com/a"))
    assert link[2] == "https://example.com/a"


def test_a_bubble_shows_marks_and_leaves_plain_text_as_it_is() -> None:
    assert marked("file\u202eexe.txt") == "file[RLO]exe.txt"
    assert marked("Привет, مرحبا 12:30") == "Привет, مرحبا 12:30"


def test_a_one_line_place_gets_one_line_cut_to_what_any_width_shows() -> None:
    assert "\n" not in preview_line("Первая строка\nВторая строка")
    long = preview_line("Ж" * 100_000)
    assert len(long) == LINE_SHOWN + 2 and long.endswith("…" + PDI)  # FSI … PDI around


def test_a_value_that_holds_a_placeholder_stays_those_characters() -> None:
    """%1, %2… filled in one pass: a name "%2" is not the next value put into the text."""
    assert fill("%1 took the ticket from %2", "Иванов %2", "Петров") == (
        "Иванов %2 took the ticket from Петров"
    )
    assert fill("%2 transferred the ticket to the line «%3»", "", "Петров", "%1") == (
        "Петров transferred the ticket to the line «%1»"
    )
    assert fill("%1 and %4", "a") == "a and %4"  # a placeholder with no value stays


def test_a_tooltip_isolates_each_line_and_shows_markup_as_characters() -> None:
    """Each line its own isolate (they are ``<br>`` of one paragraph); markup escaped; what a
    caller marked and isolated already keeps its isolates as such, never "[FSI]"."""
    from PySide6.QtGui import QTextDocument

    name = isolated("Бухгалтер \u202e")
    tip = plain_tooltip(f"Иванов Иван\n{name}\n<b>ООО</b> <img src=file:///etc/passwd>")
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText().replace("\u2028", "\n").split("\n") == [
        f"{FSI}Иванов Иван{PDI}",
        f"{FSI}{FSI}Бухгалтер [RLO]{PDI}{PDI}",
        f"{FSI}<b>ООО</b> <img src=file:///etc/passwd>{PDI}",
    ]
    assert "[FSI]" not in tip


def test_a_ticket_step_is_one_line_with_names_and_notes_isolated() -> None:
    from datetime import UTC, datetime

    from contract.tickets import StepKind, TicketStep
    from ui.tickets.steps import step_text

    rated = TicketStep(
        1, 1, 1, datetime.now(UTC), StepKind.RATED, score=1,
        note="всё \u202eотлично 12:30\nвторая строка\nтретья",
    )  # fmt: skip
    text = step_text(rated)
    assert "\n" not in text and "\u202e" not in text and "[RLO]" in text
    assert text.startswith("The user rated the work 1 of 5") or text.startswith("Пользователь")
    taken = TicketStep(
        2, 1, 1, datetime.now(UTC), StepKind.TAKEN,
        specialist_id=2, specialist_name="%2", from_specialist_id=3,
        from_specialist_name="Петров Пётр",
    )  # fmt: skip
    text = step_text(taken)
    assert f"{FSI}%2{PDI}" in text and text.count("Петров") == 1


def test_a_disconnection_tooltip_is_characters_whatever_the_reason_and_the_name() -> None:
    from datetime import UTC, datetime

    from PySide6.QtGui import QTextDocument

    from contract.disconnections import Disconnection
    from ui.clients.row_marks import disconnected_tip

    gone = Disconnection(1, 2, 3, "Смирнова %3", datetime.now(UTC), "<b>грубит</b><img src=x>")
    tip = disconnected_tip(gone)
    assert "[FSI]" not in tip and "[PDI]" not in tip  # the name's own isolate is no mark
    doc = QTextDocument()
    doc.setHtml(tip)
    text = doc.toPlainText()
    assert "Смирнова %3" in text and "<b>грубит</b><img src=x>" in text
    assert text.count("грубит") == 1


def test_initials_pass_over_what_is_not_a_letter() -> None:
    from ui.mainwindow.status import initials

    assert initials("\u202eПетров Анна") == "ПА"
    assert initials("(Бот) \u0301Иван") == "БИ"
    assert initials("\u202e") == "?"


def test_a_quoted_author_is_one_line_over_the_quote() -> None:
    from app.core.domain import Quote
    from ui.chat.attachments import quote_lines

    author, text = quote_lines(Quote(1, "Текст", "Бот\nИванов Иван\u202e", False, False))
    assert author == "Бот Иванов Иван[RLO]" and text == "Текст"
