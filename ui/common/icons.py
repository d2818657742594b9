"""Small icons drawn in code, for the desktops that have no icon theme (Windows) and the
fonts that lack the symbol (DejaVu has no "⧉": it showed as an empty box)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

SIZES = (16, 22, 32)


@cache
def copy_icon(colour: str = "#5f6368") -> QIcon:
    """Copy: the theme's edit-copy where there is one, else two overlapping sheets."""
    drawn = QIcon()
    for px in SIZES:
        pixmap = QPixmap(px, px)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(colour), max(1.0, px / 14)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        side, radius = px * 0.52, px * 0.08
        painter.drawRoundedRect(QRectF(px * 0.14, px * 0.14, side, side), radius, radius)
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(QRectF(px * 0.34, px * 0.34, side, side), radius, radius)
        painter.end()
        drawn.addPixmap(pixmap)
    return QIcon.fromTheme("edit-copy", drawn)
