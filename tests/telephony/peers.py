"""The real SIP peers of the telephony tests, each started under `timeout` and stopped by PID.

kamailio (the PBX: registrar with digest auth, record-routing proxy), baresip (an
auto-answering user that plays a WAV and dumps what it hears) and sipp (scripted peers).
Readiness is an event, not a sleep: a peer is ready when its UDP port is bound
(/proc/net/udp), polled with an upper bound.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
READY_WITHIN = 20.0  # an upper bound on a loaded 2-core machine, not an expected time


def heard_by_baresip(directory: Path) -> Path | None:
    """baresip's recording of what it heard (`dump-*-dec.wav`), once its call has ended:
    libsndfile writes the WAV's sizes when it closes the file, so the file is there from the
    first decoded frame on but reads as whole only then (a `make test` run read one a moment
    too early: "fmt chunk and/or data chunk missing")."""
    for path in directory.glob("dump-*-dec.wav"):
        try:
            with wave.open(str(path)) as w:
                if w.getnframes() > 0:
                    return path
        except (wave.Error, EOFError, OSError):
            continue
    return None


def free_udp_port(*, tcp_too: bool = False) -> int:
    """A UDP port free on loopback now; with `tcp_too`, free for TCP as well (a peer that
    listens on both with one number: the UDP port's TCP twin may be some client's)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
            if not tcp_too:
                return port
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


def udp_bound(port: int) -> bool:
    suffix = f":{port:04X}"
    with open("/proc/net/udp") as f:
        return any(
            len(fields) > 1 and fields[1].endswith(suffix)
            for fields in (line.split() for line in f.readlines()[1:])
        )


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise RuntimeError(
            f"{binary} is not installed: scripts/system-deps.sh installs it (as root)"
        )
    return path


