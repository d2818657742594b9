"""Users' photos for painting: bytes from the Workplace → round QPixmaps, kept in an LRU.

`AvatarStore.pixmap(url, size, dpr)` answers at once — the photo, or None (paint the
initials). A painter that got None calls `request(url, user_id)`: the store asks the
Workplace (`fetch(url)`, an owned task through `spawn`) once per url, decodes the bytes
with QImage, scales them once to every size painted so far, clips them to the circle the
initials use, and emits `sig_avatar_ready(url, user_ids)` so that only those rows repaint.
A picture that failed (none, 404, network, not decodable) is not asked for again before
`RETRY_AFTER_S`; meanwhile the initials stay. `keep_only(user_ids)` drops the fetches no
row on screen waits for any more (the list scrolled past them).

Imported after the window's first paint (`MainWindow.complete()`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Coroutine

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPixmap

from ui.mainwindow.status import avatar_color, initials

log = logging.getLogger("linedesk.ui.avatars")

PIXMAPS_KEPT = 600  # round pixmaps (one per url and size): ~7 KB each at 42 px
RETRY_AFTER_S = 30.0  # none came (the core remembers why, and answers at once meanwhile)
UNDECODABLE_RETRY_S = 3600.0  # the bytes came but are no picture: a url's bytes never change
FAILURES_KEPT = 4_096
MAX_SIDE = 4096  # a picture claiming more is not decoded (the server sends ≤ 1024 px)

Fetch = Callable[[str], Coroutine[object, object, bytes | None]]
Spawn = Callable[[Coroutine[object, object, None]], "asyncio.Task[None]"]


def decode(data: bytes) -> QImage | None:
    """A PNG/JPEG picture, or None (not a picture, or an absurd size)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    if not buffer.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.width() > MAX_SIDE or size.height() > MAX_SIDE:
        return None
    image = reader.read()
    buffer.close()
    return None if image.isNull() else image


def round_pixmap(image: QImage, size: int, dpr: float = 1.0) -> QPixmap:
    """`image` cropped to a centred square, scaled to `size` logical px, clipped to a circle."""
    side = max(1, round(size * dpr))
    square = min(image.width(), image.height())
    crop = image.copy(
        (image.width() - square) // 2, (image.height() - square) // 2, square, square
    ).scaled(
        side,
        side,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    out = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(Qt.GlobalColor.transparent)
    p = QPainter(out)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("black"))
    p.drawEllipse(QRectF(0, 0, side, side))
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    p.drawImage(0, 0, crop)
    p.end()
    pixmap = QPixmap.fromImage(out)
    pixmap.setDevicePixelRatio(dpr)
    return pixmap


