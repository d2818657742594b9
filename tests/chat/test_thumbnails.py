"""Thumbnails of received images: a bounded decode (ui/chat/thumbs.py), and hostile files
(empty, lying about their type) shown without a picture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.chat.xvfb import ROOT
from ui.chat.thumbs import decode_thumbnail

pytestmark = pytest.mark.chat
LIMIT_KB = 20 * 1024  # the budget for one 6000×6000 image


def big_image(path: Path) -> Path:
    image = QImage(6000, 6000, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path), quality=80)
    return path


def child(path: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "tests.chat.thumb_child", str(path)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_6000_by_6000_photo_costs_a_few_megabytes(tmp_path: Path, qapp: object) -> None:
    measured = child(big_image(tmp_path / "photo.jpg"))
    assert measured["size"] == [180, 180]
    assert int(measured["added_kb"]) <= LIMIT_KB, measured  # type: ignore[call-overload]


def test_a_huge_png_is_not_decoded_whole(tmp_path: Path, qapp: object) -> None:
    measured = child(big_image(tmp_path / "scan.png"))
    assert measured["size"] is None  # no scaled decode for PNG: no picture, the file box
    assert int(measured["added_kb"]) <= LIMIT_KB, measured  # type: ignore[call-overload]


def test_hostile_images_give_no_thumbnail(tmp_path: Path, qapp: object) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    lying = tmp_path / "lying.png"
    lying.write_bytes(b"MZ\x90\x00 not an image at all")
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(big_image(tmp_path / "whole.jpg").read_bytes()[:200])
    for path in (empty, lying, truncated):
        assert decode_thumbnail(path) is None, path.name
    small = tmp_path / "small.png"
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    image.save(str(small))
    thumb = decode_thumbnail(small)
    assert thumb is not None and (thumb.width(), thumb.height()) == (240, 180)
