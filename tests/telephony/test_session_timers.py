"""RFC 4028 session timers against sipp: a caller that refreshes and then vanishes (we end
the call with a BYE, as lost), a callee that makes us the refresher (our UPDATEs), and an
interval below our Min-SE (422)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from telephony.problems import CallState, EndReason
from telephony.sip.ua import UserAgent
from tests.telephony.peers import free_udp_port, start_sipp
from tests.telephony.test_defects import SCENARIOS, answering, sipp_result

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine


def media() -> list[str]:
    return ["-mi", "127.0.0.1", "-mp", str(free_udp_port())]


async def test_a_caller_that_stops_refreshing_is_ended_as_lost(
    tmp_path: Path, ua: UserAgent
) -> None:
    ua.min_session_expires = 2  # (the RFC's floor is 90 s: the test asks for 4)
    ua.rtp_timeout = 0  # the session timer, not the silence, must end it
    rang = answering(ua)
    scenario = str(SCENARIOS / "session_timer_uac.xml")
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    sipp, _ = start_sipp(tmp_path / "sipp", ["-sf", scenario, target, *media()])
    try:
        # its two refreshes re-armed our watchdog; then our BYE came, and it answered it
        assert await sipp_result(sipp) == 0, sipp.output()
        assert len(rang) == 1
        async with asyncio.timeout(LIMIT):
            await rang[0].ended.wait()
        assert rang[0].reason is EndReason.LOST
    finally:
        sipp.stop()


async def test_a_callee_that_makes_us_the_refresher_gets_our_updates(
    tmp_path: Path, ua: UserAgent
) -> None:
    scenario = str(SCENARIOS / "session_timer_uas.xml")
    sipp, port = start_sipp(tmp_path / "sipp", ["-sf", scenario, *media()])
    sipp.wait_bound(port)
    try:
        call = await ua.call(f"sip:callee@127.0.0.1:{port}")
        async with asyncio.timeout(LIMIT):
            await call.wait_state(CallState.CONNECTED, CallState.ENDED)
            assert call.state is CallState.CONNECTED, (call.reason, call.status)
            while call.session_refreshes < 2:  # at half the interval: about every 2 s
                assert call.state is CallState.CONNECTED, (call.reason, call.status)
                await asyncio.sleep(0.1)
            await call.hang_up()
        assert call.reason is EndReason.HUNG_UP and call.status == 200
        assert await sipp_result(sipp) == 0, sipp.output()
    finally:
        sipp.stop()


async def test_an_interval_below_our_min_se_is_422(tmp_path: Path, ua: UserAgent) -> None:
    rang = answering(ua)
    scenario = str(SCENARIOS / "session_too_small_uac.xml")
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    sipp, _ = start_sipp(tmp_path / "sipp", ["-sf", scenario, target, *media()])
    try:
        assert await sipp_result(sipp) == 0, sipp.output()
        assert rang == []  # it never rang
    finally:
        sipp.stop()
