"""DemoSupervisor: the embedded demo server while the program runs — started again when it
ends under us (killed, crashed), within a budget, and stopped with the program.

A server that ended is noticed through the connection: when the event stream loses it and
its process is gone, it is started again on its own database (on its old port when that
is free, else another: the ApiClient follows) and the program says so
(`ProblemCode.DEMO_RESTARTED`); the session, the cursor and the outbox carry on — none of
them depends on the process. At most `RESTARTS` times in `RESTARTS_WITHIN` seconds; past
that it stays down, said once (`DEMO_FAILED`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.context import Context
from app.core.changes import Problem
from app.core.domain import ConnectionState
from app.core.problems import ProblemCode
from app.core.tasks import Tasks

if TYPE_CHECKING:
    from app.demo.server import DemoServer

log = logging.getLogger("linedesk.workplace.demo")

RESTARTS, RESTARTS_WITHIN = 3, 60.0  # an ended demo server: restarted ≤ 3× a minute


class DemoSupervisor:
    def __init__(self, session: Context, retry_now: Callable[[], None]) -> None:
        self._session = session
        self._retry_now = retry_now  # the stream: try the server again at once
        self.server: DemoServer | None = None  # set by the demo sign-in
        self.tasks = Tasks(log=log)
        self._reviving = False
        self._restarts: list[float] = []  # when it was started again (monotonic)
        self._given_up = False

    def on_connection(self, state: ConnectionState) -> None:
        """The connection's state changed: a lost connection may be a server that ended."""
        server = self.server
        if (
            state != ConnectionState.CONNECTED
            and server is not None
            and server.ended
            and not self._reviving
            and not self._given_up
        ):
            self._reviving = True
            self.tasks.spawn(self._revive(server), "revive-demo-server")

    async def _revive(self, server: DemoServer) -> None:
        from app.demo.server import DemoServerError

        s = self._session
        try:
            log.warning("the demo server ended (%s): starting it again", server.output[-1:])
            while True:
                now = time.monotonic()
                self._restarts = [t for t in self._restarts if now - t < RESTARTS_WITHIN]
                if len(self._restarts) >= RESTARTS:
                    log.error("the demo server keeps ending: not started again")
                    self._given_up = True
                    s.emit(Problem(ProblemCode.DEMO_FAILED, "\n".join(server.output[-5:])))
                    return
                self._restarts.append(now)
                try:
                    url = await server.restart()
                    break
                except (DemoServerError, OSError) as e:
                    log.error("demo server: %s", e)
            if server is not self.server:  # closed meanwhile
                return
            if url != s.server_url and s.api is not None:
                s.api.server_url = url  # another port: the same server and data
                s.server_url = url
            s.emit(Problem(ProblemCode.DEMO_RESTARTED))
            self._retry_now()
        finally:
            self._reviving = False

    async def stop(self) -> None:
        """The program closes: the server stops with it."""
        await self.tasks.cancel_all()
        server, self.server = self.server, None
        if server is not None:
            await server.stop()