def paint_initials(painter: QPainter, rect: QRectF, full_name: str, font: QFont) -> None:
    """The photo's stand-in: initials on the name's colour (the list and the info panel)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(avatar_color(full_name))
    painter.drawEllipse(rect)
    painter.setPen(QColor("white"))
    painter.setFont(font)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter.value), initials(full_name))
    painter.restore()


def initials_pixmap(full_name: str, size: int, font: QFont, dpr: float = 1.0) -> QPixmap:
    side = max(1, round(size * dpr))
    pixmap = QPixmap(QSize(side, side))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    paint_initials(p, QRectF(0, 0, size, size), full_name, font)
    p.end()
    return pixmap


class AvatarStore(QObject):
    sig_avatar_ready = Signal(str, list)
    """(url, user ids that asked for it): the photo is here (or failed: the initials stay)."""

    def __init__(self, parent: QObject | None = None, max_pixmaps: int = PIXMAPS_KEPT) -> None:
        super().__init__(parent)
        self.fetch: Fetch | None = None
        self.spawn: Spawn | None = None
        self.max_pixmaps = max_pixmaps
        self._pixmaps: OrderedDict[tuple[str, int, float], QPixmap] = OrderedDict()
        self._sizes: set[tuple[int, float]] = set()  # (size, dpr) painted so far
        self._waiting: dict[str, set[int]] = {}  # url -> user ids (in flight)
        self._failed: dict[str, float] = {}  # url -> monotonic time it may be asked again
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.decode_failures = 0

    # -- painting ---------------------------------------------------------------------------

    def pixmap(self, url: str, size: int, dpr: float = 1.0) -> QPixmap | None:
        key = (url, size, dpr)
        pm = self._pixmaps.get(key)
        if pm is not None:
            self._pixmaps.move_to_end(key)
            return pm
        self._sizes.add((size, dpr))
        return None

    def request(self, url: str, user_id: int) -> None:
        """The photo at `url` is wanted for `user_id`'s row: fetch it unless it is on its way
        or failed lately. Never blocks."""
        waiting = self._waiting.get(url)
        if waiting is not None:
            waiting.add(user_id)
            return
        until = self._failed.get(url)
        if until is not None:
            if time.monotonic() < until:
                return
            del self._failed[url]
        if self.fetch is None or self.spawn is None:
            return
        self._waiting[url] = {user_id}
        task = self.spawn(self._load(url))
        self._tasks[url] = task

    def keep_only(self, user_ids: Collection[int]) -> int:
        """Only these users' rows are on screen: stop fetching photos nobody else waits for,
        so that the shown rows' photos do not queue behind them. Returns how many stopped."""
        wanted = set(user_ids)
        dropped = [url for url, ids in self._waiting.items() if wanted.isdisjoint(ids)]
        for url in dropped:
            del self._waiting[url]
            task = self._tasks.pop(url, None)
            if task is not None:
                task.cancel()
        return len(dropped)

    def failed(self, url: str) -> bool:
        until = self._failed.get(url)
        return until is not None and time.monotonic() < until

    async def _load(self, url: str) -> None:
        assert self.fetch is not None
        data: bytes | None = None
        try:
            data = await self.fetch(url)
        except Exception as e:  # the Workplace gives None rather than raising; just in case
            log.warning("avatar %s: %s: %s", url, type(e).__name__, e)
        finally:
            ids: set[int] = set()
            if self._tasks.get(url) is asyncio.current_task():  # not dropped meanwhile
                del self._tasks[url]
                ids = self._waiting.pop(url, set())
        if not self.add(url, data):
            now = time.monotonic()
            if len(self._failed) >= FAILURES_KEPT:
                self._failed = {u: t for u, t in self._failed.items() if t > now}
            self._failed[url] = now + (RETRY_AFTER_S if data is None else UNDECODABLE_RETRY_S)
        self.sig_avatar_ready.emit(url, sorted(ids))

    def add(self, url: str, data: bytes | None) -> bool:
        """Decode `data` and keep `url`'s photo at every size painted so far. False: no photo."""
        if data is None:
            return False
        image = decode(data)
        if image is None:
            self.decode_failures += 1
            log.warning("avatar %s: not a picture (%d bytes)", url, len(data))
            return False
        for size, dpr in self._sizes or {(42, 1.0)}:
            self._keep((url, size, dpr), round_pixmap(image, size, dpr))
        return True

    def _keep(self, key: tuple[str, int, float], pixmap: QPixmap) -> None:
        self._pixmaps[key] = pixmap
        self._pixmaps.move_to_end(key)
        while len(self._pixmaps) > self.max_pixmaps:
            self._pixmaps.popitem(last=False)

    def forget_failures(self) -> None:
        """Signed in (again): ask again for what did not come."""
        self._failed.clear()

    def clear(self) -> None:
        """Another Workplace: forget failures and what is on its way (pixmaps by url stay)."""
        for task in list(self._tasks.values()):
            task.cancel()
        self._tasks.clear()
        self._waiting.clear()
        self._failed.clear()

    def __len__(self) -> int:
        return len(self._pixmaps)
