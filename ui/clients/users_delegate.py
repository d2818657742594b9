"""Paints one row of the users list (STYLE.md 8): fixed height, style-aware panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from app.core.domain import LastMessage, UserRow
from ui.clients.avatars import AvatarStore, paint_initials
from ui.clients.row_marks import (
    birthday_tip,
    disconnected_tip,
    fade_avatar,
    has_birthday_today,
    highlight_spans,
    paint_disconnected,
    paint_presence,
    paint_star,
    presence_tip,
)
from ui.common.roles import ROW_ROLE, TICKET_ROLE
from ui.common.text import preview_line
from ui.common.when import day_month_text, short_date_text, time_text
from ui.mainwindow.status import paint_status_mark, status_name
from ui.tickets.holder import LEVEL_COLOURS

_Index = QModelIndex | QPersistentModelIndex

AVATAR = 42
PAD = 10
RING_COLOR = QColor("#2e7cf6")
BADGE_COLOR = QColor("#2e7cf6")
BIRTHDAY_COLOR = QColor("#e0457b")
HIGHLIGHT_COLOR = QColor(255, 214, 0, 110)  # a found word, under the text


class _Fonts:
    def __init__(self, base: QFont) -> None:
        self.key = base.key()
        self.name = QFont(base)
        self.name.setWeight(QFont.Weight.DemiBold)
        self.small = QFont(base)
        self.small.setPointSizeF(max(7.0, base.pointSizeF() * 0.9))
        self.badge = QFont(self.small)
        self.badge.setWeight(QFont.Weight.Bold)
        self.initials = QFont(base)
        self.initials.setWeight(QFont.Weight.Bold)
        self.name_m = QFontMetrics(self.name)
        self.small_m = QFontMetrics(self.small)
        self.badge_m = QFontMetrics(self.badge)
        self.height = max(
            AVATAR + 2 * PAD, self.name_m.height() + 2 * self.small_m.height() + 2 * PAD
        )


def short_time(moment: datetime, today: date | None = None) -> str:
    local = moment.astimezone()
    today = today or datetime.now().astimezone().date()
    if local.date() == today:
        return time_text(local)
    if local.year == today.year:
        return day_month_text(local)
    return short_date_text(local)


class _Marks:
    """Where a row's name and its marks are (painted, and asked for their tooltips)."""

    __slots__ = ("birthday", "disconnected", "favourite", "mobile", "name", "name_rect", "status")

    def __init__(self) -> None:
        self.name = ""
        self.name_rect = QRect()
        self.favourite: QRectF | None = None
        self.birthday: QRectF | None = None
        self.mobile: QRectF | None = None
        self.status: QRectF | None = None
        self.disconnected: QRectF | None = None


def _time_text(row: UserRow) -> str:
    return short_time(row.last_message.created_at) if row.last_message else ""


def _layout(fonts: _Fonts, rect: QRect, row: UserRow, favourite: bool = False) -> _Marks:
    m = _Marks()
    top = rect.top() + (rect.height() - AVATAR) // 2
    av = QRectF(rect.left() + PAD, top, AVATAR, AVATAR)
    dot = 13
    m.status = QRectF(av.right() - dot + 2, av.bottom() - dot + 2, dot, dot)
    x = int(av.right()) + PAD + 2
    right = rect.right() - PAD
    line1 = rect.top() + PAD
    time_text = _time_text(row)
    time_w = fonts.small_m.horizontalAdvance(time_text) if time_text else 0
    mark = fonts.small_m.height() - 2
    gone = row.disconnected is not None
    marks_w = (mark + 4) * (
        int(row.mobile) + int(row.birth_date is not None) + int(favourite) + int(gone)
    )
    name_w = max(10, right - x - time_w - 8 - marks_w)
    m.name = fonts.name_m.elidedText(
        preview_line(row.full_name), Qt.TextElideMode.ElideRight, name_w
    )
    m.name_rect = QRect(x, line1, name_w, fonts.name_m.height())
    mx = x + fonts.name_m.horizontalAdvance(m.name) + 5
    my = line1 + (fonts.name_m.height() - mark) // 2
    if gone:  # first: what matters most
        m.disconnected = QRectF(mx, my, mark, mark)
        mx += mark + 4
    if favourite:
        m.favourite = QRectF(mx, my, mark, mark)
        mx += mark + 4
    if row.birth_date is not None:
        m.birthday = QRectF(mx, my, mark, mark)
        mx += mark + 4
    if row.mobile:
        m.mobile = QRectF(mx, my, mark, mark)
    return m


