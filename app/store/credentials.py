"""The session token in the OS keyring (`keyring`).

Where no usable keyring backend exists the token is kept in memory only —
never in a plain file — and `warning` says so once (ProblemCode.NO_KEYRING).
"""

from __future__ import annotations

import logging

from app.core.problems import ProblemCode

log = logging.getLogger("linedesk.credentials")

SERVICE = "linedesk"


def _backend_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except Exception:
        return False
    try:
        kr = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(kr, fail.Keyring):
        return False
    try:
        from keyring.backends import chainer

        if isinstance(kr, chainer.ChainerBackend) and not kr.backends:
            return False
    except Exception:  # noqa: S110 - a missing chainer module only means "not a chainer"
        pass
    return getattr(kr, "priority", 1) > 0


class Credentials:
    """Token per server URL. `use_keyring=False` forces memory (tests)."""

    def __init__(self, use_keyring: bool | None = None) -> None:
        self._memory: dict[str, str] = {}
        self.keyring = _backend_usable() if use_keyring is None else use_keyring
        self._warned = False
        self.warning: ProblemCode | None = None

    def _fallback(self, why: object) -> None:
        if self.keyring:
            log.warning("keyring unusable, keeping the token in memory: %s", why)
        self.keyring = False
        if not self._warned:
            self._warned = True
            self.warning = ProblemCode.NO_KEYRING

    def get(self, server_url: str) -> str | None:
        if self.keyring:
            try:
                import keyring

                v = keyring.get_password(SERVICE, server_url)
                return v if v is not None else self._memory.get(server_url)
            except Exception as e:
                self._fallback(e)
        return self._memory.get(server_url)

    def set(self, server_url: str, token: str) -> None:
        """Returns nothing; check `warning` afterwards to tell the specialist once."""
        if self.keyring:
            try:
                import keyring

                keyring.set_password(SERVICE, server_url, token)
                return
            except Exception as e:
                self._fallback(e)
        else:
            self._fallback("no backend")
        self._memory[server_url] = token

    def delete(self, server_url: str) -> None:
        self._memory.pop(server_url, None)
        if self.keyring:
            try:
                import keyring

                keyring.delete_password(SERVICE, server_url)
            except Exception as e:
                log.debug("keyring delete: %s", e)

    def take_warning(self) -> ProblemCode | None:
        """The one-time warning, if any, and forget it."""
        w, self.warning = self.warning, None
        return w
