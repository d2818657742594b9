"""The window's place, size and pane widths, kept between starts (`window.state` beside
settings.json).

Read before the first paint, so that the window opens where it was left instead of jumping
there a frame later. Hence plain Python and Qt's own geometry blob: no platformdirs, no
QSettings, no json (1–5 ms each, measured, against a first paint that must stay within 1.5×
a bare window's). A file that is missing, foreign or damaged is ignored: the defaults apply.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from pathlib import Path
from typing import NamedTuple

MAGIC = b"LDW1"
FILE_NAME = "window.state"
MAX_GEOMETRY = 4096  # bytes: Qt's geometry blob is ~66
_WIDTHS = struct.Struct(">HH")
_LENGTH = struct.Struct(">I")


class WindowState(NamedTuple):  # (not a dataclass: `dataclasses` imports `inspect`, ~3 ms)
    geometry: bytes  # QWidget.saveGeometry(): place, size, maximised, the screen
    users_width: int  # the users list's pane, px
    info_width: int  # the info panel's pane when shown, px


def config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """settings.json's directory: `platformdirs.user_config_dir("linedesk", appauthor=False)`
    spelled out (a test checks that they agree)."""
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(local) if local else home / "AppData" / "Local") / "linedesk"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "linedesk"
    xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
    return (Path(xdg) if xdg else home / ".config") / "linedesk"


def state_path(override: str | os.PathLike[str] | None = None) -> Path:
    return config_dir(override) / FILE_NAME


def read(path: Path) -> WindowState | None:
    """The state kept at `path`, or None (none kept, or not ours, or damaged)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        (length,) = _LENGTH.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _LENGTH.size
        if length > MAX_GEOMETRY or len(data) != start + length + _WIDTHS.size:
            return None
        users, info = _WIDTHS.unpack_from(data, start + length)
    except struct.error:
        return None
    return WindowState(data[start : start + length], users, info)


def write(path: Path, state: WindowState) -> None:
    """Keep `state` at `path` (whole or not at all: written aside, then renamed)."""
    geometry = state.geometry[:MAX_GEOMETRY]
    data = b"".join(
        (
            MAGIC,
            _LENGTH.pack(len(geometry)),
            geometry,
            _WIDTHS.pack(_clamp(state.users_width), _clamp(state.info_width)),
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(path.name + ".new")
    try:
        aside.write_bytes(data)
        os.replace(aside, path)
    finally:
        with contextlib.suppress(OSError):
            aside.unlink()


def _clamp(width: int) -> int:
    return max(0, min(0xFFFF, int(width)))
