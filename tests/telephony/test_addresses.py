"""From/To/Contact values with what a parser trips on, read by LineDesk's own name-addr
scanner (telephony/sip/address.py), not aiosipua 0.7.1's `parse_address`, which takes the
first `<` as the start of the URI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from telephony.call import Call
from telephony.problems import EndReason
from telephony.sip import address
from telephony.sip.ua import UserAgent
from tests.telephony.peers import free_udp_port, start_sipp

pytestmark = pytest.mark.telephony
LIMIT = 30  # an upper bound for each awaited event on a loaded machine
SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.mark.parametrize(
    ("raw", "display", "user", "tag"),
    [
        ('"a <b>" <sip:client@h>;tag=1', "a <b>", "client", "1"),
        ('"say \\"<hi>\\"" <sip:c@h:5070;lr>;tag=x;p="q;r"', 'say "<hi>"', "c", "x"),
        ("Bob Smith <sip:bob@h>;tag=2", "Bob Smith", "bob", "2"),
        ("sip:carol@h;tag=3;expires=60", None, "carol", "3"),
    ],
)
def test_name_addr(raw: str, display: str | None, user: str, tag: str) -> None:
    parsed = address.parse(raw)
    assert (parsed.display_name, parsed.uri.user, address.tag_of(parsed)) == (display, user, tag)
    assert address.tag_of(address.parse(address.without_tag(raw))) == ""


@pytest.mark.parametrize("raw", ['"open <sip:a@h>', "<sip:a@h", "a@h>", "<>", '"x" sip:a@h'])
def test_not_an_address(raw: str) -> None:
    with pytest.raises(ValueError):
        address.parse(raw)


async def test_caller_with_a_bracket_in_the_quoted_name_hangs_up(
    tmp_path: Path, ua: UserAgent
) -> None:
    """sipp calls with `From: "a <b>" <sip:client@…>`; we answer; its BYE gets 200 (not 481)."""
    rang: list[Call] = []

    def on_incoming(call: Call) -> None:
        rang.append(call)
        call._spawn(call.answer(), "answer")

    ua.on_incoming = on_incoming
    target = f"127.0.0.1:{ua.endpoint.local[1]}"
    scenario = str(SCENARIOS / "quoted_display_uac.xml")
    media = ["-mi", "127.0.0.1", "-mp", str(free_udp_port())]
    sipp, _ = start_sipp(tmp_path / "sipp", ["-sf", scenario, target, *media])
    try:
        code = await asyncio.to_thread(sipp.wait, LIMIT)
        assert code == 0, sipp.output()  # its BYE was answered 200 in the dialog
        assert len(rang) == 1
        async with asyncio.timeout(LIMIT):
            await rang[0].ended.wait()
        assert rang[0].reason is EndReason.REMOTE_HUNG_UP, rang[0].status
        assert address.parse(rang[0].remote).display_name == "a <b>"
    finally:
        sipp.stop()
