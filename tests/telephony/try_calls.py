"""Real calls on one machine: kamailio as the PBX, baresip as a user who answers and talks.

    .venv/bin/python -m tests.telephony.try_calls      # then `make run` in another terminal

It prints what to enter in Settings → PBX connection and whom to call; Ctrl+C stops both
peers (by PID). The same configurations as the tests (tests/telephony/peers.py).
"""

from __future__ import annotations

import signal
import subprocess
import tempfile
from pathlib import Path

from tests.telephony.peers import need, start_baresip, start_kamailio

PASSWORD = "alice-secret"


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="linedesk-calls-"))
    raw, wav = directory / "bob-raw.wav", directory / "bob.wav"
    text = "Hello, this is Bob. I can hear you. This message repeats until you hang up."
    subprocess.run([need("espeak-ng"), "-w", str(raw), text], check=True)
    subprocess.run(
        [need("sox"), str(raw), "-r", "8000", "-c", "1", "-b", "16", str(wav), "repeat", "20"],
        check=True,
    )
    hours = 8 * 3600  # each peer runs under `timeout`: at most a working day
    bob, bob_port = start_baresip(directory / "baresip", wav, limit=hours)
    pbx, port = start_kamailio(
        directory / "kamailio",
        {"alice": PASSWORD},
        routes={"bob": f"sip:127.0.0.1:{bob_port}"},
        limit=hours,
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops them too
    print(f"PBX ready. Settings → PBX connection: server 127.0.0.1, port {port},")
    print(f"login alice, password {PASSWORD}. Then Call → sip:bob@127.0.0.1:{port}")
    print("Ctrl+C stops the PBX and bob.")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        pbx.stop()
        bob.stop()


if __name__ == "__main__":
    main()
