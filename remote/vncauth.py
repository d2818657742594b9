"""The VNC password file: what `vncpasswd -f` writes and `vncviewer -PasswordFile` reads.

The RFB "VncAuth" obfuscation: the password (8 bytes at most, NUL-padded) encrypted with
single DES under a fixed, public key. It is obfuscation, not protection — the file is
also written 0600 into a private 0700 directory and removed once the viewer is connected.

DES comes from `cryptography` (already in the environment through aiohttp's and keyring's
dependencies, maintained by the PyCA): TripleDES with one key repeated three times is DES
(EDE with K1 = K2 = K3 collapses to a single encryption). Windows ships no `vncpasswd`, so
the file is written here rather than by a helper program.
"""

from __future__ import annotations

import os
from pathlib import Path

# The fixed VNC key {23,82,107,6,35,78,88,7} with each byte's bits reversed (d3des.c reverses
# them itself; a standard DES implementation needs them reversed beforehand).
_VNC_KEY = bytes.fromhex("e84ad660c4721ae0")
MAX_LENGTH = 8


def obfuscate(password: str) -> bytes:
    """The 8 bytes of a VNC password file. Only the first 8 bytes count (RFB's limit)."""
    # imported here: the window imports the launcher, and a password file is rare
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    raw = password.encode("utf-8")[:MAX_LENGTH].ljust(MAX_LENGTH, b"\0")
    encryptor = Cipher(TripleDES(_VNC_KEY * 3), modes.ECB()).encryptor()  # noqa: S305 - RFB
    return encryptor.update(raw) + encryptor.finalize()


def write_password_file(directory: Path, password: str) -> Path:
    """Write `password` obfuscated into `directory`/passwd, created 0600 (never readable by
    others, not even for a moment); the directory must be private already."""
    path = directory / "passwd"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(obfuscate(password))
    return path
