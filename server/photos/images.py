"""What an uploaded picture is: PNG or JPEG told by its magic bytes, its size read from the
PNG ``IHDR`` chunk or the JPEG ``SOFn`` segment, its structure walked to the end (plain
Python: no image library, nothing is decoded)."""

from __future__ import annotations

import struct
import zlib

PNG = "image/png"
JPEG = "image/jpeg"
NAMES = {PNG: "PNG", JPEG: "JPEG"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
# Bit depths allowed for each PNG colour type (PNG spec, 11.2.2).
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
# Start-of-frame markers (baseline, progressive, lossless …); not DHT (C4), JPG (C8), DAC (CC).
_SOF = frozenset({*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0)})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RSTn: no length
_SOS, _EOI = 0xDA, 0xD9


class BadImage(ValueError):
    """The bytes are not a usable picture; the message says why (shown to the uploader)."""


def sniff(data: bytes) -> str | None:
    """The media type the magic bytes tell, or None."""
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(JPEG_START):
        return JPEG
    return None


def check(data: bytes, declared: str, low: int, high: int) -> tuple[int, int]:
    """Width and height of ``data``, a whole image of the ``declared`` type (PNG or JPEG)
    with both sides in ``low..high``; :class:`BadImage` otherwise."""
    if not data:
        raise BadImage("the body is empty")
    actual = sniff(data)
    name = NAMES[declared]
    if actual is None:
        raise BadImage(f"the body is not a {name} image")
    if actual != declared:
        raise BadImage(f"the body is a {NAMES[actual]} image, not {name} as declared")
    return _png(data, low, high) if declared == PNG else _jpeg(data, low, high)


def _fits(width: int, height: int, low: int, high: int) -> None:
    if not (low <= width <= high and low <= height <= high):
        raise BadImage(
            f"the image is {width}×{height} pixels; width and height must be in {low}..{high}"
        )


def _png(data: bytes, low: int, high: int) -> tuple[int, int]:
    size: tuple[int, int] | None = None
    has_data = False
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise BadImage("the PNG image is truncated")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > len(data):
            raise BadImage("the PNG image is truncated")
        if not kind.isalpha():
            raise BadImage("the PNG image is corrupt (a bad chunk type)")
        body = data[pos + 8 : end - 4]
        if zlib.crc32(kind + body) != struct.unpack_from(">I", data, end - 4)[0]:
            raise BadImage(f"the PNG image is corrupt (a bad CRC in {kind.decode()})")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise BadImage("the PNG image does not begin with its IHDR header")
            width, height, depth, colour, compression, filtering, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            _fits(width, height, low, high)
            if (
                depth not in _PNG_DEPTHS.get(colour, ())
                or compression != 0
                or filtering != 0
                or interlace not in (0, 1)
            ):
                raise BadImage("the PNG header (IHDR) is invalid")
            size = width, height
        elif kind == b"IDAT":
            has_data = True
        elif kind == b"IEND":
            if not has_data:
                raise BadImage("the PNG image has no image data (IDAT)")
            if end != len(data):
                raise BadImage("there are bytes after the end of the PNG image")
            assert size is not None  # the first chunk was IHDR
            return size
        pos = end


def _jpeg(data: bytes, low: int, high: int) -> tuple[int, int]:
    size: tuple[int, int] | None = None
    pos = 2  # after SOI
    n = len(data)
    while True:
        if pos >= n:
            raise BadImage("the JPEG image is truncated")
        if data[pos] != 0xFF:
            raise BadImage("the JPEG image is corrupt (a segment does not start with a marker)")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            raise BadImage("the JPEG image is truncated")
        marker = data[pos]
        pos += 1
        if marker in _STANDALONE:
            continue
        if marker == _EOI or marker == 0xD8:
            raise BadImage("the JPEG image has no image data")
        if pos + 2 > n:
            raise BadImage("the JPEG image is truncated")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > n:
            raise BadImage("the JPEG image is truncated")
        if marker in _SOF:
            if length < 8:
                raise BadImage("the JPEG frame header (SOF) is invalid")
            height, width = struct.unpack_from(">HH", data, pos + 3)
            _fits(width, height, low, high)
            size = width, height
        elif marker == _SOS:
            if size is None:
                raise BadImage("the JPEG image has no frame header (SOF) before its data")
            # entropy-coded data follows: the image must end there, with EOI
            if n < pos + length + 2 or not data.endswith(b"\xff\xd9"):
                raise BadImage("the JPEG image is truncated (no end-of-image marker)")
            return size
        pos += length
