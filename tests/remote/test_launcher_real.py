"""The launcher with the real TigerVNC viewer against x11vnc on a virtual screen."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from remote.backends import Remmina, TigerVnc
from remote.launcher import Change, Launcher, free_port
from remote.outcome import Phase
from remote.params import Mode, Request, Target
from tests.remote.conftest import PASSWORD, SEEN_COLOR
from tests.remote.hosts import Display, VncHost, wait_until
from tests.remote.repeater import Repeater

pytestmark = pytest.mark.remote


def direct(host: VncHost, session: str = "s1", password: str = PASSWORD, **kw: object) -> Request:
    target = Target.of(Mode.DIRECT, "127.0.0.1", host.port)
    return Request(session, target, password=password, **kw)  # type: ignore[arg-type]


def proc_file(pid: int, name: str) -> bytes:
    path = Path(f"/proc/{pid}/{name}")
    return path.read_bytes() if path.exists() else b""


async def shows_user_screen(screen: Display, tmp_path: Path) -> None:
    await asyncio.to_thread(
        wait_until,
        lambda: screen.pixel(tmp_path, 100, 100) == SEEN_COLOR,
        30,
        "the viewer to show the user's screen",
    )


async def test_connected_viewer_shows_the_user_screen_and_forgets_the_password(
    launcher: Launcher,
    vnc_host: Callable[..., VncHost],
    specialist_screen: Display,
    tmp_path: Path,
) -> None:
    host = vnc_host()
    viewer = await launcher.start(TigerVnc(), direct(host))
    assert await viewer.settled() is Phase.CONNECTED
    assert viewer.secrets is None  # the password file's directory went once connected
    await shows_user_screen(specialist_screen, tmp_path)
    assert viewer.pid is not None
    assert PASSWORD.encode() not in proc_file(viewer.pid, "cmdline")
    await launcher.stop("s1")
    assert viewer.phase is Phase.ENDED
    assert viewer.process is not None and viewer.process.returncode is not None


async def test_two_sessions_at_once_each_with_its_own_secrets(
    launcher: Launcher, vnc_host: Callable[..., VncHost]
) -> None:
    first, second = vnc_host(), vnc_host()
    a = await launcher.start(TigerVnc(), direct(first, "a", view_only=True))
    b = await launcher.start(TigerVnc(), direct(second, "b"))
    assert a.launch is None or a.secrets != b.secrets
    assert await a.settled() is Phase.CONNECTED
    assert await b.settled() is Phase.CONNECTED
    assert a.launch is not None and "-ViewOnly" in a.launch.argv
    assert b.launch is not None and "-ViewOnly" not in b.launch.argv
    assert {v.session_id for v in launcher.viewers()} == {"a", "b"}
    await launcher.stop("a")  # stopping one leaves the other alone
    assert b.live and b.process is not None and b.process.returncode is None
    assert [v.session_id for v in launcher.viewers()] == ["b"]


async def test_reverse_the_user_host_dials_the_listening_viewer(
    launcher: Launcher,
    vnc_host: Callable[..., VncHost],
    specialist_screen: Display,
    tmp_path: Path,
) -> None:
    request = Request("rev", Target.of(Mode.REVERSE), password=PASSWORD)
    viewer = await launcher.start(TigerVnc(), request)
    assert await viewer.wait_phase(Phase.LISTENING) is Phase.LISTENING
    assert viewer.listen_port is not None
    assert viewer.launch is not None and viewer.launch.argv[-2:] == [
        "-listen",
        str(viewer.listen_port),
    ]
    vnc_host(connect_to=viewer.listen_port)
    assert await viewer.settled() is Phase.CONNECTED
    await shows_user_screen(specialist_screen, tmp_path)
    await launcher.stop("rev")  # the listening port closes with the viewer
    with socket.create_server(("", viewer.listen_port)):
        pass


async def test_repeater_both_sides_dial_out_and_the_viewer_shows_the_user_screen(
    launcher: Launcher,
    vnc_host: Callable[..., VncHost],
    specialist_screen: Display,
    tmp_path: Path,
) -> None:
    """Both behind NAT: x11vnc and the specialist's side each dial the repeater with the id;
    TigerVNC has no repeater option, so the launcher's relay says the id for it."""
    with Repeater() as repeater:
        target = Target.of(Mode.REPEATER, "127.0.0.1", repeater.viewer_port, "4711")
        viewer = await launcher.start(TigerVnc(), Request("rep", target, password=PASSWORD))
        vnc_host(repeater=(repeater.server_port, "4711"))
        assert await viewer.settled() is Phase.CONNECTED
        await shows_user_screen(specialist_screen, tmp_path)
        assert viewer.relay is not None and viewer.launch is not None
        assert viewer.launch.argv[-1] == f"127.0.0.1::{viewer.relay.port}"
        assert sorted(repeater.ids_seen) == [b"ID:4711", b"ID:4711"]
        relay_port = viewer.relay.port
        await launcher.stop("rep")
    with pytest.raises(OSError):  # the relay's loopback port is gone with the session
        socket.create_connection(("127.0.0.1", relay_port), timeout=2).close()


async def test_a_repeater_that_is_not_there_is_said_before_the_viewer_starts(
    launcher: Launcher,
) -> None:
    target = Target.of(Mode.REPEATER, "127.0.0.1", free_port("127.0.0.1"), "4711")
    viewer = await launcher.start(TigerVnc(), Request("gone", target, password=PASSWORD))
    assert await viewer.ended() is Phase.REFUSED
    assert viewer.process is None and "connection refused" in viewer.detail


