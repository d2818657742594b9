"""The specialist's working status: names in the specialist's words and painted icons."""

from __future__ import annotations

import zlib
from functools import cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from app.core.domain import Status

STATUS_ORDER: tuple[Status, ...] = (Status.FREE, Status.AWAY, Status.BUSY_NEW, Status.DND)

_COLORS: dict[Status, str] = {
    Status.FREE: "#2eaa4f",
    Status.AWAY: "#f2b01e",
    Status.BUSY_NEW: "#ef7d22",
    Status.DND: "#d93f3f",
}


def status_name(status: Status) -> str:
    names = {
        Status.FREE: QCoreApplication.translate("Status", "Free"),
        Status.AWAY: QCoreApplication.translate("Status", "Away"),
        Status.BUSY_NEW: QCoreApplication.translate("Status", "Busy for new tickets"),
        Status.DND: QCoreApplication.translate("Status", "Do not disturb"),
    }
    return names[status]


def status_color(status: Status | None) -> QColor:
    return QColor(_COLORS.get(status, "#9aa0a6")) if status is not None else QColor("#9aa0a6")


def paint_status_mark(painter: QPainter, rect: QRectF, status: Status | None) -> None:
    """A filled dot; Do not disturb gets a white bar, Away a white clock hand."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("white"), max(1.0, rect.width() / 8)))
    painter.setBrush(status_color(status))
    painter.drawEllipse(rect)
    w = rect.width()
    pen = QPen(QColor("white"), max(1.2, w / 7))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    c = rect.center()
    if status is Status.DND:
        painter.drawLine(QPointF(c.x() - w * 0.25, c.y()), QPointF(c.x() + w * 0.25, c.y()))
    elif status is Status.AWAY:
        painter.drawLine(c, QPointF(c.x(), c.y() - w * 0.25))
        painter.drawLine(c, QPointF(c.x() + w * 0.2, c.y()))
    elif status is Status.BUSY_NEW:
        painter.drawLine(QPointF(c.x() - w * 0.2, c.y()), QPointF(c.x() + w * 0.2, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - w * 0.2), QPointF(c.x(), c.y() + w * 0.2))
    painter.restore()


@cache
def status_icon(status: Status | None, size: int = 32) -> QIcon:
    icon = QIcon()
    for px in (16, 22, 32, 64):
        pixmap = QPixmap(px, px)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # the app mark: a speech bubble, with the status dot in its corner
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#3b6fd4"))
        painter.drawRoundedRect(
            QRectF(px * 0.04, px * 0.08, px * 0.78, px * 0.6), px * 0.16, px * 0.16
        )
        painter.drawPolygon(
            [
                QPointF(px * 0.2, px * 0.6),
                QPointF(px * 0.2, px * 0.86),
                QPointF(px * 0.45, px * 0.6),
            ]
        )
        paint_status_mark(painter, QRectF(px * 0.5, px * 0.5, px * 0.48, px * 0.48), status)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def avatar_color(name: str) -> QColor:
    """A stable, readable colour derived from the name."""
    hue = zlib.crc32(name.encode("utf-8")) % 360
    return QColor.fromHsl(hue, 120, 130)


def initials(full_name: str) -> str:
    """Two letters of the name (its first two words' first, or one word's two): what is not a
    letter or a digit (a direction control, a combining mark, a bracket) is passed over."""
    parts = ["".join(c for c in p if c.isalnum()) for p in full_name.split()]
    parts = [p for p in parts if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[1][0]).upper()
