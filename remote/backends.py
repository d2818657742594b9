"""Viewer backends: a validated `Request` → argument list, extra environment, stdin bytes.

Never a shell. Secrets go by a 0600 file in the session's private directory (TigerVNC) or
by stdin (FreeRDP, Remmina's `--encrypt-password`); only a command template may be told to
put one in argv, and then `Launch.secret_in_argv` is set so the window warns the specialist.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from remote import vncauth
from remote.outcome import ExitCodeLog, FreeRdpLog, HandOverLog, LogReader, TigerVncLog
from remote.params import InvalidParameter, Mode, Request


@dataclass(frozen=True, slots=True)
class Launch:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None
    tracks_session: bool = True  # False: the process hands over and exits (Remmina)
    secret_in_argv: bool = False
    remove_secrets_when_connected: bool = True


class Backend:
    """One kind of viewer. `program` is the executable (a name on PATH or a path)."""

    name: ClassVar[str] = ""
    default_program: ClassVar[str] = ""
    modes: ClassVar[frozenset[Mode]] = frozenset({Mode.DIRECT})
    relays_repeater: ClassVar[bool] = False
    """An RFB viewer with no repeater option: the launcher dials the repeater for it."""

    def __init__(self, program: str | None = None) -> None:
        self.program = program or self.default_program

    def executable(self) -> str | None:
        """The viewer's full path, or None when it is not installed."""
        return shutil.which(self.program)

    def build(
        self, request: Request, secrets: Path, listen_port: int | None, env: Mapping[str, str]
    ) -> Launch:
        raise NotImplementedError

    def log_reader(self) -> LogReader:
        return ExitCodeLog()

    def _check_mode(self, request: Request) -> None:
        if request.target.mode not in self.modes:
            raise InvalidParameter("mode", request.target.mode.value)


class TigerVnc(Backend):
    """The reference viewer (Linux and Windows). Password: `-PasswordFile` in the private
    directory, written here (Windows has no vncpasswd). Reverse: `-listen PORT`."""

    name = "tigervnc"
    default_program = "xtigervncviewer"
    modes = frozenset({Mode.DIRECT, Mode.REVERSE})
    relays_repeater = True  # it has no UltraVNC repeater option: remote.repeater does it

    def build(
        self, request: Request, secrets: Path, listen_port: int | None, env: Mapping[str, str]
    ) -> Launch:
        self._check_mode(request)
        argv = [self.program, "-AlertOnFatalError=0", "-ReconnectOnError=0"]
        if request.password is not None:
            argv += ["-PasswordFile", str(vncauth.write_password_file(secrets, request.password))]
        if request.view_only:
            argv.append("-ViewOnly")
        argv.append("-Shared" if request.shared else "-Shared=0")
        target = request.target
        if target.mode is Mode.REVERSE:
            if listen_port is None:
                raise InvalidParameter("listen port", listen_port)
            argv += ["-listen", str(listen_port)]
        else:
            argv.append(f"{_host_for(target.host)}::{target.port}")
        # its log is translated otherwise, and the outcome is read from it
        return Launch(argv, env={"LC_MESSAGES": "C.UTF-8", "LC_ALL": ""})

    def log_reader(self) -> LogReader:
        return TigerVncLog()


def _host_for(host: str | None) -> str:
    assert host is not None
    return f"[{host}]" if ":" in host else host


class FreeRdp(Backend):
    """`xfreerdp /from-stdin:force` reads the password from stdin; `/log-level:DEBUG` for its
    connection states (remote.outcome.FreeRdpLog). `cert`: "tofu" (trust on first use, the
    default) — a test host whose certificate names another host needs "ignore"."""

    name = "freerdp"
    default_program = "xfreerdp"

    def __init__(self, program: str | None = None, cert: str = "tofu") -> None:
        super().__init__(program)
        if cert not in ("tofu", "ignore", "deny"):
            raise InvalidParameter("cert", cert)
        self.cert = cert

    def build(
        self, request: Request, secrets: Path, listen_port: int | None, env: Mapping[str, str]
    ) -> Launch:
        self._check_mode(request)
        target = request.target
        argv = [self.program, f"/v:{_host_for(target.host)}:{target.port}", f"/cert:{self.cert}"]
        if request.username is not None:
            argv.append(f"/u:{request.username}")
        argv += ["/from-stdin:force", "/log-level:DEBUG"]
        stdin = (request.password or "").encode("utf-8") + b"\n"
        return Launch(argv, stdin=stdin, env={"LC_MESSAGES": "C.UTF-8"})

    def log_reader(self) -> LogReader:
        return FreeRdpLog()


