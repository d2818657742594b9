"""The PBX account of the settings (Settings → PBX connection), its password in the keyring,
and where calls are recorded."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telephony.sip.registration import Account


def password_key(server: str, login: str) -> str:
    """The keyring entry of the PBX password (app/store/credentials keeps it)."""
    return f"sip:{login}@{server}"


def account_of(core: Any) -> Account | None:
    """The PBX account from the settings (its password from the keyring), or None."""
    from telephony.sip.registration import Account

    settings = getattr(core, "settings", None)
    if settings is None or not settings.pbx_server or not settings.pbx_login:
        return None
    password = core.credentials.get(password_key(settings.pbx_server, settings.pbx_login))
    return Account(
        server=settings.pbx_server,
        port=settings.pbx_port,
        user=settings.pbx_login,
        password=password or "",
        auth_user=settings.pbx_auth_user,
        display_name=settings.pbx_display_name,
        outbound_proxy=settings.pbx_outbound_proxy,
        transport="tcp" if settings.pbx_transport == "tcp" else "udp",
    )


STALE = 600.0  # seconds: a recording written to this long ago belongs to no call in progress


def recordings_dir(core: Any) -> Path | None:
    """Where the calls in progress are recorded (Settings → PBX connection: Record calls), or
    None when they are not. Files left there by a call that got no record, or by a program
    that stopped mid-call, are removed (the kept ones wait in app/calls/recordings.py)."""
    settings = getattr(core, "settings", None)
    data_dir = getattr(core, "data_dir", None)
    if settings is None or data_dir is None or not settings.record_calls:
        return None
    directory = Path(data_dir) / "recordings" / "in-progress"
    if directory.is_dir():
        now = time.time()
        for left in directory.iterdir():
            with contextlib.suppress(OSError):
                if now - left.stat().st_mtime > STALE:
                    left.unlink()
    return directory