async def test_remmina_takes_the_session_into_its_own_window(
    vnc_host: Callable[..., VncHost], specialist_screen: Display, tmp_path: Path
) -> None:
    """Remmina is single-instance: started when none runs, it is that instance and shows the
    session in its window for as long as that window lives — handed over, never timed out or
    stopped by the launcher (it was, before this test ran Remmina for real: killed at the
    answer time-out). Its password is encrypted by Remmina itself (which exits 1 after
    printing it when it has no D-Bus session: the output decides, not the exit code)."""
    env = {**os.environ, "DISPLAY": specialist_screen.name, "HOME": str(tmp_path)}
    launcher = Launcher(env=env, answer_timeout=8, hand_over_after=3)
    host = vnc_host()
    target = Target.of(Mode.DIRECT, "127.0.0.1", host.port)
    viewer = await launcher.start(Remmina(), Request("rm", target, password=PASSWORD))
    try:
        secrets = viewer.secrets
        assert secrets is not None
        assert await viewer.settled() is Phase.HANDED_OVER
        assert viewer.launch is not None and viewer.launch.argv[1] == "-c"
        assert viewer.secrets is None and not secrets.exists()  # the profile went with it
        await shows_user_screen(specialist_screen, tmp_path)
        assert launcher.viewers() == []  # nothing of ours to ask about when quitting
        await asyncio.sleep(8)  # past the answer time-out: still shown
        assert viewer.process is not None and viewer.process.returncode is None
        await launcher.stop("rm")  # the specialist's own window now: left alone
        assert viewer.process.returncode is None
    finally:
        if viewer.process is not None and viewer.process.returncode is None:
            viewer.process.terminate()
            await viewer.ended()


async def test_wrong_password_is_reported_as_rejected(
    launcher: Launcher, vnc_host: Callable[..., VncHost]
) -> None:
    """TigerVNC exits 0 here: the outcome comes from its log."""
    host = vnc_host()
    changes: list[Change] = []
    launcher._on_change = changes.append
    viewer = await launcher.start(TigerVnc(), direct(host, password="wrong"))
    assert await viewer.ended() is Phase.PASSWORD_REJECTED
    assert [c.phase for c in changes] == [
        Phase.STARTING,
        Phase.WAITING,
        Phase.PASSWORD_REJECTED,
    ]
    assert viewer.secrets is None  # removed when it ended, too


async def test_nobody_listening_is_refused(launcher: Launcher) -> None:
    target = Target.of(Mode.DIRECT, "127.0.0.1", free_port("127.0.0.1"))
    viewer = await launcher.start(TigerVnc(), Request("r", target, password=PASSWORD))
    assert await viewer.ended() is Phase.REFUSED


def answer_popup(screen: Display, button: str) -> None:
    """The user clicks Yes or No in x11vnc's "accept connection" popup (345×175 window;
    the buttons at these offsets, as seen on a screenshot of it)."""
    window = screen.xdotool("search", "--sync", "--name", "new x11vnc client")
    x = {"Yes": 46, "No": 100}[button]
    screen.xdotool("mousemove", "--window", window.split()[0], str(x), "144", "click", "1")


@pytest.mark.parametrize(("button", "phase"), [("Yes", Phase.CONNECTED), ("No", Phase.DECLINED)])
async def test_by_request_the_user_answers(
    launcher: Launcher,
    vnc_host: Callable[..., VncHost],
    user_screen: Display,
    button: str,
    phase: Phase,
) -> None:
    host = vnc_host(ask=True)
    viewer = await launcher.start(TigerVnc(), direct(host, "q"))
    assert await viewer.wait_phase(Phase.WAITING) is Phase.WAITING
    await asyncio.to_thread(answer_popup, user_screen, button)
    assert await viewer.settled() is phase


async def test_a_request_nobody_answers_times_out(
    launcher: Launcher, vnc_host: Callable[..., VncHost]
) -> None:
    host = vnc_host(ask=True)
    launcher.answer_timeout = 3
    viewer = await launcher.start(TigerVnc(), direct(host, "t"))
    assert await viewer.ended() is Phase.TIMED_OUT
    assert viewer.process is not None and viewer.process.returncode is not None


async def test_a_missing_viewer_is_said_before_anything_starts(launcher: Launcher) -> None:
    target = Target.of(Mode.DIRECT, "127.0.0.1", 5900)
    viewer = await launcher.start(TigerVnc("no-such-viewer"), Request("m", target))
    assert await viewer.ended() is Phase.VIEWER_MISSING
    assert viewer.process is None


async def test_no_child_ever_has_the_password_in_its_command_line(
    launcher: Launcher, vnc_host: Callable[..., VncHost]
) -> None:
    host = vnc_host()
    viewer = await launcher.start(TigerVnc(), direct(host, "p"))
    await viewer.settled()
    assert viewer.pid is not None
    pids = [viewer.pid]
    pids += [int(p) for p in proc_file(viewer.pid, f"task/{viewer.pid}/children").split()]
    for pid in pids:
        assert PASSWORD.encode() not in proc_file(pid, "cmdline")
        assert PASSWORD.encode() not in proc_file(pid, "environ")
    assert os.getpid() != viewer.pid
