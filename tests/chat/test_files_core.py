"""Files through the core (app/chat/files.py) against the real server: sent with progress,
refused over the cap before a byte goes, saved to disk; hostile names stored safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.chat import files
from app.chat.names import is_risky, safe_name
from app.core import changes as ch
from app.core.problems import ProblemCode
from app.workplace import Workplace
from tests.app.workplaces import Recorder, open_last_user, until

pytestmark = [pytest.mark.chat, pytest.mark.core]


async def test_a_file_is_sent_with_progress_and_saved_back(
    signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    wp, rec = signed_in
    _user_id, row = await open_last_user(wp)
    assert row.chat_id is not None
    data = bytes(range(256)) * 1000  # 256 000 bytes: several chunks
    path = tmp_path / "отчёт за март.pdf"
    path.write_bytes(data)
    seen: list[tuple[int, int]] = []
    sent = await wp.act(files.SEND_FILE, row.chat_id, path, lambda d, t: seen.append((d, t)))
    assert sent is not None and sent.file is not None, rec.of(ch.Problem)
    assert (sent.file.name, sent.file.size) == ("отчёт за март.pdf", len(data))
    assert sent.file.content_type == "application/pdf"
    assert seen[-1] == (len(data), len(data)) and len(seen) > 1
    # it comes into the open chat as a message with its file
    chat = wp.chats[row.chat_id]
    await until(lambda: any(m.id == sent.id for m in chat.messages), what="message.created")
    # saved back: the same bytes, no ".part" left
    target = tmp_path / "saved" / "copy.pdf"
    target.parent.mkdir()
    saved = await wp.act(files.SAVE_FILE, sent.file, target, None)
    assert saved == target and target.read_bytes() == data
    assert list(target.parent.iterdir()) == [target]


async def test_over_the_cap_is_refused_before_upload(
    signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    wp, rec = signed_in
    _user_id, row = await open_last_user(wp)
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written
    calls: list[int] = []
    sent = await wp.act(files.SEND_FILE, row.chat_id, big, lambda d, t: calls.append(d))
    assert sent is None and calls == []  # not one chunk went
    problem = rec.of(ch.Problem)[-1]
    assert problem.code is ProblemCode.TOO_LARGE


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("a" * 300 + ".txt", "a" * 251 + ".txt"),
        ("счёт\u202eexe.txt", "счёт exe.txt"),
        ("", "file"),
        ("..", "file"),
        ('con:<>|?*".png', "con_______.png"),
    ],
)
def test_a_hostile_name_is_offered_safely(name: str, stored: str) -> None:
    assert safe_name(name) == stored
    assert len(safe_name(name).encode()) <= 255


def test_long_cyrillic_name_keeps_its_extension_within_255_bytes() -> None:
    name = safe_name("я" * 200 + ".docx")
    assert name.endswith(".docx") and len(name.encode()) <= 255


def test_executables_and_scripts_are_never_opened() -> None:
    for name in ("setup.exe", "report.pdf.exe", "run.SH", "x.ps1", "Launch.desktop", "noext"):
        assert is_risky(name), name
    for name in ("photo.jpg", "run.sh.txt", "table.xlsx", "doc.pdf"):
        assert not is_risky(name), name


async def test_hostile_uploads_are_stored_safely(
    signed_in: tuple[Workplace, Recorder], tmp_path: Path
) -> None:
    """The server keeps the name's last part, the empty file and a zero-byte "image"."""
    wp, rec = signed_in
    _user_id, row = await open_last_user(wp)
    empty = tmp_path / "пусто.png"
    empty.write_bytes(b"")
    sent = await wp.act(files.SEND_FILE, row.chat_id, empty, None)
    assert sent is not None and sent.file is not None, rec.of(ch.Problem)
    assert (sent.file.name, sent.file.size) == ("пусто.png", 0)
    long_name = tmp_path / ("д" * 120 + ".txt")
    long_name.write_bytes(b"x")
    sent = await wp.act(files.SEND_FILE, row.chat_id, long_name, None)
    assert sent is not None and sent.file is not None
    assert sent.file.name == "д" * 120 + ".txt"
