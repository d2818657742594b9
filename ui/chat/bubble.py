"""A chat bubble's geometry: where its parts go, made once per (message, width) at (0, 0)
by the delegate (ui/chat/delegate.py) and placed at each row's rectangle."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF


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
    )
