"""The info panel's history of the user, through the real window against the real server:
their tickets on this line (this one and the last ones — opened, holder, finished, rating),
following the ticket's life live; the files of this line's chat, newest first, joined live,
saved with Save as… and never opened when they could run a program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.chat.test_files_window import upload
from tests.clients.test_info_panel import Panel, panel
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
__all__ = ["panel"]


def rows(view: Any) -> list[str]:
    """The rows as read (someone else's names are isolated for direction: FSI … PDI)."""
    model = view.model()
    return [
        model.index(r, 0).data().replace("\u2068", "").replace("\u2069", "")
        for r in range(model.rowCount())
    ]


def a_client(panel: Panel) -> dict[str, Any]:
    """A client user (not a colleague) with a chat on the line and no open ticket."""
    return next(
        c for c in panel.cards() if not c["colleague"] and c["chat_id"] and c["open_ticket"] is None
    )


@pytest.mark.tickets
def test_the_users_tickets_this_one_and_the_last_ones(panel: Panel, qtbot: Any) -> None:
    card = a_client(panel)
    chat_id = card["chat_id"]
    before = panel.api.call("GET", f"/chats/{chat_id}/tickets")["items"]
    panel.open(card["id"])
    section = panel.section("tickets")
    qtbot.waitUntil(lambda: len(rows(section.view)) == len(before) or bool(before) is False)
    if not before:
        assert section.empty.isVisibleTo(panel.window)
    # Start work: this ticket shows at the top, open, held by me
    ticket = panel.api.call("POST", f"/chats/{chat_id}/ticket")
    qtbot.waitUntil(lambda: len(rows(section.view)) == len(before) + 1, timeout=10_000)
    top = rows(section.view)[0]
    assert "Демидова Анна Сергеевна" in top and "open now" in top
    # finished, then rated by the user: the row says so, the tooltip has the comment
    panel.api.call("POST", f"/tickets/{ticket['id']}/finish")
    qtbot.waitUntil(lambda: "finished" in rows(section.view)[0], timeout=10_000)
    client = Api(panel.api.url).login(card["login"])
    client.call(
        "POST", f"/tickets/{ticket['id']}/rating", {"score": 4, "comment": "<b>спасибо</b>"}
    )
    qtbot.waitUntil(lambda: rows(section.view)[0].endswith("★★★★"), timeout=10_000)
    tip = section.view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Rating: 4 of 5" in tip and "&lt;b&gt;спасибо&lt;/b&gt;" in tip  # shown as typed
    assert f"Ticket {ticket['id']}" in tip and "by Start work" in tip


@pytest.mark.chat
def test_the_chats_files_newest_first_saved_and_never_run(
    panel: Panel, qtbot: Any, tmp_path: Path
) -> None:
    card = a_client(panel)
    chat_id = card["chat_id"]
    client = Api(panel.api.url).login(card["login"])
    upload(client, chat_id, "акт сверки.pdf", b"%PDF-1.4 first", "application/pdf")
    panel.open(card["id"])
    section = panel.section("files")
    qtbot.waitUntil(lambda: rows(section.view)[:1] == ["акт сверки.pdf · 14\xa0B"], timeout=10_000)
    # a file sent while the user is open joins the list at the top
    upload(client, chat_id, "setup.exe", b"MZ not really", "application/octet-stream")
    qtbot.waitUntil(lambda: rows(section.view)[0].startswith("setup.exe"), timeout=10_000)
    assert rows(section.view)[1].startswith("акт сверки.pdf")
    assert rows(section.view) == [
        f"{m['file']['name']} · {m['file']['size']}\xa0B"
        for m in panel.api.call("GET", f"/chats/{chat_id}/files")["items"]
    ]
    # an executable: not opened, and the specialist is told why
    files = panel.window.chat.files
    section.view.setCurrentIndex(section.view.model().index(0, 0))
    qtbot.mouseClick(section.open_button, Qt.MouseButton.LeftButton)
    banner = panel.window.chat.banner
    qtbot.waitUntil(lambda: banner.isVisible() and "setup.exe" in banner.label.text())
    assert not files.saved
    # Save as… goes where the specialist says
    target = tmp_path / "saved.pdf"
    files.ask_save = lambda suggested: str(target)
    section.view.setCurrentIndex(section.view.model().index(1, 0))
    with qtbot.waitSignal(files.sig_saved, timeout=15_000):
        qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == b"%PDF-1.4 first"
