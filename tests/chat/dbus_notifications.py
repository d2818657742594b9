"""A private session bus (`dbus-daemon --session` on a temp address, stopped by PID) and a
small notification server on it that records every `Notify` call and can click one (emits
`ActionInvoked`), as a desktop's notification daemon would. The server runs in a thread
with jeepney's blocking connection; the test reads `calls` and asks for `click(id)`."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.telephony.peers import Peer, need

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
READY_WITHIN = 20.0  # an upper bound, not an expected time


@contextmanager
def private_bus(runtime: Path) -> Iterator[str]:
    """A session bus of its own; yields its address."""
    runtime.mkdir(parents=True, exist_ok=True)
    socket = runtime / "bus"
    address = f"unix:path={socket}"
    daemon = Peer(
        "dbus",
        [need("dbus-daemon"), "--session", f"--address={address}", "--nofork", "--nopidfile"],
        runtime,
        runtime / "dbus.log",
        limit=1800,
    )
    try:
        deadline = time.monotonic() + READY_WITHIN
        while not socket.exists():  # another process's state: polled, bounded
            if time.monotonic() > deadline or daemon.process.poll() is not None:
                raise RuntimeError(f"dbus-daemon did not start:\n{daemon.output()}")
            time.sleep(0.02)
        yield address
    finally:
        daemon.stop()


class NotificationServer(threading.Thread):
    def __init__(self, address: str, markup: bool = True) -> None:
        super().__init__(name="notification-server", daemon=True)
        self.address = address
        self.markup = markup
        self.calls: list[dict[str, Any]] = []  # each Notify: its arguments and the id given
        self._clicks: queue.Queue[int] = queue.Queue()
        self._halt = threading.Event()
        self.ready = threading.Event()
        self.error: BaseException | None = None

    def click(self, note_id: int) -> None:
        self._clicks.put(note_id)

    def run(self) -> None:
        try:
            self._serve()
        except BaseException as exc:
            self.error = exc
            self.ready.set()

    def _serve(self) -> None:
        from jeepney import DBusAddress, MessageType, message_bus, new_method_return, new_signal
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.low_level import HeaderFields

        emitter = DBusAddress(PATH, interface=NAME)
        with open_dbus_connection(self.address) as conn:
            conn.send_and_get_reply(message_bus.RequestName(NAME, 4))  # DO_NOT_QUEUE
            self.ready.set()
            next_id = 1
            while not self._halt.is_set():
                while not self._clicks.empty():
                    conn.send(
                        new_signal(emitter, "ActionInvoked", "us", (self._clicks.get(), "default"))
                    )
                try:
                    msg = conn.receive(timeout=0.05)
                except TimeoutError:
                    continue
                if msg.header.message_type is not MessageType.method_call:
                    continue
                member = msg.header.fields.get(HeaderFields.member)
                if member == "Notify":
                    app, replaces, _icon, summary, body, actions, hints, _expire = msg.body
                    note_id = replaces or next_id
                    next_id += 0 if replaces else 1
                    self.calls.append(
                        {
                            "app": app,
                            "replaces": replaces,
                            "summary": summary,
                            "body": body,
                            "actions": list(actions),
                            "hints": dict(hints),
                            "id": note_id,
                        }
                    )
                    conn.send(new_method_return(msg, "u", (note_id,)))
                elif member == "GetCapabilities":
                    caps = ["actions", "body"] + (["body-markup"] if self.markup else [])
                    conn.send(new_method_return(msg, "as", (caps,)))
                elif member == "GetServerInformation":
                    conn.send(new_method_return(msg, "ssss", ("test", "linedesk", "1", "1.2")))
                else:
                    conn.send(new_method_return(msg))

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


@contextmanager
def notification_server(address: str) -> Iterator[NotificationServer]:
    server = NotificationServer(address)
    server.start()
    if not server.ready.wait(READY_WITHIN) or server.error is not None:
        raise RuntimeError(f"the notification server did not start: {server.error}")
    try:
        yield server
    finally:
        server.stop()
