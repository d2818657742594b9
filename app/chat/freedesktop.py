"""Desktop notifications on Linux: the freedesktop Desktop Notifications service
(`org.freedesktop.Notifications` on the session bus), spoken to with jeepney.

jeepney is pure Python, has an asyncio router, and is already installed with `keyring`
(its Secret Service backend); dbus-next/dbus-fast would be a second D-Bus library, and
QtDBus cannot type `replaces_id` as the spec's `u` (PySide sends a Python int as `i`).

- `start()` connects and asks whether a notification server is there; False: none (no
  session bus, no server) — the window uses the tray's message instead (ui/chat/notify.py).
- `show(key, title, body)` sends `Notify` with a "default" action (a click on the
  notification) and replaces the previous notification of the same `key` (one per chat,
  not a pile); the body is escaped when the server reads markup (text from clients is
  never markup).
- a click (`ActionInvoked` with one of our ids) calls `on_click(key)`; a notification the
  server closed is forgotten.
- `close()` ends the connection and its reader task.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("linedesk.chat.freedesktop")

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
EXPIRE_MS = 15_000


class DesktopNotes:
    def __init__(
        self, on_click: Callable[[int], None], bus: str = "SESSION", app_name: str = "LineDesk"
    ) -> None:
        self.on_click = on_click
        self.bus = bus  # 'SESSION' or a D-Bus address (tests: a private bus)
        self.app_name = app_name
        self.markup = False  # the server reads markup in the body
        self._conn: Any = None
        self._router: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._ids: dict[int, int] = {}  # key → the server's notification id
        self._keys: dict[int, int] = {}  # notification id → key

    @property
    def started(self) -> bool:
        return self._router is not None

    async def start(self) -> bool:
        from jeepney import MatchRule, message_bus
        from jeepney.io.asyncio import DBusRouter, Proxy, open_dbus_connection

        try:
            self._conn = await open_dbus_connection(self.bus)
            self._router = DBusRouter(self._conn)
            bus = Proxy(message_bus, self._router)
            (owned,) = await bus.NameHasOwner(NAME)
            if not owned:
                raise ConnectionError(f"no {NAME} on the session bus")
            (caps,) = await self._call("GetCapabilities", "", ())
            self.markup = "body-markup" in caps
            rule = MatchRule(type="signal", interface=NAME, path=PATH)
            await bus.AddMatch(rule)
            queue: asyncio.Queue[Any] = asyncio.Queue(64)
            handle = self._router.filter(rule, queue=queue)
            self._reader = asyncio.get_running_loop().create_task(
                self._read(handle, queue), name="desktop-notes"
            )
        except Exception as exc:  # no bus, no server, refused: the tray's message instead
            log.info("desktop notifications unavailable: %s", exc)
            await self.close()
            return False
        return True

    async def _call(self, method: str, signature: str, body: tuple[Any, ...]) -> tuple[Any, ...]:
        from jeepney import DBusAddress, MessageType, new_method_call

        address = DBusAddress(PATH, bus_name=NAME, interface=NAME)
        reply = await self._router.send_and_get_reply(
            new_method_call(address, method, signature, body)
        )
        if reply.header.message_type is MessageType.error:
            raise ConnectionError(f"{method}: {reply.body}")
        return tuple(reply.body)

    async def show(self, key: int, title: str, body: str) -> int:
        """Show (or replace) the notification of `key`; its id on the server."""
        text = html.escape(body, quote=False) if self.markup else body
        hints = {"category": ("s", "im.received"), "desktop-entry": ("s", "linedesk")}
        (note_id,) = await self._call(
            "Notify",
            "susssasa{sv}i",
            (
                self.app_name,
                self._ids.get(key, 0),  # replaces_id (u): the chat's previous notification
                "mail-message-new",
                title,
                text,
                ["default", "Open the chat"],
                hints,
                EXPIRE_MS,
            ),
        )
        old = self._ids.get(key)
        if old is not None:
            self._keys.pop(old, None)
        self._ids[key], self._keys[note_id] = note_id, key
        return int(note_id)

    async def _read(self, handle: Any, queue: asyncio.Queue[Any]) -> None:
        from jeepney.low_level import HeaderFields

        with handle:
            while True:
                msg = await queue.get()
                member = msg.header.fields.get(HeaderFields.member)
                if member == "ActionInvoked":
                    note_id, _action = msg.body
                    key = self._keys.get(note_id)
                    if key is not None:
                        self.on_click(key)
                elif member == "NotificationClosed":
                    key = self._keys.pop(msg.body[0], None)
                    if key is not None and self._ids.get(key) == msg.body[0]:
                        del self._ids[key]

    async def close(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        router, self._router = self._router, None
        if router is not None:  # its receiver task (it ended with the error of a lost bus)
            with contextlib.suppress(Exception):
                await router.__aexit__(None, None, None)
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
