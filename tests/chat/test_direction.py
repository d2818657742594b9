"""Text from others is isolated for direction: bidi controls become visible marks and each
line is wrapped in FSI…PDI (docs/chat.md)."""

from __future__ import annotations

import unicodedata

import pytest

from ui.common.text import BIDI_MARKS, FSI, PDI, find_links, isolated, marked, preview_line

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
