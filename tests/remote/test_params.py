"""What the launcher accepts from the server: injection refused, the password never in argv."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from remote import vncauth
from remote.backends import CommandTemplate, FreeRdp, TigerVnc
from remote.params import InvalidParameter, Mode, Request, Target

pytestmark = pytest.mark.remote


@pytest.mark.parametrize(
    "host",
    ["-via evil", "/p:x", "-via", "a b", "host\nx", "host\r", "", "-x.example", "a..b", "h;id"],
)
def test_a_host_that_reads_as_an_option_or_worse_is_refused(host: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        Target.of(Mode.DIRECT, host, 5900)
    assert caught.value.field == "host"


@pytest.mark.parametrize("port", ["-1", "0", "65536", "59 00", "5900\n", "+5900", "٥٩٠٠", True])
def test_a_bad_port_is_refused(port: str) -> None:
    with pytest.raises(InvalidParameter):
        Target.of(Mode.DIRECT, "127.0.0.1", port)


@pytest.mark.parametrize("value", ["-listen", "a/b", "a b", "x\n", ""])
def test_a_bad_session_or_repeater_id_is_refused(value: str) -> None:
    with pytest.raises(InvalidParameter):
        Request(value, Target.of(Mode.REVERSE))
    with pytest.raises(InvalidParameter):
        Target.of(Mode.REPEATER, "127.0.0.1", 5901, value)


def test_good_parameters_pass_unchanged() -> None:
    assert Target.of(Mode.DIRECT, "support-pc.example.com", "5900").port == 5900
    assert Target.of(Mode.DIRECT, "[::1]", 5900).host == "::1"
    assert Target.of(Mode.REPEATER, "10.0.0.1", 5901, "1234").repeater_id == "1234"
    with pytest.raises(InvalidParameter):
        Request("s", Target.of(Mode.REVERSE), username="/p:x")


def test_the_password_file_is_what_vncpasswd_writes(tmp_path: Path) -> None:
    """x11vnc -storepasswd writes the same obfuscated file as vncpasswd -f."""
    theirs = tmp_path / "theirs"
    subprocess.run(
        ["x11vnc", "-storepasswd", "s3cret!", str(theirs)], capture_output=True, check=True
    )
    assert vncauth.obfuscate("s3cret!") == theirs.read_bytes()
    assert vncauth.obfuscate("longer-than-8") == vncauth.obfuscate("longer-t")


def test_tigervnc_puts_the_password_in_a_private_file_never_in_argv(tmp_path: Path) -> None:
    secrets = tmp_path / "s"
    secrets.mkdir(mode=0o700)
    request = Request("s", Target.of(Mode.DIRECT, "127.0.0.1", 5900), password="pa ss -via")
    launch = TigerVnc().build(request, secrets, None, os.environ)
    assert not any("pa ss" in part for part in launch.argv)
    path = Path(launch.argv[launch.argv.index("-PasswordFile") + 1])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert launch.argv[-1] == "127.0.0.1::5900"
    assert launch.env["LC_MESSAGES"] == "C.UTF-8"


def test_freerdp_gets_the_password_on_stdin(tmp_path: Path) -> None:
    request = Request("s", Target.of(Mode.DIRECT, "::1", 3389), password="pw", username="ivanov")
    launch = FreeRdp().build(request, tmp_path, None, os.environ)
    assert launch.argv[1:] == [
        "/v:[::1]:3389",
        "/cert:tofu",
        "/u:ivanov",
        "/from-stdin:force",
        "/log-level:DEBUG",
    ]
    assert launch.stdin == b"pw\n"


def test_a_template_with_the_password_in_argv_is_flagged(tmp_path: Path) -> None:
    target = Target.of(Mode.REPEATER, "10.0.0.1", 21116, "123456789")
    request = Request("s", target, password="pw")
    loud = CommandTemplate(["rustdesk", "--connect", "{id}", "--password", "{password}"])
    launch = loud.build(request, tmp_path, None, os.environ)
    assert launch.argv == ["rustdesk", "--connect", "123456789", "--password", "pw"]
    assert launch.secret_in_argv
    quiet = CommandTemplate(["tool", "{host}:{port}"], stdin="{password}\n")
    launch = quiet.build(request, tmp_path, None, os.environ)
    assert launch.argv == ["tool", "10.0.0.1:21116"] and launch.stdin == b"pw\n"
    assert not launch.secret_in_argv
