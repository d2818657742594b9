"""How long the workstation has had no keys or mouse, in any program (seed 000 4.8: Away "at
the absence of activity" — a specialist typing in the accounting program is at their desk).

The seam: :func:`system_idle_seconds` — seconds since the last input the desktop saw, or None
where it cannot tell (the window's own keys and mouse then decide alone).

- Linux, X11: the MIT-SCREEN-SAVER extension's idle time (``XScreenSaverQueryInfo``, libXss)
  through ctypes; the display opened once, on ``$DISPLAY``.
- Windows: ``GetLastInputInfo`` (user32) against ``GetTickCount`` — the counterpart, named in
  docs/client.md, not run here.
- Wayland and anything else: None (no portable idle query a client may make; XWayland's
  counter sees only X11 windows' input, and Xlib ends the process when its server goes).

A limit of the X11 query: a video player resetting the screen saver counts as input.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import sys
from collections.abc import Callable

log = logging.getLogger("linedesk.presence")


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


def _x11() -> Callable[[], float | None] | None:
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return None  # XWayland sees only X11 windows' input, and its end would end us
    display_name = os.environ.get("DISPLAY")
    x11_path, xss_path = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
    if not display_name or x11_path is None or xss_path is None:
        return None
    x11, xss = ctypes.CDLL(x11_path), ctypes.CDLL(xss_path)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
    xss.XScreenSaverQueryInfo.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.POINTER(_XScreenSaverInfo),
    ]
    display = x11.XOpenDisplay(display_name.encode())
    if not display:
        return None
    root, info = x11.XDefaultRootWindow(display), xss.XScreenSaverAllocInfo()

    def idle() -> float | None:
        if not xss.XScreenSaverQueryInfo(display, root, info):
            return None  # no MIT-SCREEN-SAVER on this server
        return float(info.contents.idle) / 1000.0

    return idle if idle() is not None else None


def _windows() -> Callable[[], float | None] | None:  # pragma: no cover (Windows only)
    class LastInput(ctypes.Structure):
        _fields_ = [("size", ctypes.c_uint), ("time", ctypes.c_ulong)]

    user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32  # type: ignore[attr-defined]

    def idle() -> float | None:
        last = LastInput(ctypes.sizeof(LastInput), 0)
        if not user32.GetLastInputInfo(ctypes.byref(last)):
            return None
        return float((kernel32.GetTickCount() - last.time) & 0xFFFFFFFF) / 1000.0

    return idle


@functools.cache
def _source() -> Callable[[], float | None] | None:
    try:
        return _windows() if sys.platform == "win32" else _x11()
    except OSError as exc:  # a library that is there but does not load
        log.info("the desktop's idle time is not available: %s", exc)
        return None


def system_idle_seconds() -> float | None:
    """Seconds since the desktop last saw a key or the mouse, in any program; None when
    this desktop cannot say."""
    query = _source()
    return query() if query is not None else None
