"""SignIn: the ways into a session — the demo (the embedded server's own session, else its
password), a login and password, a remembered token, and the cached preview shown before
any of them answers. Each ends by handing the session to `Live.start`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from app.clients.current_line import CurrentLine
from app.clients.presence import Presence
from app.context import Context
from app.core import parse
from app.core.changes import Problem, SignedIn
from app.core.problems import ProblemCode
from app.demo.supervisor import DemoSupervisor
from app.live import Live
from app.net.api import ApiClient, ApiError, Unauthorized, Unreachable, normalize_url
from app.store.settings import Settings

if TYPE_CHECKING:
    from app.demo.server import DemoServer

log = logging.getLogger("linedesk.workplace")


class SignIn:
    def __init__(
        self,
        session: Context,
        settings: Settings,
        live: Live,
        line: CurrentLine,
        presence: Presence,
        demo: DemoSupervisor,
    ) -> None:
        self._session = session
        self._settings = settings
        self._live = live
        self._line = line
        self._presence = presence
        self._demo = demo

    async def demo(self, server: DemoServer | None = None) -> bool:
        """Sign in the demo specialist on the embedded demo server (app.demo.server): `server`
        when `python -m app` spawned it already, else one started here. While it starts, the
        window shows the last state from the local cache (`show_cached`)."""
        from app.demo.server import DemoServer, DemoServerError

        s = self._session
        started = server if server is not None else DemoServer(s.data_dir)
        self._demo.server = started
        s.demo = True
        preview = s.preview = asyncio.Event()
        try:
            started.spawn()
            await self.show_cached()
            url = await started.start()
        except (DemoServerError, OSError) as e:
            log.error("demo server: %s", e)
            s.demo = False
            s.emit(Problem(ProblemCode.DEMO_FAILED, str(e)))
            return False
        finally:
            preview.set()
            s.preview = None
        token = started.token
        if token is not None and await self._with_token(url, token):
            return True
        return await self.password(url, "demo", "demo", remember=False)

    async def _with_token(self, server_url: str, token: str) -> bool:
        """The demo server's own session for the demo specialist (no password check);
        False: it did not work, sign in with the password instead."""
        api = ApiClient(server_url, token)
        try:
            me = await api.me()
        except ApiError as e:
            await api.close()
            log.warning("the demo server's session did not work: %s", e)
            return False
        await self._live.start(api, server_url, me)
        return True

    async def show_cached(self) -> bool:
        """Show the last state from the local cache — me, the lines, the first rows of the
        current line — before the server answers. False: the cache has none for this server."""
        s = self._session
        try:
            me = parse.me(await s.cache.load_value(s.server_key, "me"))
        except parse.Malformed:
            return False
        if s.me is not None:  # signed in meanwhile: the server's state wins
            return False
        s.me = me
        self._presence.status = me.status
        s.emit(SignedIn(me, "", s.demo))
        lines = await s.cache.load_lines(s.account)
        if not lines or s.api is not None:
            return True
        self._line.set_lines(tuple(lines))
        await self._line.show_cached()
        return True

    async def password(self, server_url: str, login: str, password: str, remember: bool) -> bool:
        s = self._session
        url = normalize_url(server_url)
        api = ApiClient(url)
        try:
            granted = await api.login(login, password)
            if granted.kind != "specialist":
                await api.close()
                s.emit(Problem(ProblemCode.NOT_SPECIALIST))
                return False
            me = await api.me()
        except ApiError as e:
            await api.close()
            s.problem_from(e)
            return False
        if not s.demo:
            self._settings.server_url = url
            self._settings.last_login = login
            self._settings.remember = remember
            with contextlib.suppress(OSError):
                self._settings.save()
            if remember:
                s.credentials.set(url, granted.token)
                warning = s.credentials.take_warning()
                if warning:
                    s.emit(Problem(warning))
        await self._live.start(api, url, me)
        return True

    async def remembered(self, server_url: str) -> bool:
        """Sign in with a remembered token. False: the sign-in dialog is needed."""
        s = self._session
        url = normalize_url(server_url)
        token = s.credentials.get(url)
        if not token:
            return False
        api = ApiClient(url, token)
        s.server_url = url
        try:
            me = await api.me()
        except Unauthorized:
            await api.close()
            s.credentials.delete(url)
            s.emit(Problem(ProblemCode.SESSION_EXPIRED))
            return False
        except Unreachable as e:
            cached = await s.cache.load_value(url, "me")
            try:
                me = parse.me(cached)
            except parse.Malformed:
                await api.close()
                s.problem_from(e)
                return False
            log.info("server unreachable: starting from the cache")
            s.problem_from(e)
        except ApiError as e:
            await api.close()
            s.problem_from(e)
            return False
        await self._live.start(api, url, me)
        return True
