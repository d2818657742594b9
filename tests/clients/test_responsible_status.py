"""A responsible specialist's status is read whole in the info panel, in both languages: the
longest, «Занят для новых обращений» / "Busy for new tickets", was cut to "Busy for new …"
at the panel's usual width; a row that does not fit puts the status on a line of its own."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QStyleOptionViewItem

from tests.clients.test_info_panel import Panel, panel
from tests.window.conftest import WINDOW_MARKS, Api, speaking

pytestmark = [*WINDOW_MARKS, pytest.mark.clients]
__all__ = ["panel"]
NBSP = "\u00a0"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_busy_for_new_tickets_is_read_whole(
    panel: Panel, qtbot: Any, qapp: Any, live_server: Any, language: str
) -> None:
    from app.core.domain import Status
    from ui.mainwindow.status import status_name

    Api(live_server.url).login("d.kuznetsov").call("PUT", "/me/status", {"status": "busy_new"})
    card = next(
        c
        for c in panel.cards()
        if c["company"]
        and any(p["full_name"].startswith("Кузнецов ") for p in c["company"]["responsible"])
    )
    panel.window.resize(1280, 780)  # the window's first size
    with speaking(qapp, language):
        busy = status_name(Status.BUSY_NEW)
        panel.open(card["id"])
        view = panel.section("company").responsible_view
        model = view.model()

        def texts() -> list[str]:
            return [model.index(r, 0).data().replace(NBSP, " ") for r in range(model.rowCount())]

        qtbot.waitUntil(lambda: any(busy in t for t in texts()), timeout=10_000)
        qtbot.waitUntil(lambda: view.height() >= view.sizeHint().height(), timeout=5_000)
        for r in range(model.rowCount()):
            index = model.index(r, 0)
            rect = view.visualRect(index)
            option = QStyleOptionViewItem()
            view.initViewItemOption(option)
            option.rect = rect
            need = view.itemDelegate().sizeHint(option, index)
            assert need.width() <= view.viewport().width(), texts()[r]  # not cut at its end
            assert need.height() <= rect.height(), texts()[r]  # nor at its bottom
            assert rect.bottom() < view.viewport().height(), texts()[r]
