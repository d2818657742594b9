"""The PBX account of the settings (Settings → PBX connection), its password in the keyring."""

from __future__ import annotations

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
    )
