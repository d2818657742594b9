"""Presence: the specialist's status, the automatic Away after idle time (back on activity;
never during a call or a remote session), and the colleagues' statuses
(`specialist.status`)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable

from app.clients.system_idle import system_idle_seconds
from app.context import Context
from app.core import parse
from app.core.changes import ColleagueChanged, ColleaguesLoaded, StatusChanged
from app.core.domain import Colleague, Status
from app.core.tasks import Tasks
from app.net.api import ApiError
from app.net.events import Event
from app.store.settings import Settings
from contract.types import EventKind

log = logging.getLogger("linedesk.workplace.presence")
IN_USE_S = 2.0  # the desktop saw input this recently: the specialist is at it


class Presence:
    def __init__(self, session: Context, settings: Settings) -> None:
        self._session = session
        self._settings = settings
        self.status: Status = Status.FREE
        self.colleagues: dict[int, Colleague] = {}
        self.idle_seconds: float | None = None  # overrides settings.idle_away_minutes (tests)
        self._last_activity = time.monotonic()
        self._auto_away_from: Status | None = None
        self._engaged: set[str] = set()  # work away from the keys: a call, a remote desktop
        self.system_idle: Callable[[], float | None] = system_idle_seconds  # keys elsewhere
        self.tasks = Tasks(log=log)
        session.routes.register(EventKind.SPECIALIST_STATUS, self.on_status_event)

    def start(self) -> None:
        """Signed in: count idle time from now; watch it (one watcher until the session's
        tasks are cancelled)."""
        self._last_activity = time.monotonic()
        if not self.tasks.running("idle-away"):
            self.tasks.spawn(self._idle_loop(), "idle-away")

    async def load_colleagues(self) -> None:
        api = self._session.api
        assert api is not None
        with contextlib.suppress(ApiError):
            self.colleagues = {c.id: c for c in await api.colleagues()}
            self._session.emit(ColleaguesLoaded(tuple(self.colleagues.values())))

    async def set_status(self, status: Status) -> None:
        """The specialist's choice: ends an automatic Away."""
        self._auto_away_from = None
        await self._set_status(status, automatic=False)

    async def _set_status(self, status: Status, automatic: bool) -> None:
        assert self._session.api is not None
        me = await self._session.api.set_status(status)
        self._session.me = me
        changed = self.status != me.status
        self.status = me.status
        if changed or not automatic:
            self._session.emit(StatusChanged(me.status, automatic))

    def activity(self) -> None:
        """Keyboard or mouse seen: resets the idle timer; ends an automatic Away."""
        self._last_activity = time.monotonic()
        if self._auto_away_from is not None and self._session.api is not None:
            back, self._auto_away_from = self._auto_away_from, None
            self.tasks.spawn(self._back_from_away(back), "back-from-away")

    def engaged(self, what: str, on: bool) -> None:
        """Working where the window sees no keys or mouse — talking on a call, in a remote
        desktop's viewer (``what``): no automatic Away while any is on (its start ends one),
        and idle time counts from when the last ends. Saying the same twice changes
        nothing (a call ringing unanswered is no activity)."""
        if on and what not in self._engaged:
            self._engaged.add(what)
            self.activity()  # working: an automatic Away ends
        elif not on and what in self._engaged:
            self._engaged.discard(what)
            self._last_activity = time.monotonic()  # idle from now, not Free again

    async def _back_from_away(self, status: Status) -> None:
        try:
            await self._set_status(status, automatic=True)
        except ApiError as e:
            log.info("back from away: %s", e)

    def _idle_limit(self) -> float:
        if self.idle_seconds is not None:
            return self.idle_seconds
        return self._settings.idle_away_minutes * 60.0

    async def _idle_loop(self) -> None:
        while True:
            limit = self._idle_limit()
            if self._engaged:
                self._last_activity = time.monotonic()
            elsewhere = self.system_idle()  # keys and mouse in any program of the desktop
            if elsewhere is not None and elsewhere < IN_USE_S:
                self.activity()  # at the desk, in another program: not Away (back from it)
            idle = time.monotonic() - self._last_activity
            if (
                idle >= limit
                and (self._settings.idle_away or self.idle_seconds is not None)
                and self._auto_away_from is None
                and self.status in (Status.FREE, Status.BUSY_NEW)
                and self._session.api is not None
            ):
                was = self.status
                try:
                    await self._set_status(Status.AWAY, automatic=True)
                    self._auto_away_from = was
                except ApiError as e:
                    log.info("automatic away: %s", e)
            await asyncio.sleep(max(0.05, min(limit / 4, 1.0)))

    def on_status_event(self, ev: Event) -> None:
        """`specialist.status`: the specialist's own status or a colleague's."""
        sid = parse.req_int(ev.data, "id")
        st = parse.status(ev.data.get("status"))
        me = self._session.me
        if me is not None and sid == me.id:
            if st != self.status:
                self.status = st
                self._session.me = dataclasses.replace(me, status=st)
                self._session.emit(StatusChanged(st, self._auto_away_from is not None))
            return
        c = self.colleagues.get(sid)
        if c is not None:
            c = dataclasses.replace(c, status=st)
            self.colleagues[sid] = c
            self._session.emit(ColleagueChanged(c))
