"""A workstation whose clock is hours off: the server's clock is read from its replies'
`Date` header, and what compares with the server's times uses it — the reply-time guard
(red at once, or never amber, before) and a disconnection "for an hour" (sent as a time
already past)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from app.net.api import ApiClient
from app.net.clock import SLACK_S, offset_from
from tests.app.workplaces import serving

pytestmark = pytest.mark.core

AHEAD = timedelta(hours=3)


def test_the_offset_is_read_from_the_date_header() -> None:
    now = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
    header = format_datetime(now + AHEAD, usegmt=True)
    assert offset_from(header, now.timestamp()) == AHEAD.total_seconds()
    assert offset_from(format_datetime(now, usegmt=True), now.timestamp() + SLACK_S / 2) == 0.0
    assert offset_from(None) is None and offset_from("not a date") is None


@pytest.fixture
async def server_ahead() -> AsyncIterator[str]:
    async def reply(_request: web.Request) -> web.Response:
        date = format_datetime(datetime.now(UTC) + AHEAD, usegmt=True)
        return web.json_response({}, headers={"Date": date})

    async for url in serving(reply):
        yield url


async def test_the_client_keeps_the_servers_clock(server_ahead: str) -> None:
    api = ApiClient(server_ahead)
    try:
        await api.call("GET", "/anything", auth=False)
    finally:
        await api.close()
    assert abs(api.clock_offset - AHEAD.total_seconds()) <= 2


def test_a_disconnection_for_an_hour_counts_from_the_servers_now(qtbot: object) -> None:
    from ui.disconnect.dialog import DisconnectDialog

    dialog = DisconnectDialog("Иванов Иван")
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    hour = next(
        i
        for i in range(dialog.how_long.count())
        if dialog.how_long.itemData(i) == timedelta(hours=1)
    )
    dialog.how_long.setCurrentIndex(hour)
    server_now = datetime.now(UTC) + AHEAD
    assert dialog.until(server_now) == server_now + timedelta(hours=1)