class UsersDelegate(QStyledItemDelegate):
    """Avatar (the photo, else initials on a name colour; a ring when my ticket is open),
    status dot, name, company or position, last message and time, unread badge, birthday
    and mobile marks.

    `avatars` (ui.clients.avatars.AvatarStore) gives the photos; a row whose photo is not here yet
    paints its initials and asks the store for it, which never blocks the paint."""

    def __init__(self, parent: QWidget | None = None, avatars: AvatarStore | None = None) -> None:
        super().__init__(parent)
        self.my_id: int | None = None
        self.avatars = avatars
        self.terms: tuple[str, ...] = ()  # the search's words: highlighted in names
        # my favourites on the line (a star after the name): the pane sets where they are
        self.favourites: Callable[[], frozenset[int]] = frozenset
        self._fonts: _Fonts | None = None

    def _fonts_for(self, font: QFont) -> _Fonts:
        if self._fonts is None or self._fonts.key != font.key():
            self._fonts = _Fonts(font)
        return self._fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fonts = self._fonts_for(option.font)
        return QSize(260, fonts.height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        row = index.data(ROW_ROLE)
        if not isinstance(row, UserRow):
            return
        fonts = self._fonts_for(opt.font)
        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        dim = QColor(text_color)
        dim.setAlphaF(0.7 if selected else 0.62)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

        # avatar
        top = rect.top() + (rect.height() - AVATAR) // 2
        av = QRectF(rect.left() + PAD, top, AVATAR, AVATAR)
        mine = (
            row.open_ticket is not None
            and self.my_id is not None
            and row.open_ticket.specialist_id == self.my_id
        )
        if mine:
            painter.setPen(QPen(RING_COLOR, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(av.adjusted(-3, -3, 3, 3))
        photo = None
        url = row.avatar_url
        if url and self.avatars is not None:
            photo = self.avatars.pixmap(url, AVATAR, painter.device().devicePixelRatioF())
            if photo is None:
                self.avatars.request(url, row.id)  # arrives later: this row repaints
        if photo is not None:
            painter.drawPixmap(av.topLeft(), photo)
        else:
            paint_initials(painter, av, row.full_name, fonts.initials)
        if row.disconnected is not None:  # the photo faded: not served on this line
            fade_avatar(painter, av, palette.color(QPalette.ColorRole.Base))
        marks = _layout(fonts, rect, row, row.id in self.favourites())
        assert marks.status is not None
        if row.status is not None:
            paint_status_mark(painter, marks.status, row.status)
        elif not row.colleague:
            paint_presence(painter, marks.status, row.presence)

        # right column: time, badge
        x = int(av.right()) + PAD + 2
        right = rect.right() - PAD
        line1 = rect.top() + PAD
        time_text = _time_text(row)
        painter.setFont(fonts.small)
        time_w = fonts.small_m.horizontalAdvance(time_text) if time_text else 0
        if time_text:
            painter.setPen(dim)
            painter.drawText(
                QRect(right - time_w, line1, time_w, fonts.name_m.height()),
                int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value),
                time_text,
            )

        # name line with marks (the search's words highlighted)
        painter.setFont(fonts.name)
        name = marks.name
        for start, end in highlight_spans(name, self.terms):
            left = fonts.name_m.horizontalAdvance(name[:start])
            width = fonts.name_m.horizontalAdvance(name[start:end])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(HIGHLIGHT_COLOR)
            painter.drawRoundedRect(
                QRectF(
                    marks.name_rect.left() + left - 1,
                    marks.name_rect.top(),
                    width + 2,
                    marks.name_rect.height(),
                ),
                3,
                3,
            )
        painter.setPen(text_color)
        painter.drawText(
            marks.name_rect,
            int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value),
            name,
        )
        if marks.disconnected is not None:
            paint_disconnected(painter, marks.disconnected)
        if marks.favourite is not None:
            paint_star(painter, marks.favourite)
        if marks.birthday is not None:
            _paint_gift(painter, marks.birthday, has_birthday_today(row), dim)
        if marks.mobile is not None:
            _paint_phone(painter, marks.mobile, dim)

        # second line: company (position for colleagues); who holds the ticket (ui/tickets)
        line2 = line1 + fonts.name_m.height()
        sub = preview_line(
            row.position if row.colleague else (row.company.name if row.company else "")
        )
        painter.setFont(fonts.small)
        painter.setPen(dim)
        holder, level = index.data(TICKET_ROLE) or ("", 0)
        # the holder never runs past the row's left edge, and a company too short to read
        # (a narrow list) is left out rather than drawn as a lone "…"
        holder_w = fonts.small_m.horizontalAdvance(holder) if holder else 0
        if holder_w > right - x:
            holder_w = right - x
            holder = fonts.small_m.elidedText(holder, Qt.TextElideMode.ElideRight, holder_w)
        if holder:
            box = QRect(right - holder_w, line2, holder_w, fonts.small_m.height())
            if level:  # the reply-time guard: amber, then red
                if selected:  # on the selection's colour, on a light pill: still readable
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(palette.color(QPalette.ColorRole.Base))
                    pill = QRectF(box).adjusted(-4, 0, 4, 0)
                    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
                painter.setPen(QColor(LEVEL_COLOURS[level]))
            painter.drawText(
                box,
                int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value),
                holder,
            )
        painter.setPen(dim)
        sub_w = right - x - (holder_w + 8 if holder else 0)
        if sub_w < fonts.small_m.horizontalAdvance("ООО…"):
            sub = ""
        painter.drawText(
            QRect(x, line2, sub_w, fonts.small_m.height()),
            int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value),
            fonts.small_m.elidedText(sub, Qt.TextElideMode.ElideRight, sub_w),
        )

        # third line: last message preview + unread badge
        line3 = line2 + fonts.small_m.height()
        badge_w = 0
        if row.unread > 0:
            badge_text = str(row.unread) if row.unread < 100 else "99+"
            bh = fonts.badge_m.height()
            badge_w = max(bh, fonts.badge_m.horizontalAdvance(badge_text) + 10)
            badge = QRectF(right - badge_w, line3, badge_w, bh)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BADGE_COLOR)
            painter.drawRoundedRect(badge, bh / 2, bh / 2)
            painter.setPen(QColor("white"))
            painter.setFont(fonts.badge)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter.value), badge_text)
        if row.last_message is not None:
            preview = self.preview(row.last_message)
            pw = right - x - (badge_w + 6 if badge_w else 0)
            painter.setFont(fonts.small)
            painter.setPen(text_color if row.unread else dim)
            painter.drawText(
                QRect(x, line3, pw, fonts.small_m.height()),
                int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value),
                fonts.small_m.elidedText(preview, Qt.TextElideMode.ElideRight, pw),
            )
        painter.restore()

    def preview(self, last: LastMessage) -> str:
        """The row's third line: the last message's text (bidi isolated, issue 12), or
        "📎 name" for a file sent without words; "You: " before the specialist's own."""
        text = preview_line(last.text)
        if not last.text.strip() and last.file_name:
            text = "📎 " + preview_line(last.file_name)
        elif not last.text and not last.file_name:  # no words, no file: deleted
            text = self.tr("Message deleted")
        if last.author_kind == "specialist":
            text = self.tr("You: ") + text
        return text

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        """A mark's own tooltip (birthday: the date and age; phone; status), else the row's."""
        row = index.data(ROW_ROLE)
        if isinstance(row, UserRow) and event is not None:
            favourite = row.id in self.favourites()
            fonts = self._fonts_for(option.font)
            tip = _tip_at(fonts, option.rect, row, favourite, event.x(), event.y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)


