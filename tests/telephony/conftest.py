"""Fixtures of the telephony tests: real peers on loopback, started and stopped by PID."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from telephony.sip.registration import Account
from telephony.sip.ua import UserAgent
from tests.telephony.peers import Peer, start_kamailio

ALICE_PASSWORD = "alice-secret"  # noqa: S105 - the test PBX's password


@pytest.fixture
def kamailio(tmp_path: Path) -> Iterator[tuple[Peer, int]]:
    peer, port = start_kamailio(tmp_path / "kamailio", {"alice": ALICE_PASSWORD})
    yield peer, port
    peer.stop()


@pytest.fixture
async def ua() -> AsyncIterator[UserAgent]:
    agent = UserAgent()
    await agent.start()
    yield agent
    await agent.stop()


def alice(port: int, password: str = ALICE_PASSWORD, expires: int = 300) -> Account:
    return Account(server="127.0.0.1", port=port, user="alice", password=password, expires=expires)
