"""The demo's portraits: 96×96 PNGs of a head-and-shoulders silhouette on a soft coloured
background (no real people), drawn in plain Python and written with zlib.

The seed reads the committed files in ``server/demo/avatars/`` (drawing them at seed time
would cost the demo's cold start); this module reproduces them::

    python -m server.demo.avatar_art            # rewrite server/demo/avatars/*.png
    python -m server.demo.avatar_art --out DIR
"""

from __future__ import annotations

import argparse
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SIZE = 96
SUPERSAMPLE = 3  # samples per pixel side: smooth edges
AVATARS = Path(__file__).with_name("avatars")

RGB = tuple[int, int, int]
Shape = Callable[[float, float], bool]


@dataclass(frozen=True, slots=True)
class Portrait:
    top: RGB  # the background's gradient, top to bottom
    bottom: RGB
    hair: str  # none / short / long
    head_y: float  # the head's centre and radius, as fractions of the side
    head_r: float
    shoulders: float  # half the shoulders' width


PORTRAITS = (
    Portrait((178, 206, 236), (132, 168, 214), "short", 0.40, 0.170, 0.40),
    Portrait((244, 196, 176), (226, 150, 132), "long", 0.41, 0.160, 0.36),
    Portrait((180, 222, 196), (128, 186, 152), "none", 0.40, 0.175, 0.42),
    Portrait((214, 196, 238), (170, 148, 214), "long", 0.42, 0.165, 0.37),
    Portrait((250, 222, 164), (232, 186, 110), "short", 0.39, 0.170, 0.41),
    Portrait((168, 220, 224), (112, 182, 192), "short", 0.41, 0.180, 0.43),
    Portrait((240, 188, 206), (214, 138, 166), "long", 0.40, 0.160, 0.35),
    Portrait((206, 214, 180), (162, 176, 124), "none", 0.41, 0.170, 0.40),
    Portrait((196, 204, 222), (146, 158, 188), "short", 0.40, 0.165, 0.39),
    Portrait((238, 206, 186), (206, 164, 136), "long", 0.42, 0.170, 0.38),
)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _layers(p: Portrait) -> list[tuple[Shape, RGB]]:
    """The figure's shapes, back to front (coordinates: fractions of the side, y down)."""
    middle = _mix(p.top, p.bottom, 0.5)
    figure = _mix(middle, (255, 255, 255), 0.72)
    hair = _mix(middle, (40, 40, 56), 0.55)
    cy, r, w = p.head_y, p.head_r, p.shoulders

    def head(x: float, y: float) -> bool:
        return (x - 0.5) ** 2 + (y - cy) ** 2 <= r * r

    def neck(x: float, y: float) -> bool:
        return abs(x - 0.5) <= r * 0.55 and cy <= y <= cy + r * 1.8

    def shoulders(x: float, y: float) -> bool:
        return ((x - 0.5) / w) ** 2 + ((y - 1.04) / 0.38) ** 2 <= 1.0

    def long_hair(x: float, y: float) -> bool:
        return ((x - 0.5) / (r * 1.22)) ** 2 + ((y - cy - r * 0.45) / (r * 1.55)) ** 2 <= 1.0

    def short_hair(x: float, y: float) -> bool:
        cap = (x - 0.5) ** 2 + (y - cy + r * 0.08) ** 2 <= (r * 1.08) ** 2
        return cap and y <= cy - r * 0.45 + 0.7 * (x - 0.5) ** 2 / r  # a fringe, lower at the sides

    layers: list[tuple[Shape, RGB]] = []
    if p.hair == "long":
        layers.append((long_hair, hair))
    layers += [(shoulders, figure), (neck, figure), (head, figure)]
    if p.hair in ("short", "long"):
        layers.append((short_hair, hair))
    return layers


def pixels(p: Portrait) -> list[list[RGB]]:
    """Rows of RGB pixels, each the average of SUPERSAMPLE² samples."""
    layers = list(reversed(_layers(p)))  # front first: the first hit is what shows
    n = SUPERSAMPLE
    area = n * n
    rows = []
    for py in range(SIZE):
        background = _mix(p.top, p.bottom, py / (SIZE - 1))
        row = []
        for px in range(SIZE):
            total = [0, 0, 0]
            for sy in range(n):
                y = (py + (sy + 0.5) / n) / SIZE
                for sx in range(n):
                    x = (px + (sx + 0.5) / n) / SIZE
                    colour = next((c for shape, c in layers if shape(x, y)), background)
                    total[0] += colour[0]
                    total[1] += colour[1]
                    total[2] += colour[2]
            row.append((round(total[0] / area), round(total[1] / area), round(total[2] / area)))
        rows.append(row)
    return rows


def png(rows: list[list[RGB]]) -> bytes:
    """An 8-bit RGB PNG; each row filtered "Up" (the gradient is the same along a row)."""
    height, width = len(rows), len(rows[0])
    raw = bytearray()
    previous = bytes(width * 3)
    for row in rows:
        line = bytes(channel for pixel in row for channel in pixel)
        raw.append(2)
        raw += bytes((a - b) & 0xFF for a, b in zip(line, previous, strict=True))
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def file_name(index: int) -> str:
    return f"portrait-{index + 1:02d}.png"


def render(index: int) -> bytes:
    return png(pixels(PORTRAITS[index]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=AVATARS, help=f"default {AVATARS}")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for index in range(len(PORTRAITS)):
        (args.out / file_name(index)).write_bytes(render(index))


if __name__ == "__main__":
    main()