def _tip_at(
    fonts: _Fonts, rect: QRect, row: UserRow, favourite: bool, x: float, y: float
) -> str | None:
    """The tooltip of the mark under (x, y) in a row's rect, if one is there."""
    marks = _layout(fonts, rect, row, favourite)
    box = marks.disconnected
    if box is not None and row.disconnected and box.adjusted(-2, -2, 2, 2).contains(x, y):
        return disconnected_tip(row.disconnected)
    if marks.favourite is not None and marks.favourite.adjusted(-2, -2, 2, 2).contains(x, y):
        return QApplication.translate("UsersDelegate", "In my favourites")
    if marks.birthday is not None and marks.birthday.adjusted(-2, -2, 2, 2).contains(x, y):
        return birthday_tip(row)
    if marks.mobile is not None and marks.mobile.adjusted(-2, -2, 2, 2).contains(x, y):
        return QApplication.translate("UsersDelegate", "Signed in on a phone")
    if marks.status is not None and marks.status.adjusted(-2, -2, 2, 2).contains(x, y):
        if row.status is not None:
            return status_name(row.status)
        if not row.colleague:
            return presence_tip(row.presence)
    return None


def _paint_gift(painter: QPainter, r: QRectF, today: bool, dim: QColor) -> None:
    """The birthday mark: bright on the day, dim otherwise."""
    color = BIRTHDAY_COLOR if today else dim
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    body = QRectF(r.left(), r.top() + r.height() * 0.35, r.width(), r.height() * 0.65)
    painter.drawRoundedRect(body, 1.5, 1.5)
    painter.drawRoundedRect(
        QRectF(r.left() - 1, r.top() + r.height() * 0.2, r.width() + 2, r.height() * 0.25), 1, 1
    )
    painter.setPen(QPen(QColor("white"), 1.4))
    painter.drawLine(QPointF(r.center().x(), body.top()), QPointF(r.center().x(), body.bottom()))
    painter.setPen(QPen(color, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(
        QRectF(r.center().x() - r.width() * 0.35, r.top(), r.width() * 0.3, r.height() * 0.25)
    )
    painter.drawEllipse(
        QRectF(r.center().x() + r.width() * 0.05, r.top(), r.width() * 0.3, r.height() * 0.25)
    )
    painter.restore()


def _paint_phone(painter: QPainter, r: QRectF, color: QColor) -> None:
    painter.save()
    body = QRectF(r.center().x() - r.width() * 0.3, r.top(), r.width() * 0.6, r.height())
    painter.setPen(QPen(color, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(body, 2, 2)
    painter.drawLine(
        QPointF(body.center().x() - 1.5, body.bottom() - 2.5),
        QPointF(body.center().x() + 1.5, body.bottom() - 2.5),
    )
    painter.restore()
