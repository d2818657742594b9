"""The server's settings, from the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from contract.calls import MAX_RECORDING

DEFAULT_EVENT_RETENTION = 1_000_000
DEFAULT_SUBSCRIBER_BACKLOG = 20_000


@dataclass(frozen=True, slots=True)
class Settings:
    files_dir: Path
    token_ttl: dt.timedelta = dt.timedelta(hours=12)
    # failed logins a window allows (server/auth/tokens.py LoginThrottle)
    login_failures_per_login_and_address: int = 5
    login_failures_per_login: int = 100
    login_failures_per_address: int = 50
    login_window: dt.timedelta = dt.timedelta(minutes=1)
    max_file_size: int = 20 * 1024 * 1024
    max_recording_size: int = MAX_RECORDING  # a call's recording (server/calls/recording.py)
    max_json_body: int = 256 * 1024
    max_ws_frame: int = 64 * 1024
    # open event streams of one account at once (several workstations, reconnections
    # whose old socket the heartbeat has not yet found dead); beyond: 429
    max_streams_per_account: int = 32
    heartbeat_seconds: float = 15.0
    event_retention: int = DEFAULT_EVENT_RETENTION
    subscriber_backlog: int = DEFAULT_SUBSCRIBER_BACKLOG
    sweep_every: float = 10.0  # seconds between the sweeps' turns (server/core/sweeps.py)
    # an upload no message carries is removed this long after it came (server/chats/unused.py)
    unused_file_grace: dt.timedelta = dt.timedelta(hours=24)
