"""A workstation whose clock is hours off: the server's clock is read from its replies'
`Date` header, and what compares with the server's times uses it — the reply-time guard
(red at once, or never amber, before) and a disconnection "for an hour" (sent as a time
already past). Only the server's own successful API replies teach it, and the one-second
`Date` does not make it jump on every reply."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from app.net.api import ApiClient
from app.net.clock import HYSTERESIS_S, learnt, offset_from
from app.net.errors import ApiError
from tests.app.workplaces import serving

pytestmark = pytest.mark.core

AHEAD = timedelta(hours=3)


def test_the_offset_is_read_from_the_date_header() -> None:
    now = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
    header = format_datetime(now + AHEAD, usegmt=True)
    assert offset_from(header, now.timestamp()) == AHEAD.total_seconds()
    assert offset_from(None) is None and offset_from("not a date") is None


def test_a_sample_within_the_hysteresis_keeps_the_offset() -> None:
    now = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
    date = format_datetime(now, usegmt=True)
    json = "application/json"
    # a right clock: the whole-second Date is up to a second and a round trip behind
    assert learnt(0.0, 200, json, date, now.timestamp() + 0.9) == 0.0
    ahead = AHEAD.total_seconds()
    assert learnt(ahead, 200, json, date, now.timestamp() - ahead + 1.0) == ahead
    stepped = ahead + HYSTERESIS_S + 1
    assert learnt(ahead, 204, "", date, now.timestamp() - stepped) == stepped


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


def date_ahead(by: timedelta) -> str:
    return format_datetime(datetime.now(UTC) + by, usegmt=True)


async def offsets_after(replies: list[Callable[[], web.Response]]) -> list[float]:
    """The client's offset after each reply of a server that gives `replies` in turn."""
    given = iter(replies)

    async def reply(_request: web.Request) -> web.Response:
        return next(given)()

    offsets = []
    async for url in serving(reply):
        api = ApiClient(url)
        try:
            for _ in replies:
                with contextlib.suppress(ApiError):
                    await api.call("GET", "/anything", auth=False)
                offsets.append(api.clock_offset)
        finally:
            await api.close()
    return offsets


async def test_a_proxys_page_or_a_5xx_does_not_set_the_clock() -> None:
    def far() -> dict[str, str]:
        return {"Date": date_ahead(timedelta(hours=-5))}

    def proxy() -> web.Response:
        return web.Response(status=502, text="<html>Bad gateway</html>", headers=far())

    def portal() -> web.Response:
        return web.Response(text="<html>Sign in to the Wi-Fi</html>", headers=far())

    def failing() -> web.Response:
        return web.json_response({"title": "oops"}, status=503, headers=far())

    assert await offsets_after([proxy, portal, failing]) == [0.0, 0.0, 0.0]


async def test_the_offset_does_not_jump_by_the_dates_second() -> None:
    def ahead(seconds: int) -> Callable[[], web.Response]:
        by = AHEAD + timedelta(seconds=seconds)
        return lambda: web.json_response({}, headers={"Date": date_ahead(by)})

    first, *then = await offsets_after([ahead(s) for s in (0, -1, 1, 0, -1)])
    assert abs(first - AHEAD.total_seconds()) <= 2
    assert then == [first] * len(then)


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