class Peer:
    def __init__(
        self,
        name: str,
        argv: list[str],
        cwd: Path,
        log: Path,
        limit: int = 300,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name, self.log_path = name, log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            ["timeout", "-k", "5", str(limit), *argv],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def wait_bound(self, port: int) -> None:
        deadline = time.monotonic() + READY_WITHIN
        while not udp_bound(port):
            problem = None
            if self.process.poll() is not None:
                problem = f"{self.name} exited at start:\n{self.output()}"
            elif time.monotonic() > deadline:
                problem = f"{self.name} did not bind port {port}:\n{self.output()}"
            if problem:
                self.stop()
                raise RuntimeError(problem)
            time.sleep(0.02)

    def kill_program(self) -> None:
        """SIGKILL the peer program itself (the child of its `timeout`), by its PID: a peer
        that vanishes without a word."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for child in children:
            os.kill(int(child), signal.SIGKILL)

    def freeze(self, frozen: bool = True) -> None:
        """SIGSTOP (or, `frozen` false, SIGCONT) the peer program and every process it
        started: a peer that stops answering but keeps its sockets (a hung PBX)."""
        sent = signal.SIGSTOP if frozen else signal.SIGCONT
        pids = [self.process.pid]
        while pids:
            pid = pids.pop()
            with contextlib.suppress(OSError):
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                pids += [int(child) for child in children]
                if pid != self.process.pid:  # (its `timeout` stays: it would stop us too)
                    os.kill(pid, sent)

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout)

    def stop(self) -> None:
        if self._log.closed:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                # baresip with a half-open call ignores SIGTERM: the program, then its timeout
                with contextlib.suppress(OSError):
                    self.kill_program()
                self.process.kill()
                self.process.wait(5)
        self._log.close()


KAMAILIO_CFG = """#!KAMAILIO
debug=2
log_stderror=yes
children=1
auto_aliases=no
listen=udp:127.0.0.1:{port}
{tcp}mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "htable.so"
modparam("usrloc", "db_mode", 0)
modparam("htable", "htable", "auth=>size=4;")
modparam("htable", "htable", "routes=>size=4;")
modparam("registrar", "max_expires", {max_expires})
modparam("registrar", "default_expires", {max_expires})

event_route[htable:mod-init] {{
{passwords}
{routes}
}}

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (has_totag()) {{
        if (loose_route()) {{ t_relay(); exit; }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("REGISTER")) {{
        if (!pv_auth_check("$fd", "$sht(auth=>$fU)", "0", "1")) {{
            auth_challenge("$fd", "1");
            exit;
        }}
        save("location");
        exit;
    }}
    if (is_method("INVITE")) {{ record_route(); }}
{forks}
    if (lookup("location")) {{ t_relay(); exit; }}
    if ($sht(routes=>$rU) != $null) {{ $du = $sht(routes=>$rU); t_relay(); exit; }}
    sl_send_reply("404", "Not Found");
}}
"""


def start_kamailio(
    directory: Path,
    passwords: dict[str, str],
    routes: dict[str, str] | None = None,
    max_expires: int = 3600,
    limit: int = 300,
    tcp: bool = False,
    forks: dict[str, list[str]] | None = None,
) -> tuple[Peer, int]:
    """kamailio as the PBX on a free port: users with passwords, static routes user → URI;
    with `tcp`, on TCP too (the same port number); `forks`: a user (a line) whose calls go
    to these registered users at once (a parallel fork: the first 2xx wins)."""
    return _on_a_free_port(
        lambda: _start_kamailio(directory, passwords, routes, max_expires, limit, tcp, forks or {}),
        "Address already in use",  # a free port may be taken before kamailio binds it
    )


def _on_a_free_port(start: Callable[[], T], taken: str = "") -> T:
    """`start()` a peer on a port found free, again (three tries in all) when it could not
    bind — its error saying `taken`, if given: the port was taken between the pick and the
    bind (another test's socket, or a peer's own next ports)."""
    for attempt in range(3):
        try:
            return start()
        except RuntimeError as error:
            if attempt == 2 or taken not in str(error):
                raise
    raise AssertionError("unreachable")


def _start_kamailio(
    directory: Path,
    passwords: dict[str, str],
    routes: dict[str, str] | None,
    max_expires: int,
    limit: int,
    tcp: bool,
    forks: dict[str, list[str]],
) -> tuple[Peer, int]:
    binary = need("kamailio")
    port = free_udp_port(tcp_too=tcp)
    directory.mkdir(parents=True, exist_ok=True)
    mpath = next(Path("/usr/lib").glob("*/kamailio/modules"), Path("/usr/lib/kamailio/modules"))
    cfg = KAMAILIO_CFG.format(
        port=port,
        tcp=f"listen=tcp:127.0.0.1:{port}\ntcp_children=1\n" if tcp else "",
        max_expires=max_expires,
        passwords="\n".join(f'    $sht(auth=>{u}) = "{p}";' for u, p in passwords.items()),
        routes="\n".join(f'    $sht(routes=>{u}) = "{r}";' for u, r in (routes or {}).items()),
        forks="\n".join(_fork(line, users) for line, users in forks.items()),
    ).replace("/usr/lib/x86_64-linux-gnu/kamailio/modules/", f"{mpath}/")
    path = directory / "kamailio.cfg"
    path.write_text(cfg)
    argv = [binary, "-f", str(path), "-DD", "-E", "-w", str(directory), "-Y", str(directory)]
    peer = Peer("kamailio", argv, directory, directory / "kamailio.log", limit=limit)
    peer.wait_bound(port)
    return peer, port


def _fork(line: str, users: list[str]) -> str:
    """The request route's lines sending a call for `line` to each registered user: every
    contact found becomes a branch of one transaction (t_relay forks them in parallel)."""
    each = '$ru = "sip:{}@127.0.0.1"; if (lookup("location")) {{ append_branch(); }}'
    steps = [each.format(user) for user in users[:-1]]
    steps.append(f'$ru = "sip:{users[-1]}@127.0.0.1"; lookup("location");')
    body = " ".join(steps)
    return f'    if ($rU == "{line}") {{ {body} t_relay(); exit; }}'


def start_baresip(
    directory: Path,
    source_wav: Path,
    *,
    account: str | None = None,
    limit: int = 300,
    commands: tuple[str, ...] = (),
    codecs: str = "PCMU,PCMA",
    config: tuple[str, ...] = (),
) -> tuple[Peer, int]:
    """baresip auto-answering on a free port; plays `source_wav`, dumps what it hears;
    `commands` run at its start (`/dial sip:…` makes it call); `codecs`: the audio codecs
    of its default account, in its order (`opus/48000/2,PCMU,PCMA` for Opus); `config`:
    more lines of its configuration."""
    account = account or (f"<sip:bob@127.0.0.1>;regint=0;answermode=auto;audio_codecs={codecs}")
    # (baresip binds TCP/TLS on the next ports too: one may be taken, whatever it then says)
    return _on_a_free_port(
        lambda: _start_baresip(directory, source_wav, account, limit, commands, config)
    )


def _start_baresip(
    directory: Path,
    source_wav: Path,
    account: str,
    limit: int,
    commands: tuple[str, ...] = (),
    config: tuple[str, ...] = (),
) -> tuple[Peer, int]:
    binary = need("baresip")
    port = free_udp_port()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config").write_text(
        "\n".join(
            [
                "poll_method epoll",
                f"sip_listen 127.0.0.1:{port}",
                "sip_transports udp",
                "net_interface 127.0.0.1",
                "module_path /usr/lib/baresip/modules",
                "audio_player alsa,null",
                f"audio_source aufile,{source_wav}",
                "ausrc_srate 8000",
                "auplay_srate 8000",
                f"snd_path {directory}",
                "rtp_ports 20000-40000",
                # Opus mono both ways (its stereo flags are what it asks of us)
                "opus_stereo no",
                "opus_sprop_stereo no",
                "module g711.so",
                "module opus.so",
                "module aufile.so",
                "module alsa.so",
                "module sndfile.so",
                "module_app account.so",
                "module_app menu.so",
                *config,
                "",
            ]
        )
    )
    (directory / "accounts").write_text(account + "\n")
    argv = [binary, "-f", str(directory)]
    for command in commands:
        argv += ["-e", command]
    peer = Peer("baresip", argv, directory, directory / "baresip.log", limit=limit)
    peer.wait_bound(port)
    return peer, port


def start_sipp(
    directory: Path, args: list[str], *, port: int | None = None, limit: int = 60
) -> tuple[Peer, int]:
    binary = need("sipp")
    port = port or free_udp_port()
    directory.mkdir(parents=True, exist_ok=True)
    pcap = directory / "pcap"
    if not pcap.exists():
        pcap.symlink_to("/usr/share/sip-tester")
    argv = [binary, *args, "-i", "127.0.0.1", "-p", str(port), "-m", "1", "-nostdin"]
    argv += ["-trace_err", "-error_file", str(directory / "sipp-errors.log"), "-trace_msg"]
    peer = Peer("sipp", argv, directory, directory / "sipp.log", limit=limit)
    return peer, port


SCENARIOS = Path(__file__).parent / "scenarios"


def sipp_calls(directory: Path, scenario: str, pbx_port: int) -> Peer:
    """sipp calling alice through the PBX on loopback with one of SCENARIOS (its RTP on a
    free port)."""
    target = f"127.0.0.1:{pbx_port}"
    args = ["-sf", str(SCENARIOS / scenario), target, "-mi", "127.0.0.1"]
    return start_sipp(directory, [*args, "-mp", str(free_udp_port())])[0]