class Remmina(Backend):
    """A generated profile in the private directory; the password encrypted by
    `remmina --encrypt-password` (read from stdin). Remmina is single-instance: a second
    `remmina -c` hands the profile to the running one and exits, so its process does not
    track the session (the window says so); the profile is removed when it has handed over."""

    name = "remmina"
    default_program = "remmina"
    modes = frozenset({Mode.DIRECT})
    protocol: ClassVar[str] = "VNC"

    def encrypt_password(self, password: str, env: Mapping[str, str]) -> str:
        done = subprocess.run(
            [self.program, "--encrypt-password"],
            env=dict(env),
            input=password.encode("utf-8") + b"\n",
            capture_output=True,
            timeout=15,
            check=False,  # it exits 1 after printing the password when it has no D-Bus session
        )
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("Encrypted password:"):
                return line.split(":", 1)[1].strip()
        raise RuntimeError(
            f"remmina --encrypt-password printed no password (exit {done.returncode})"
        )

    def build(
        self, request: Request, secrets: Path, listen_port: int | None, env: Mapping[str, str]
    ) -> Launch:
        self._check_mode(request)
        target = request.target
        lines = [
            "[remmina]",
            f"name=LineDesk {request.session_id}",
            f"protocol={self.protocol}",
            f"server={_host_for(target.host)}:{target.port}",
            f"viewonly={int(request.view_only)}",
        ]
        if request.username is not None:
            lines.append(f"username={request.username}")
        if request.password:
            lines.append(f"password={self.encrypt_password(request.password, env)}")
        profile = secrets / "session.remmina"
        profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
        profile.chmod(0o600)
        return Launch(
            [self.program, "-c", str(profile)],
            tracks_session=False,
            remove_secrets_when_connected=False,
        )

    def log_reader(self) -> LogReader:
        return HandOverLog()


class CommandTemplate(Backend):
    """A RustDesk/TeamViewer-style tool: an argument list with placeholders {host} {port}
    {id} {session} and {password}; `stdin` may carry {password} instead. A template that puts
    {password} into argv is allowed, but `secret_in_argv` is set: any local user can read a
    process's command line, and the window warns the specialist."""

    name = "template"
    modes = frozenset({Mode.DIRECT, Mode.REPEATER})

    def __init__(self, argv: Sequence[str], stdin: str | None = None) -> None:
        if not argv:
            raise InvalidParameter("command template", argv)
        super().__init__(argv[0])
        self.template = list(argv)
        self.stdin_template = stdin

    @property
    def secret_in_argv(self) -> bool:
        return any("{password}" in part for part in self.template)

    def build(
        self, request: Request, secrets: Path, listen_port: int | None, env: Mapping[str, str]
    ) -> Launch:
        self._check_mode(request)
        target = request.target
        values = {
            "host": target.host or "",
            "port": str(target.port or ""),
            "id": target.repeater_id or "",
            "session": request.session_id,
            "password": request.password or "",
        }
        argv = [_fill(part, values) for part in self.template]
        stdin = None
        if self.stdin_template is not None:
            stdin = _fill(self.stdin_template, values).encode("utf-8")
        return Launch(argv, stdin=stdin, secret_in_argv=self.secret_in_argv)


def _fill(part: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        part = part.replace("{" + key + "}", value)
    return part


BACKENDS: dict[str, type[Backend]] = {
    TigerVnc.name: TigerVnc,
    FreeRdp.name: FreeRdp,
    Remmina.name: Remmina,
}
