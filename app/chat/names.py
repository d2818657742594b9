"""A file's name as offered to the specialist: never trusted (a client chose it)."""

from __future__ import annotations

import unicodedata
from pathlib import PurePath

MAX_NAME_BYTES = 255  # what most file systems take for one name
RISKY = frozenset(
    {
        "exe",
        "com",
        "bat",
        "cmd",
        "msi",
        "msp",
        "scr",
        "pif",
        "cpl",
        "hta",
        "jar",
        "js",
        "jse",
        "vbs",
        "vbe",
        "wsf",
        "wsh",
        "ps1",
        "psm1",
        "lnk",
        "url",
        "reg",
        "inf",
        "sh",
        "bash",
        "zsh",
        "csh",
        "ksh",
        "run",
        "bin",
        "app",
        "command",
        "py",
        "pyw",
        "pl",
        "rb",
        "php",
        "desktop",
        "appimage",
        "deb",
        "rpm",
        "dmg",
        "pkg",
        "apk",
        "scpt",
        "workflow",
        "action",
        "dll",
        "so",
        "dylib",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "xll",
        "docm",
        "xlsm",
        "pptm",
        "",
    }
)
"""Extensions that run code when opened: such a file is saved, never opened from here."""


def safe_name(name: str, fallback: str = "file") -> str:
    """`name` fit to save: its last path part, no control or direction characters, no
    characters Windows refuses, not a dot name, at most 255 bytes with its extension kept."""
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in name
    )
    cleaned = cleaned.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join("_" if c in '<>:"|?*' else c for c in cleaned)
    cleaned = " ".join(cleaned.split()).strip(". ")
    if not cleaned:
        cleaned = fallback
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = cleaned, ""
    suffix = f".{ext}" if ext else ""
    room = MAX_NAME_BYTES - len(suffix.encode())
    stem_bytes = stem.encode()[:room]
    stem = stem_bytes.decode(errors="ignore").rstrip(". ") or fallback
    return stem + suffix


def is_risky(name: str) -> bool:
    """Whether opening a file of this name could run code (any of its extensions: a
    "report.pdf.exe" is an executable, a "run.sh.txt" is text)."""
    suffix = PurePath(name.lower()).suffix.lstrip(".")
    return suffix in RISKY or not suffix


def size_text(size: int) -> tuple[float, str]:
    """A size as (number, unit) for words: (1.5, "MB")."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return value, unit
        value /= 1024
    return value, "GB"
