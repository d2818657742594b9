"""What a users-list row's marks say and how the smaller ones are drawn: the birthday (its
tooltip: the date and the age), the client user's presence, the search's words found in a
name. Pure helpers of ui/clients/users_delegate.py."""

from __future__ import annotations

from datetime import date
from math import cos, pi, sin

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication

from app.core.domain import Disconnection, Presence, UserRow
from ui.common.text import fill, isolated, plain_tooltip, preview_line
from ui.common.when import date_text, date_time_text

PRESENCE_COLORS = {
    Presence.ONLINE: QColor("#2fb344"),
    Presence.AWAY: QColor("#f2a700"),
    Presence.OFFLINE: QColor("#9aa0a6"),
}


def has_birthday_today(row: UserRow, today: date | None = None) -> bool:
    if row.birth_date is None:
        return False
    today = today or date.today()
    return (row.birth_date.month, row.birth_date.day) == (today.month, today.day)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday_tip(row: UserRow, today: date | None = None) -> str:
    """ "Birthday: 04.12.1980 (age 46) — today!" (the age they are, or turn today)."""
    born = row.birth_date
    if born is None:
        return ""
    today = today or date.today()
    years = age_on(born, today)
    text = (
        QApplication.translate("UsersDelegate", "Birthday: %1 (age %2)")
        .replace("%1", date_text(born))
        .replace("%2", str(years))
    )
    if has_birthday_today(row, today):
        text += " — " + QApplication.translate("UsersDelegate", "today!")
    return text


def presence_tip(presence: Presence) -> str:
    if presence is Presence.ONLINE:
        return QApplication.translate("UsersDelegate", "Online")
    if presence is Presence.AWAY:
        return QApplication.translate("UsersDelegate", "Away")
    return QApplication.translate("UsersDelegate", "Offline")


def paint_presence(painter: QPainter, rect: QRectF, presence: Presence) -> None:
    """A client user's presence on the avatar's corner: a filled dot when online or away, a
    ring when offline."""
    painter.save()
    color = PRESENCE_COLORS[presence]
    r = rect.adjusted(2, 2, -2, -2)
    if presence is Presence.OFFLINE:
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(QColor("white"))
    else:
        painter.setPen(QPen(QColor("white"), 1.6))
        painter.setBrush(color)
    painter.drawEllipse(r)
    painter.restore()


DISCONNECTED_COLOR = QColor("#b3261e")


def paint_disconnected(painter: QPainter, rect: QRectF) -> None:
    """A user disconnected from the line (seed 004): a small "no entry" sign, a ring crossed
    from corner to corner, in a quiet red."""
    painter.save()
    r = rect.adjusted(1, 1, -1, -1)
    painter.setPen(QPen(DISCONNECTED_COLOR, 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(r)
    d = r.width() * 0.5 * 0.7071
    c = r.center()
    painter.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
    painter.restore()


def fade_avatar(painter: QPainter, rect: QRectF, base: QColor) -> None:
    """The photo (or initials) of a disconnected user, faded into the row's background."""
    painter.save()
    veil = QColor(base)
    veil.setAlphaF(0.55)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(veil)
    painter.drawEllipse(rect)
    painter.restore()


def disconnected_tip(gone: Disconnection) -> str:
    """ "Disconnected from the line by …, 06.12.2026 10:40: reason"."""
    when = date_time_text(gone.at.astimezone())
    said = QApplication.translate("UsersDelegate", "Disconnected from the line by %1, %2: %3")
    return plain_tooltip(fill(said, preview_line(gone.by_name), when, isolated(gone.reason)))


def fold(text: str) -> str:
    """As the search compares (app/clients/usercolumns.py): lower-cased, ё as е — one
    character for one, so positions stay those of the shown text."""
    return text.lower().replace("ё", "е")


def highlight_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the search's words in `text`, merged."""
    if not terms or not text:
        return []
    folded = fold(text)
    if len(folded) != len(text):  # (a letter whose lower case is longer: no highlight)
        return []
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = folded.find(term)
        while at >= 0 and term:
            spans.append((at, at + len(term)))
            at = folded.find(term, at + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


STAR_COLOR = QColor("#f2b01e")


def paint_star(painter: QPainter, r: QRectF) -> None:
    """A favourite's mark: a filled five-pointed star."""
    c, outer = r.center(), min(r.width(), r.height()) / 2
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else outer * 0.45
        angle = -pi / 2 + i * pi / 5
        points.append(QPointF(c.x() + radius * cos(angle), c.y() + radius * sin(angle)))
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(STAR_COLOR)
    painter.drawPolygon(QPolygonF(points))
    painter.restore()
