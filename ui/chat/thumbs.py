"""Thumbnails of received images and PDFs, decoded with a bounded cost.

A PDF's first page comes already small: rendered by a bounded child process
(app/chat/pdf_preview.py, through the core's PREVIEW intent), off this thread.

`QImageReader.setScaledSize` makes the JPEG decoder scale while it decodes (libjpeg's DCT
scaling): a 6000×6000 photo costs a few MB, not 144. Formats whose Qt reader cannot scale
while decoding (PNG, GIF, WebP…) would be decoded whole first, so they are decoded only when
the whole image fits `BUDGET` bytes; a larger one keeps its file box without a picture
(docs/chat.md)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from app.chat import files as core
from app.core.domain import FileRef

if TYPE_CHECKING:
    import asyncio

    from ui.chat.pane import ChatPane

log = logging.getLogger("linedesk.ui.chat.thumbs")

BOX = QSize(240, 180)
BUDGET = 16 * 1024 * 1024  # bytes of a whole decoded image, when it cannot be scaled
MAX_SIDE = 20_000  # a header claiming more is not believed


def decode_thumbnail(path: Path | str, box: QSize = BOX, budget: int = BUDGET) -> QImage | None:
    """The image at `path` scaled to fit `box`, or None (not an image, empty, lying about its
    type, or too costly to decode)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not reader.canRead() or not size.isValid() or size.isEmpty():
        return None
    if size.width() > MAX_SIDE or size.height() > MAX_SIDE:
        return None
    scaled = (
        size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        if (size.width() > box.width() or size.height() > box.height())
        else size
    )
    if reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize):
        reader.setScaledSize(scaled)
    elif size.width() * size.height() * 4 > budget:
        log.info("thumbnail skipped: %s×%s %s", size.width(), size.height(), reader.format())
        return None
    image = reader.read()
    if image.isNull():
        return None
    if image.size() != scaled:
        image = image.scaled(
            scaled, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    return image


class Thumbnails(QObject):
    """file id → its thumbnail (None: none to show), fetched and decoded once."""

    sig_ready = Signal(int)
    """A thumbnail came (or was found impossible): the file's id."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self._images: dict[int, QImage | None] = {}
        self.finished: set[int] = set()  # files whose thumbnail is decided (made or none)

    def get(self, file: FileRef) -> QImage | None:
        """The thumbnail if here; otherwise None now and `sig_ready` later."""
        if file.id in self._images:
            return self._images[file.id]
        if not core.has_preview(file):
            self._images[file.id] = None
            return None
        workplace = self._pane.workplace()
        if workplace is None:
            return None
        self._images[file.id] = None  # asked once
        task = self._pane.spawn(workplace.act(core.PREVIEW, file))

        def done(t: asyncio.Task[Path | None]) -> None:
            path = None if t.cancelled() or t.exception() is not None else t.result()
            if path is not None:
                self._images[file.id] = decode_thumbnail(path)
            self.finished.add(file.id)
            self.sig_ready.emit(file.id)

        task.add_done_callback(done)
        return None

    def peek(self, file_id: int) -> QImage | None:
        return self._images.get(file_id)
