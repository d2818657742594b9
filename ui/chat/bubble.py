"""A chat bubble's geometry: where its parts go, made once per (message, width) at (0, 0)
by the delegate (ui/chat/delegate.py) and placed at each row's rectangle."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor

OUTER_V = 3
OUTER_H = 12
PAD_H = 11
PAD_V = 7
RADIUS = 10.0
OWN_BG = QColor("#dcebff")
THEIR_BG = QColor("#f1f2f4")
FAILED = QColor("#c62828")
LINK = QColor("#1558c0")
NAME = QColor("#3b6fd4")


SEPARATOR_H = 26  # a date or "unread" line above a bubble
SEPARATOR = QColor("#6b7078")
HIGHLIGHT = QColor("#fff1a8")  # the message jumped to (a search hit, a quoted one)
UNREAD = QColor("#3b6fd4")


@dataclass(slots=True)
class Layout:
    bubble: QRectF
    header: QRectF | None
    text_origin: QPointF
    footer: QRectF
    own: bool
    file: QRectF | None  # the attached file's box
    quote: QRectF | None  # the quoted message's block, above the text
    more: QRectF | None = None  # «Show all» / «Collapse» under a long text (ui/chat/fold.py)
    shown_h: float | None = None  # a folded text's height shown (None: all of it)
    cut: bool = False  # only the text's beginning is laid out (folded: ui/chat/fold.py)


def moved(layout: Layout, dx: int, dy: int) -> Layout:
    """A layout made at (0, 0) placed at (dx, dy)."""
    if dx == 0 and dy == 0:
        return layout

    def at(r: QRectF | None) -> QRectF | None:
        return None if r is None else r.translated(dx, dy)

    return Layout(
        layout.bubble.translated(dx, dy),
        at(layout.header),
        layout.text_origin + QPointF(dx, dy),
        layout.footer.translated(dx, dy),
        layout.own,
        at(layout.file),
        at(layout.quote),
        at(layout.more),
        layout.shown_h,
        layout.cut,
    )
