"""Disconnecting a user of the current line, and restoring them (seed 004: "on a repeated
breach such users are disconnected from the support lines (ban, black list)").

``PUT``/``DELETE /lines/{line_id}/users/{user_id}/disconnection``. The row's
``disconnected`` says it (by whom, when, why): set from the answer at once, and by the
``user.updated`` event every specialist of the line gets (``CurrentLine.on_user_event``
merges it), so another window follows live. A refusal (the server's, or no connection) is
a Problem, said by the window; the row stays as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from app.clients.current_line import CurrentLine
from app.context import Context
from app.core import parse
from app.net.errors import MalformedReply
from contract.disconnections import Disconnection

DISCONNECT = "disconnect.user"
"""Intent: disconnect a user (`user_id`) of the current line from it, with the `reason`,
until restored or (`until`) for a time; (`also_lines`) from those other lines of mine too."""
RESTORE = "disconnect.restore"
"""Intent: restore a disconnected user (`user_id`) to the current line."""


class Disconnections:
    def __init__(self, session: Context, line: CurrentLine) -> None:
        self._session = session
        self._line = line
        session.intents.register(DISCONNECT, self.disconnect)
        session.intents.register(RESTORE, self.restore)

    def _path(self, user_id: int) -> str | None:
        line_id = self._line.users.line_id
        return None if line_id is None else f"/lines/{line_id}/users/{user_id}/disconnection"

    async def disconnect(
        self,
        user_id: int,
        reason: str,
        until: dt.datetime | None = None,
        also_lines: Sequence[int] = (),
    ) -> Disconnection | None:
        """``until``: for a time (lifted by the server then); None: until restored.
        ``also_lines``: other lines of mine to disconnect them from at once (seed 004: the
        account blocked); the answer and the row are this line's (the others' rows come by
        event)."""
        api, path = self._session.api, self._path(user_id)
        if api is None or path is None:
            return None
        body: dict[str, object] = {"reason": reason}
        if until is not None:
            body["until"] = until.isoformat()
        if also_lines:
            body["also_lines"] = list(also_lines)
        raw = await api.call("PUT", path, json=body)
        try:
            done = parse.convert(raw, Disconnection)
        except parse.Malformed as e:
            raise MalformedReply(detail=f"disconnection: {e}") from None
        self._show(user_id, done)
        return done

    async def restore(self, user_id: int) -> bool:
        api, path = self._session.api, self._path(user_id)
        if api is None or path is None:
            return False
        await api.call("DELETE", path)
        self._show(user_id, None)
        return True

    def _show(self, user_id: int, disconnected: Disconnection | None) -> None:
        row = self._line.users.get(user_id)
        if row is not None and row.disconnected != disconnected:
            # the ticket's closing comes as its own event
            self._line.update_row(dataclasses.replace(row, disconnected=disconnected))
