"""Files through the real window against the real server: sent by the button, by a drop
and by pasting an image; over the cap refused with the limit in words; a client's file
shown with its name, size and type, saved with Save as…; an executable never opened; Cancel
stopping a file on its way (nothing of it kept) and the next one still going; Open saving
into Downloads first, then asking the desktop's handler (set by the test through Qt's own
QDesktopServices.setUrlHandler), the same copy the second time.

The desktop's file dialogs are the one thing replaced (`ask_open`, `ask_save`): a native
dialog cannot be clicked on the offscreen platform. Everything else is the real window."""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
)
from PySide6.QtWidgets import QMenu

from app.core.domain import FileRef
from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api
from ui.chat.attachments import file_lines

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


def upload(api: Api, chat_id: int, name: str, data: bytes, content_type: str) -> Any:
    """The client's side: a multipart upload, then the message carrying the file."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f"filename*=UTF-8''{urllib.parse.quote(name, safe='')}\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{api.url}/api/v1/chats/{chat_id}/files", data=body, method="POST"
    )
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Authorization", f"Bearer {api.token}")
    with urllib.request.urlopen(request, timeout=10) as reply:
        stored = json.loads(reply.read())
    return api.call("PUT", f"/chats/{chat_id}/messages/{uuid.uuid4()}", {"file_id": stored["id"]})


def open_chat(shown: Shown) -> dict[str, Any]:
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])
    return user


def wait_file_message(shown: Shown, name: str) -> int:
    model = shown.window.chat_model

    def row() -> int:
        for r in range(model.rowCount() - 1, -1, -1):
            m = model.message_at(r)
            if m is not None and m.file is not None and m.file.name == name and m.id:
                return r
        return -1

    shown.qtbot.waitUntil(lambda: row() >= 0, timeout=15_000)
    return row()


def test_send_by_button_by_drop_and_by_paste(shown: Shown, qtbot: Any, tmp_path: Path) -> None:
    w = shown.window
    open_chat(shown)
    files = w.chat.files
    doc = tmp_path / "акт сверки.pdf"
    doc.write_bytes(b"%PDF-1.4 " + bytes(100_000))
    files.ask_open = lambda: [str(doc)]
    with qtbot.waitSignal(files.sig_sent, timeout=15_000):
        qtbot.mouseClick(w.chat.attach_button, Qt.MouseButton.LeftButton)
    wait_file_message(shown, "акт сверки.pdf")

    dropped = tmp_path / "photo.jpg"
    photo = QImage(64, 48, QImage.Format.Format_RGB32)
    photo.fill(QColor("green"))
    assert photo.save(str(dropped))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    # a drag cannot be started offscreen (QDrag.exec needs a window system): the pane's
    # handlers get the events a drop delivers, in order
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, buttons, keys)
    w.chat.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, buttons, keys)
    with qtbot.waitSignal(files.sig_sent, timeout=15_000):
        w.chat.dropEvent(drop)
    wait_file_message(shown, "photo.jpg")

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    QGuiApplication.clipboard().setImage(image)
    w.composer.setFocus()
    with qtbot.waitSignal(files.sig_sent, timeout=15_000):
        w.composer.paste()
    row = wait_file_message(shown, "image.png")
    message = w.chat_model.message_at(row)
    assert message is not None and message.file is not None
    assert message.file.content_type == "image/png" and message.file.size > 0
    assert w.composer.toPlainText() == ""  # the image did not become text
    assert not files.bar.isVisible()


def test_over_the_cap_is_refused_with_the_limit_in_words(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    w = shown.window
    open_chat(shown)
    big = tmp_path / "видео.mp4"
    with big.open("wb") as f:
        f.truncate(25 * 1024 * 1024)
    w.chat.files.ask_open = lambda: [str(big)]
    qtbot.mouseClick(w.chat.attach_button, Qt.MouseButton.LeftButton)
    banner = w.chat.banner
    qtbot.waitUntil(banner.isVisible, timeout=5_000)
    said = banner.findChildren(type(w.chat_title))
    text = " ".join(label.text() for label in said)
    assert "видео.mp4" in text and "25" in text and "20" in text
    assert not w.chat.files.bar.isVisible()


def test_a_clients_file_is_shown_and_saved(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any
) -> None:
    w = shown.window
    user = open_chat(shown)
    client = Api(live_server.url).login(user["login"])
    data = b"name;sum\n" * 500
    upload(client, user["chat_id"], "../../отчёт\u202eslx.csv", data, "text/html")
    # stored as its last part, without the control (the server drops unprintable ones)
    row = wait_file_message(shown, "отчётslx.csv")
    message = w.chat_model.message_at(row)
    assert message is not None and message.file is not None
    delegate = w.chat_view.chat_delegate
    name, details = file_lines(message.file)
    assert name == "📄 отчётslx.csv"
    assert details.startswith("4,4") and "text/html" in details  # the type as declared
    # a name kept from elsewhere with a control in it shows the control as a mark
    spoof = FileRef(1, "отчёт\u202eslx.csv", 10, "text/csv")
    assert file_lines(spoof)[0] == "📄 отчёт[RLO]slx.csv"

    target = tmp_path / "saved.csv"
    files = w.chat.files
    files.ask_save = lambda suggested: str(target)
    index = w.chat_model.index(row, 0)
    w.chat_view.scrollTo(index)
    rect = w.chat_view.visualRect(index)
    above = len(delegate.separators(index))
    layout, _doc = delegate._layout(message, rect, w.chat_view.font(), above)
    assert layout.file is not None
    qtbot.mouseClick(
        w.chat_view.viewport(), Qt.MouseButton.LeftButton, pos=layout.file.center().toPoint()
    )
    menu = w.chat_view.findChild(QMenu, "fileMenu")
    assert menu is not None
    save = next(a for a in menu.actions() if a.text() in ("Save file as…", "Сохранить файл как…"))
    with qtbot.waitSignal(files.sig_saved, timeout=15_000):
        save.trigger()
    menu.close()
    assert target.read_bytes() == data
    # an executable is never opened: the specialist is told why
    exe = upload(client, user["chat_id"], "setup.exe", b"MZ" + bytes(100), "application/pdf")
    row = wait_file_message(shown, "setup.exe")
    exe_message = w.chat_model.message_at(row)
    assert exe_message is not None and exe_message.file is not None
    assert exe["file"]["name"] == "setup.exe"
    files.open(exe_message.file)
    qtbot.waitUntil(w.chat.banner.isVisible, timeout=5_000)
    assert exe_message.file.id not in files.saved


def test_a_received_image_gets_a_thumbnail(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any
) -> None:
    w = shown.window
    user = open_chat(shown)
    client = Api(live_server.url).login(user["login"])
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    path = tmp_path / "screen.png"
    image.save(str(path))
    upload(client, user["chat_id"], "screen.png", path.read_bytes(), "image/png")
    row = wait_file_message(shown, "screen.png")
    message = w.chat_model.message_at(row)
    assert message is not None and message.file is not None
    w.chat_view.scrollTo(w.chat_model.index(row, 0))
    thumbs = w.chat.thumbs
    qtbot.waitUntil(lambda: thumbs.peek(message.file.id) is not None, timeout=10_000)
    thumb = thumbs.peek(message.file.id)
    assert thumb is not None and (thumb.width(), thumb.height()) == (240, 180)
    # the bubble grew to show it
    delegate = w.chat_view.chat_delegate
    index = w.chat_model.index(row, 0)
    layout, _doc = delegate._layout(
        message, w.chat_view.visualRect(index), w.chat_view.font(), len(delegate.separators(index))
    )
    assert layout.file is not None and layout.file.height() > 180
    # a lying "image" gets its file box only
    upload(client, user["chat_id"], "fake.png", b"MZ not a picture", "image/png")
    row = wait_file_message(shown, "fake.png")
    fake = w.chat_model.message_at(row)
    assert fake is not None and fake.file is not None
    w.chat_view.scrollTo(w.chat_model.index(row, 0))
    qtbot.waitUntil(lambda: fake.file.id in thumbs.finished, timeout=10_000)
    assert thumbs.peek(fake.file.id) is None


def test_a_file_without_words_previews_its_name_on_the_row(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    shown.open_user(users[0]["id"])
    writer = users[-1]
    client = Api(live_server.url).login(writer["login"])
    pdf = b"%PDF-1.4\n" + bytes(64)
    upload(client, writer["chat_id"], "акт сверки.pdf", pdf, "application/pdf")
    delegate = w.users.users_delegate

    def preview() -> str:  # the row's third line, as its delegate paints it
        row = shown.wp.users.get(writer["id"])
        return "" if row is None or row.last_message is None else delegate.preview(row.last_message)

    qtbot.waitUntil(lambda: preview() == "📎 \u2068акт сверки.pdf\u2069", timeout=15_000)
    # the server's rows say it too (a list loaded afresh, the cache)
    again = next(u for u in shown.server_order(line_id) if u["id"] == writer["id"])
    assert again["last_message"]["file_name"] == "акт сверки.pdf"
    assert again["last_message"]["text"] == ""


def test_cancel_stops_a_file_on_its_way_and_the_next_one_goes(
    shown: Shown, qtbot: Any, tmp_path: Path
) -> None:
    w = shown.window
    user = open_chat(shown)
    files = w.chat.files
    big = tmp_path / "выгрузка.zip"
    big.write_bytes(bytes(12 * 1024 * 1024))
    cancelled: list[int] = []

    def on_progress(value: int) -> None:  # Cancel clicked while the file is on its way
        if 0 < value < 1000 and not cancelled:
            cancelled.append(value)
            assert files.bar.isVisible()
            qtbot.mouseClick(files.bar.cancel, Qt.MouseButton.LeftButton)

    files.bar.progress.valueChanged.connect(on_progress)
    files.send_paths([big])
    qtbot.waitUntil(lambda: bool(cancelled) and not files.bar.isVisible(), timeout=15_000)
    files.bar.progress.valueChanged.disconnect(on_progress)
    # nothing of it went: no message, not among the chat's files on the server
    small = tmp_path / "after.txt"
    small.write_bytes(b"still works")
    with qtbot.waitSignal(files.sig_sent, timeout=15_000):
        files.send_paths([small])
    wait_file_message(shown, "after.txt")
    names = [
        m.file.name
        for r in range(w.chat_model.rowCount())
        if (m := w.chat_model.message_at(r)) is not None and m.file is not None
    ]
    assert "выгрузка.zip" not in names
    listed = shown.api.call("GET", f"/chats/{user['chat_id']}/files")["items"]
    assert "выгрузка.zip" not in [m["file"]["name"] for m in listed]


class _Desktop(QObject):
    """The desktop's handler of file: URLs, as Qt lets a program set it
    (QDesktopServices.setUrlHandler): what Open asked the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


def test_open_saves_into_downloads_first_then_asks_the_desktop(
    shown: Shown, qtbot: Any, tmp_path: Path, live_server: Any, monkeypatch: Any
) -> None:
    w = shown.window
    user = open_chat(shown)
    downloads = tmp_path / "Загрузки"
    config = tmp_path / "config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    client = Api(live_server.url).login(user["login"])
    data = b"%PDF-1.4 invoice " + bytes(5000)
    upload(client, user["chat_id"], "накладная.pdf", data, "application/pdf")
    message = w.chat_model.message_at(wait_file_message(shown, "накладная.pdf"))
    assert message is not None and message.file is not None
    desktop = _Desktop()
    QDesktopServices.setUrlHandler("file", desktop, "open")
    try:
        w.chat.files.open(message.file)
        qtbot.waitUntil(lambda: bool(desktop.opened), timeout=15_000)
        # Open again: the same saved copy, not a second download
        w.chat.files.open(message.file)
        qtbot.waitUntil(lambda: len(desktop.opened) == 2, timeout=15_000)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    first, second = desktop.opened
    assert first == second == downloads / "накладная.pdf"
    assert first.read_bytes() == data
    assert [p.name for p in downloads.iterdir()] == ["накладная.pdf"]  # no .part left
