"""A picture file made into my profile photo: checked (a picture at all, not too big in bytes
or pixels), cropped to its centre square, scaled, cut to a circle, as PNG within the server's
limit (contract/photos.py). Qt's own image readers: no home-made decoding."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter, QPainterPath

from contract.photos import MAX_BYTES

FILE_LIMIT = 20 * 1024 * 1024  # bytes of a file we read at all
PIXEL_LIMIT = 12_000  # px a side (larger is read scaled down, never whole)
SIDE = 256  # px of the photo sent


class PhotoError(ValueError):
    """Why a file cannot be my photo, in words for the specialist."""


def circle_photo(path: Path) -> bytes:
    """PNG bytes of the photo made from `path`; PhotoError when it cannot be."""
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("ProfileDialog", text)

    try:
        size = path.stat().st_size
    except OSError:
        raise PhotoError(tr("The file cannot be read.")) from None
    if size > FILE_LIMIT:
        raise PhotoError(tr("The file is too large for a photo (at most 20 MB)."))
    reader = QImageReader(str(path))
    reader.setDecideFormatFromContent(True)
    if not reader.canRead():
        raise PhotoError(tr("This file is not a picture (PNG, JPEG, BMP, GIF…)."))
    full = reader.size()
    if not full.isValid():  # (a picture's header cut short: not "too small")
        raise PhotoError(tr("This file is not a picture (PNG, JPEG, BMP, GIF…)."))
    if full.width() > PIXEL_LIMIT or full.height() > PIXEL_LIMIT:
        raise PhotoError(tr("The picture is too large (at most 12 000 pixels a side)."))
    side = min(full.width(), full.height())
    if side < 16:
        raise PhotoError(tr("The picture is too small (at least 16 pixels a side)."))
    # only the centre square, read already scaled (a big picture is never decoded whole)
    scale = SIDE / side
    reader.setScaledSize(
        QSize(max(1, round(full.width() * scale)), max(1, round(full.height() * scale)))
    )
    image = reader.read()
    if image.isNull():
        raise PhotoError(tr("This file is not a picture (PNG, JPEG, BMP, GIF…)."))
    square = min(image.width(), image.height())
    crop = QRect((image.width() - square) // 2, (image.height() - square) // 2, square, square)
    image = image.copy(crop).scaled(
        SIDE, SIDE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    out = QImage(SIDE, SIDE, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(0, 0, SIDE, SIDE)
    painter.setClipPath(clip)
    painter.drawImage(0, 0, image)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    out.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; PySide takes str)
    buffer.close()
    png = bytes(data.data())
    if len(png) > MAX_BYTES:
        raise PhotoError(tr("The photo came out too large; try a simpler picture."))
    return png
