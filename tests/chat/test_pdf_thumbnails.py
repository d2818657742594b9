"""A PDF's first page as its thumbnail (app/chat/pdf_preview.py, ui/chat/thumbs.py): shown on
the bubble of a PDF the client sent and of one the specialist sent, drawn in the chat (its
pixels are the page's, not blank); a corrupt and an encrypted PDF keep the plain file box; a
20 000×20 000 pt page and a stuck renderer are bounded in memory and time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from app.chat import pdf_preview
from tests.chat.pdfs import BLUE, ORANGE, make_pdf
from tests.chat.shown import Shown, shown
from tests.chat.test_files_window import open_chat, upload, wait_file_message
from tests.chat.xvfb import ROOT
from tests.window.conftest import WINDOW_MARKS, Api, run_async
from ui.chat.attachments import file_lines

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]

CHILD_MEMORY_KB = 80 * 1024  # a whole child (Python + PDFium) rendering one page
RENDER_MEMORY_KB = 16 * 1024  # PDFium loaded and one page rendered (≈ 9 MB here)
RENDER_SECONDS = 5.0  # one page's render, on a loaded 2-core machine (milliseconds when quiet)


def near(color: QColor, rgb: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color.getRgb()[:3], rgb, strict=True))


def count_near(image: QImage, rgb: tuple[int, int, int]) -> int:
    return sum(
        near(image.pixelColor(x, y), rgb)
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )


def wait_thumb(shown: Shown, row: int) -> QImage | None:
    w = shown.window
    message = w.chat_model.message_at(row)
    assert message is not None and message.file is not None
    file_id = message.file.id
    w.chat_view.scrollTo(w.chat_model.index(row, 0))
    shown.qtbot.waitUntil(lambda: file_id in w.chat.thumbs.finished, timeout=30_000)
    return w.chat.thumbs.peek(file_id)


def test_a_pdf_sent_either_way_shows_its_first_page(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any
) -> None:
    w = shown.window
    user = open_chat(shown)
    client = Api(live_server.url).login(user["login"])
    upload(client, user["chat_id"], "счёт.pdf", make_pdf(595, 842), "application/pdf")
    row = wait_file_message(shown, "счёт.pdf")
    thumb = wait_thumb(shown, row)
    assert thumb is not None
    assert thumb.height() == 180 and 120 <= thumb.width() <= 130  # A4 fitted into 240×180
    assert count_near(thumb, BLUE) > 1000 and count_near(thumb, ORANGE) > 200  # not blank
    # drawn in the bubble: the chat's pixels show the page
    qtbot.waitUntil(lambda: count_near(w.chat_view.viewport().grab().toImage(), BLUE) > 800)

    # the specialist's own PDF, landscape, by the 📎 button
    sent = tmp_path / "план.pdf"
    sent.write_bytes(make_pdf(842, 595))
    w.chat.files.ask_open = lambda: [str(sent)]
    with qtbot.waitSignal(w.chat.files.sig_sent, timeout=15_000):
        qtbot.mouseClick(w.chat.attach_button, Qt.MouseButton.LeftButton)
    own = wait_thumb(shown, wait_file_message(shown, "план.pdf"))
    assert own is not None and own.width() == 240 and 165 <= own.height() <= 175
    assert count_near(own, ORANGE) > 300


def test_a_corrupt_or_encrypted_pdf_keeps_the_plain_file_box(
    shown: Shown, qtbot: Any, live_server: Any, caplog: Any
) -> None:
    w = shown.window
    user = open_chat(shown)
    client = Api(live_server.url).login(user["login"])
    whole = make_pdf(595, 842)
    broken = {
        "обрезан.pdf": whole[: len(whole) // 3],
        "зашифрован.pdf": make_pdf(595, 842, encrypted=True),
        "мусор.pdf": b"%PDF-1.7\n" + os.urandom(4096),
    }
    caplog.set_level("INFO", logger="linedesk.chat.pdf_preview")
    for name, data in broken.items():
        upload(client, user["chat_id"], name, data, "application/pdf")
        row = wait_file_message(shown, name)
        assert wait_thumb(shown, row) is None, name
        message = w.chat_model.message_at(row)
        assert message is not None and message.file is not None
        title, details = file_lines(message.file)  # the plain box: name, size · type
        assert title == f"📄 {name}" and details.endswith(" · application/pdf"), details
    said = [r.getMessage() for r in caplog.records if r.name == "linedesk.chat.pdf_preview"]
    assert len(said) == 3 and all("failed" in s for s in said), said
    assert any("password" in s.lower() for s in said), said


def _render_alone(source: Path) -> dict[str, Any]:
    """One render in a fresh process: its size, seconds, and peak memory (kB) before and after
    PDFium's work (tests/chat/pdf_child.py)."""
    target = source.with_suffix(".ppm")
    done = subprocess.run(
        [sys.executable, "-m", "tests.chat.pdf_child", str(source), str(target)],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_20000_pt_page_costs_a_thumbnail_not_a_page(tmp_path: Path, capsys: Any) -> None:
    small, huge = tmp_path / "a4.pdf", tmp_path / "huge.pdf"
    small.write_bytes(make_pdf(595, 842))
    huge.write_bytes(make_pdf(20_000, 20_000))  # 278×278 in at 72 dpi: 1.6 GB as RGBA
    measured = {source.name: _render_alone(source) for source in (small, huge)}
    with capsys.disabled():
        print(f"\nPDF preview, rendered alone: {measured}")
    assert measured["huge.pdf"]["size"] == [180, 180]
    picture = QImage(str(huge.with_suffix(".ppm")))
    assert (picture.width(), picture.height()) == (180, 180)
    assert near(picture.pixelColor(10, 10), BLUE) and near(picture.pixelColor(60, 150), ORANGE)
    for name, figures in measured.items():
        assert figures["peak_kb"] <= CHILD_MEMORY_KB, (name, figures)
        assert figures["peak_kb"] - figures["before_kb"] <= RENDER_MEMORY_KB, (name, figures)
        assert figures["seconds"] <= RENDER_SECONDS, (name, figures)
    # the huge page cost what the small one did: a thumbnail, not a page (1.6 GB as RGBA)
    assert measured["huge.pdf"]["peak_kb"] - measured["a4.pdf"]["peak_kb"] <= 2 * 1024, measured


def test_a_renderer_that_does_not_answer_is_stopped(tmp_path: Path, qtbot: Any, aloop: Any) -> None:
    source = tmp_path / "a4.pdf"
    source.write_bytes(make_pdf(595, 842))
    target = tmp_path / "a4.ppm"
    # no child starts Python and PDFium in a millisecond: it is killed, and nothing is kept
    assert not run_async(qtbot, pdf_preview.render_in_child(source, target, seconds=0.001))
    assert not target.exists() and not target.with_name("a4.ppm.part").exists()
    assert run_async(qtbot, pdf_preview.render_in_child(source, target))
    assert QImage(str(target)).height() == 180
