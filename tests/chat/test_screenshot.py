"""Screenshots under Xvfb (xcb, the machine's real fonts) of what a client's text does to
the chat: direction controls shown harmlessly, emoji in colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat.xvfb import run_on_xvfb

pytestmark = pytest.mark.chat


def test_a_direction_spoof_is_drawn_as_its_literal_marks_and_emoji_in_colour(
    tmp_path: Path,
) -> None:
    result = run_on_xvfb("tests.chat.bubbles_shot", tmp_path)
    assert result["platform"] == "xcb"
    # the bubble with RLO/PDF/RLM draws exactly as a text with "[RLO]" typed in it: nothing
    # after the control is reversed, "12:30" stays "12:30"
    assert result["bubble_same_as_literal"]
    assert result["row_same_as_literal"]
    # and the check can tell: obeyed, the same controls draw a different line
    assert result["row_obeyed_differs"]
    # 👍🏽 👨‍👩‍👧 ✅ draw in colour (the colour emoji font), not as empty boxes
    assert result["emoji_coloured"] > 50


def test_a_long_message_folded_and_unfolded_looks_finished(tmp_path: Path) -> None:
    result = run_on_xvfb("tests.chat.fold_shot", tmp_path)
    assert result["platform"] == "xcb"
    assert result["link_left_is_text_left"]  # the link under the text, aligned with it
    assert result["link_pixels"] > 30  # drawn in the links' colour
    assert result["kept_top"]  # unfolded in place
    assert result["folded_h"] < result["viewport_h"] / 2 < result["unfolded_h"]
    for name in ("folded", "unfolded", "unfolded-end"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
