"""REGISTER with digest auth against kamailio: the right password, the wrong one, refresh."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from telephony.problems import RegistrationProblem, RegistrationState
from telephony.sip.ua import UserAgent
from tests.telephony.conftest import ALICE_PASSWORD, alice
from tests.telephony.peers import Peer, free_udp_port, start_kamailio

pytestmark = pytest.mark.telephony


async def test_right_password_registers(kamailio: tuple[Peer, int]) -> None:
    agent = UserAgent(alice(kamailio[1]))
    await agent.start()
    try:
        assert agent.registration is not None
        async with asyncio.timeout(30):
            await agent.registration.wait_for(RegistrationState.REGISTERED)
        assert agent.registration.expires == 300
    finally:
        await agent.stop()


async def test_wrong_password_is_said_in_words(kamailio: tuple[Peer, int]) -> None:
    from ui.calls.texts import registration_text

    agent = UserAgent(alice(kamailio[1], password="not-it"))
    await agent.start()
    try:
        assert agent.registration is not None
        async with asyncio.timeout(30):
            await agent.registration.wait_for(RegistrationState.FAILED)
        assert agent.registration.problem is RegistrationProblem.WRONG_PASSWORD
        assert registration_text(agent.registration) == (
            "The PBX did not accept the login or password: check them in Settings → PBX"
        )
    finally:
        await agent.stop()


async def test_refreshed_before_expiry(tmp_path: Path) -> None:
    # kamailio grants at most 10 s: the binding must be renewed at about half of that
    peer, port = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD}, max_expires=10)
    agent = UserAgent(alice(port, expires=10))
    await agent.start()
    try:
        assert agent.registration is not None
        registrations: list[float] = []
        loop = asyncio.get_running_loop()
        agent.registration.listeners.append(
            lambda r: (
                registrations.append(loop.time())
                if r.state is RegistrationState.REGISTERED
                else None
            )
        )
        async with asyncio.timeout(40):
            while len(registrations) < 2:
                agent.registration.changed.clear()
                await agent.registration.changed.wait()
        assert registrations[1] - registrations[0] < 10  # renewed before it lapsed
    finally:
        await agent.stop()
        peer.stop()


async def test_pbx_that_does_not_answer() -> None:
    from ui.calls.texts import registration_text

    # nothing listens on this port: the REGISTER goes unanswered (Timer E retransmits it)
    agent = UserAgent(alice(free_udp_port()))
    await agent.start()
    try:
        assert agent.registration is not None
        async with asyncio.timeout(60):
            await agent.registration.wait_for(RegistrationState.FAILED)
        assert agent.registration.problem in (
            RegistrationProblem.NO_ANSWER,
            RegistrationProblem.UNREACHABLE,
        )
        assert "PBX" in registration_text(agent.registration)
    finally:
        await agent.stop()


async def test_a_pbx_that_stops_answering_does_not_keep_our_sip_port_after_stopping(
    tmp_path: Path,
) -> None:
    """Quitting while the PBX has stopped answering (frozen): the window gives the telephony a
    few seconds; given up on before the un-REGISTER's answer, the agent's SIP socket is
    closed all the same (it stayed open until the process ended)."""
    peer, port = start_kamailio(tmp_path / "k", {"alice": ALICE_PASSWORD})
    agent = UserAgent(alice(port))
    await agent.start()
    try:
        assert agent.registration is not None
        async with asyncio.timeout(30):
            await agent.registration.wait_for(RegistrationState.REGISTERED)
        local = agent.endpoint.local
        peer.freeze()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1):  # the un-REGISTER waits up to 5 s for an answer
                await agent.stop()
        assert agent.endpoint.transport is None
        await asyncio.sleep(0)  # (asyncio closes a transport's socket at the loop's next turn)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as again:
            again.bind(local)  # the port is ours to take again: nobody holds it
    finally:
        peer.freeze(False)
        peer.stop()
