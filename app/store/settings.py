"""One typed settings registry, stored as JSON in the user's config dir, with versioned upgrades.

Each option is a `Setting` descriptor on `Settings`: typed, with a default
and a validator (values out of range are clamped, wrong types fall back to
the default). A file written by an older version is brought up to date by
the functions in `UPGRADES`, one version step each. Secrets never live
here: the token goes to the keyring (`app.store.credentials`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

log = logging.getLogger("linedesk.settings")

T = TypeVar("T")

VERSION = 4


class Setting(Generic[T]):
    def __init__(
        self, default: T, kind: type, clamp: Callable[[Any], T] | None = None, doc: str = ""
    ) -> None:
        self.default = default
        self.kind = kind
        self.clamp = clamp
        self.doc = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def coerce(self, value: object) -> T:
        if self.kind is int and isinstance(value, bool):
            return self.default
        if not isinstance(value, self.kind):
            return self.default
        return self.clamp(value) if self.clamp else value  # type: ignore[return-value]

    @overload
    def __get__(self, obj: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> Setting[T] | T:
        if obj is None:
            return self
        return self.coerce(obj._values.get(self.name, self.default))

    def __set__(self, obj: Settings, value: T) -> None:
        obj._values[self.name] = self.coerce(value)
        obj._dirty = True


def _range(lo: int, hi: int) -> Callable[[Any], int]:
    return lambda v: max(lo, min(hi, int(v)))


def _repeat(value: Any) -> int:
    """0 (never) or 5 s … 1 hour."""
    seconds = int(value)
    return 0 if seconds <= 0 else max(5, min(3600, seconds))


def _upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    # version 1 named the idle timeout in seconds and the server "server"
    if "idle_away_seconds" in data:
        data["idle_away_minutes"] = max(1, int(data.pop("idle_away_seconds")) // 60)
    if "server" in data:
        data["server_url"] = data.pop("server")
    return data


def _upgrade_2_to_3(data: dict[str, Any]) -> dict[str, Any]:
    # version 3 adds the chat alerts (alert_*, sound_*): nothing of version 2 moves, a file
    # of version 2 gets their defaults; the step is here so that the chain has no gap
    return data


def _upgrade_3_to_4(data: dict[str, Any]) -> dict[str, Any]:
    # version 4 keeps the users list's filter per line (none before)
    data.setdefault("user_filters", {})
    return data


def _filters(value: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    """Per line id (as text): a filter as app/clients/userfilter.py writes it."""
    return {
        str(k): v for k, v in list(value.items())[:1000] if str(k).isdigit() and isinstance(v, dict)
    }


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _upgrade_1_to_2,
    2: _upgrade_2_to_3,
    3: _upgrade_3_to_4,
}
SOUNDS = ("chime", "bell", "knock")
"""The alert sounds (synthesised: app/chat/sounds.py)."""


class Settings:
    server_url: Setting[str] = Setting("", str, doc="the ticket server; empty = the demo server")
    last_login: Setting[str] = Setting("", str, doc="the login last signed in with (not a secret)")
    remember: Setting[bool] = Setting(True, bool, doc="keep the session token in the keyring")
    idle_away_minutes: Setting[int] = Setting(
        5, int, _range(1, 240), doc="automatic Away after this many idle minutes"
    )
    idle_away: Setting[bool] = Setting(True, bool, doc="automatic Away when idle, on or off")
    actuality_days: Setting[int] = Setting(
        60, int, _range(7, 90), doc="streaming lines list users active within this many days"
    )
    user_filters: Setting[dict[str, dict[str, Any]]] = Setting(
        {}, dict, _filters, doc="the users list's filter per line id (app/clients/userfilter.py)"
    )
    info_panel_visible: Setting[bool] = Setting(True, bool)
    info_collapsed: Setting[list[str]] = Setting(
        [],
        list,
        lambda v: [x for x in v if isinstance(x, str) and x.isidentifier()][:50],
        doc="the info panel's collapsed sections (their keys: contacts, company, support…)",
    )
    last_line_id: Setting[int] = Setting(0, int)
    quick_replies: Setting[list[str]] = Setting(
        [],
        list,
        lambda v: [str(x)[:2000] for x in v if isinstance(x, str) and x.strip()][:200],
        doc="my own quick replies (ui/tickets/quick_replies.py; $name, $company, $me)",
    )
    language: Setting[str] = Setting(
        "", str, lambda v: v if v in ("", "ru", "en") else "", doc="'' = the system; 'ru', 'en'"
    )
    remote_backend: Setting[str] = Setting(
        "tigervnc", str, doc="the remote viewer: tigervnc, freerdp, remmina or template"
    )
    remote_viewer_path: Setting[str] = Setting("", str, doc="the viewer program; '' = on PATH")
    remote_command_template: Setting[str] = Setting(
        "", str, doc="backend 'template': a command line with {host} {port} {id} {password}"
    )
    remote_view_only: Setting[bool] = Setting(False, bool, doc="remote sessions view only")
    alert_first: Setting[bool] = Setting(
        True, bool, doc="alert when a client writes to a quiet chat (a new conversation)"
    )
    alert_every: Setting[bool] = Setting(
        True, bool, doc="alert on every further client message to a chat not in view"
    )
    alert_repeat_seconds: Setting[int] = Setting(
        60, int, _repeat, doc="repeat a new chat's alert until it is opened; 0 = never"
    )
    sound_on: Setting[bool] = Setting(True, bool, doc="alerts play a sound")
    sound_name: Setting[str] = Setting(
        "chime", str, lambda v: v if v in SOUNDS else "chime", doc="which sound (SOUNDS)"
    )
    sound_device: Setting[str] = Setting("", str, doc="the output device's name; '' = default")
    sound_volume: Setting[int] = Setting(70, int, _range(0, 100), doc="percent")
    call_microphone: Setting[str] = Setting(
        "", str, doc="the calls' microphone (telephony/media/choice.py's key); '' = default"
    )
    call_speaker: Setting[str] = Setting("", str, doc="the headset speaker's key; '' = default")
    ringer_device: Setting[str] = Setting(
        "", str, doc="where incoming calls ring (besides the headset); '' = default"
    )
    pbx_server: Setting[str] = Setting("", str, doc="the PBX (SIP registrar); '' = no PBX")
    pbx_port: Setting[int] = Setting(5060, int, doc="the PBX's SIP port")
    pbx_transport: Setting[str] = Setting("udp", str, doc="udp or tcp")
    pbx_login: Setting[str] = Setting("", str, doc="the SIP account's user (password: keyring)")
    pbx_auth_user: Setting[str] = Setting("", str, doc="the digest user; '' = the login")
    pbx_display_name: Setting[str] = Setting("", str, doc="the name callers see")
    pbx_outbound_proxy: Setting[str] = Setting("", str, doc="host[:port]; '' = the PBX")
    record_calls: Setting[bool] = Setting(
        True, bool, doc="calls are recorded (both directions) and uploaded to their records"
    )

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._values: dict[str, Any] = {}
        self._dirty = False
        # the file could not be used as it was: "unreadable" (not JSON, not an object) or
        # "values" (some values of a wrong kind or out of range: those are the defaults now)
        self.damaged = ""
        self.set_aside: Path | None = None  # an unreadable file, kept under another name

    @classmethod
    def names(cls) -> list[str]:
        return [k for k, v in vars(cls).items() if isinstance(v, Setting)]

    @classmethod
    def default_path(cls) -> Path:
        import platformdirs

        return Path(platformdirs.user_config_dir("linedesk", appauthor=False)) / "settings.json"

    @classmethod
    def load(cls, path: Path | str | None = None) -> Settings:
        s = cls(path if path is not None else cls.default_path())
        assert s.path is not None
        try:
            raw = json.loads(s.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return s
        except (OSError, ValueError) as e:
            log.warning("settings %s unreadable, using defaults: %s", s.path, e)
            s._set_aside()
            return s
        if not isinstance(raw, dict):
            log.warning("settings %s are not an object, using defaults", s.path)
            s._set_aside()
            return s
        data = upgrade(raw)
        known = set(cls.names())
        s._values = {k: v for k, v in data.items() if k in known}
        wrong = [n for n in s._values if vars(cls)[n].coerce(s._values[n]) != s._values[n]]
        if wrong:
            log.warning("settings %s: %s out of range or of a wrong kind", s.path, wrong)
            s.damaged = "values"
        s._dirty = data.get("version") != raw.get("version")
        return s

    def _set_aside(self) -> None:
        """An unreadable file: the defaults are used; the first save keeps the file as
        `settings.json.bad` (nothing the specialist wrote is lost)."""
        self.damaged = "unreadable"

    def save(self) -> None:
        if self.path is None:
            return
        if self.damaged == "unreadable" and self.set_aside is None and self.path.exists():
            aside = self.path.with_name(self.path.name + ".bad")
            os.replace(self.path, aside)
            self.set_aside = aside
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, **{n: getattr(self, n) for n in self.names()}}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)
        self._dirty = False


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    v = data.get("version", 1)
    if not isinstance(v, int) or v < 1:
        v = 1
    while v < VERSION:
        step = UPGRADES.get(v)
        if step is not None:
            data = step(data)
        v += 1
    data["version"] = VERSION
    return data
