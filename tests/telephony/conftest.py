"""Fixtures of the telephony tests: real peers on loopback, started and stopped by PID."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from telephony.sip.registration import Account
from telephony.sip.ua import UserAgent
from tests.telephony.peers import Peer, start_kamailio

ALICE_PASSWORD = "alice-secret"


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


def alice(
    port: int, password: str = ALICE_PASSWORD, expires: int = 300, transport: str = "udp"
) -> Account:
    return Account(
        server="127.0.0.1",
        port=port,
        user="alice",
        password=password,
        expires=expires,
        transport=transport,
    )


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two different spoken prompts, 8 kHz S16LE mono (espeak-ng, then sox)."""
    import subprocess

    from tests.telephony.peers import need

    directory = tmp_path_factory.mktemp("speech")
    texts = {
        "bob": "Hello, this is Bob from the accounts department, how can I help you today",
        "alice": "Good afternoon, my printer shows error forty two since this morning",
    }
    out = {}
    for name, text in texts.items():
        raw, wav = directory / f"{name}-raw.wav", directory / f"{name}.wav"
        subprocess.run([need("espeak-ng"), "-w", str(raw), text], check=True)
        subprocess.run(
            [
                need("sox"),
                str(raw),
                "-r",
                "8000",
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                str(wav),
            ],
            check=True,
        )
        out[name] = wav
    # baresip hangs up when its file ends: bob's prompt ends in 4 s of silence, so the call
    # outlasts alice's microphone
    padded = directory / "bob-padded.wav"
    subprocess.run([need("sox"), str(out["bob"]), str(padded), "pad", "0", "4"], check=True)
    out["bob-call"] = padded
    # a call that outlasts what a test does in it (baresip hangs up when its file ends)
    long = directory / "bob-long.wav"
    subprocess.run([need("sox"), str(out["bob"]), str(long), "pad", "0", "120"], check=True)
    out["bob-long"] = long
    return out


@pytest.fixture
def baresip(tmp_path: Path, speech: dict[str, Path]) -> Iterator[tuple[Peer, int, Path]]:
    from tests.telephony.peers import start_baresip

    directory = tmp_path / "baresip"
    peer, port = start_baresip(directory, speech["bob-call"])
    yield peer, port, directory
    peer.stop()
