"""A layout that lays its widgets out in rows and wraps them onto the next row when the
width runs out — Qt's own Flow Layout example (doc.qt.io, "Flow Layout Example"), ported,
with the rows aligned right. Qt has no such layout in the library; the example is the
reference one.

Used where a row of buttons must never make its pane wider than the specialist set it
(the function bar: eight commands would otherwise hold the chat pane at ≈ 870 px and
squeeze the users list and the info panel on a 1280- or 1366-pixel screen). Give the
widget holding it a horizontal policy without the grow flag (`QSizePolicy.Maximum`): it
takes its one-row width when there is room and wraps when there is not. (Qt's `Qt`
namespace is not touched here: the function bar is part of the first frame.)"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.spacing_px = spacing  # (QLayout.spacing() is the layout's own, unused here)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # QLayout's item list
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # sizes
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """The widest item: a row of one."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _place(self, rect: QRect, move: bool) -> int:
        """Lay the items out in rows within `rect` (each row right-aligned); the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._shown():
            size = item.sizeHint()
            needed = size.width() if not rows[-1] else used + self._spacing + size.width()
            if rows[-1] and needed > area.width():
                rows.append([])
                needed = size.width()
            rows[-1].append((item, size))
            used = needed
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(size.height() for _, size in row)
            width = sum(size.width() for _, size in row) + self._spacing * (len(row) - 1)
            x = area.x() + max(0, area.width() - width)
            for item, size in row:
                if move:
                    item.setGeometry(QRect(QPoint(x, y), size))
                x += size.width() + self._spacing
            y += height + self._spacing
        return max(0, y - self._spacing - area.y()) + m.top() + m.bottom()


__all__ = ["FlowLayout"]


def ignored(label: QLabel) -> None:
    """A label whose width its layout decides: a long word in it (a server's detail, a
    file's name) is cut at the edge instead of widening its pane, and the window, past
    the screen."""
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
