"""Groups: the part of the core that keeps the specialist's groups and acts on them.

- `LOAD` fetches my groups (the window asks once signed in, and again after a reload);
  `group.updated` events keep them: a group I am no longer in is dropped;
- `CREATE`, `ADD`, `REMOVE` make a group and change its members (the server checks that
  each one is from my environment, and that only the creator changes members); `RENAME`
  renames it (the creator only; every member sees it through `group.updated`);
- `SHARED` lists the groups a user and I are both in (the info panel);
- `OPEN` opens a group's chat: the chat part shows it as any chat (messages, files, quotes);
- `CANDIDATES` are the people a group can take: my colleagues, the current line's users
  matching a query (found in the prepared index, never a proxy filter), then the users of my
  other lines the server finds for it.

Every change to the set is one `GroupsChanged` with all of them, newest first.
"""

from __future__ import annotations

import logging

import msgspec

from app.clients.chats import Chats
from app.clients.current_line import CurrentLine
from app.context import Context
from app.core.changes import GroupsChanged
from app.net.events import Event
from contract import groups as wire
from contract.types import AccountKind, EventKind

log = logging.getLogger("linedesk.groups")

LOAD = "groups.load"
"""Intent: () → my groups (and a `GroupsChanged`)."""
CREATE = "groups.create"
"""Intent: (line_id, name, user_ids, specialist_ids) → the group made."""
ADD = "groups.add"
"""Intent: (group_id, user_ids, specialist_ids) → the group now."""
RENAME = "groups.rename"
"""Intent: (group_id, name) → the group now."""
REMOVE = "groups.remove"
"""Intent: (group_id, kind, account_id) → the group now."""
SHARED = "groups.shared"
"""Intent: (user_id) → the groups that user and I are both in (`wire.GroupRef`)."""
OPEN = "groups.open"
"""Intent: (group_id) → its chat shown (`ChatOpened` with user 0)."""
CANDIDATES = "groups.candidates"
"""Intent: (query, limit) → `Candidate`s: colleagues, users of the current line, of my others."""

CANDIDATES_SHOWN = 200


class Candidate(msgspec.Struct, frozen=True):
    """Someone a group can take: a colleague (kind specialist) or a user of the line."""

    kind: AccountKind
    id: int
    full_name: str
    detail: str  # a colleague's position, a user's company


class Groups:
    def __init__(self, session: Context, chats: Chats, line: CurrentLine) -> None:
        self._session = session
        self._chats = chats
        self._line = line
        self.groups: dict[int, wire.Group] = {}
        session.routes.register(EventKind.GROUP_UPDATED, self.on_event)
        for name, intent in (
            (LOAD, self.load),
            (CREATE, self.create),
            (ADD, self.add),
            (RENAME, self.rename),
            (REMOVE, self.remove),
            (SHARED, self.shared),
            (OPEN, self.open),
            (CANDIDATES, self.candidates),
        ):
            session.intents.register(name, intent)

    def _mine(self, group: wire.Group) -> bool:
        me = self._session.me
        return me is not None and any(
            m.kind is AccountKind.SPECIALIST and m.id == me.id for m in group.members
        )

    def _emit(self) -> None:
        ordered = sorted(self.groups.values(), key=lambda g: g.id, reverse=True)
        self._session.emit(GroupsChanged(tuple(ordered)))

    def _keep(self, group: wire.Group) -> wire.Group:
        if self._mine(group):
            self.groups[group.id] = group
        else:
            self.groups.pop(group.id, None)
        self._emit()
        return group

    def on_event(self, ev: Event) -> None:
        if isinstance(ev.payload, wire.Group):
            self._keep(ev.payload)

    async def _call(self, method: str, path: str, body: object = None) -> wire.Group:
        api = self._session.api
        assert api is not None
        raw = await api.call(method, path, json=None if body is None else msgspec.to_builtins(body))
        return self._keep(msgspec.convert(raw, wire.Group))

    async def load(self) -> list[wire.Group]:
        api = self._session.api
        assert api is not None
        got = msgspec.convert(await api.call("GET", "/groups"), wire.Groups)
        self.groups = {g.id: g for g in got.items}
        self._emit()
        return got.items

    async def create(
        self, line_id: int, name: str, user_ids: list[int], specialist_ids: list[int]
    ) -> wire.Group:
        asked = wire.NewGroup(line_id, name, user_ids, specialist_ids)
        return await self._call("POST", "/groups", asked)

    async def add(
        self, group_id: int, user_ids: list[int], specialist_ids: list[int]
    ) -> wire.Group:
        asked = wire.MembersRequest(user_ids, specialist_ids)
        return await self._call("POST", f"/groups/{group_id}/members", asked)

    async def rename(self, group_id: int, name: str) -> wire.Group:
        return await self._call("PATCH", f"/groups/{group_id}", wire.GroupChange(name))

    async def remove(self, group_id: int, kind: AccountKind, account_id: int) -> wire.Group:
        what = "specialists" if kind is AccountKind.SPECIALIST else "users"
        return await self._call("DELETE", f"/groups/{group_id}/{what}/{account_id}")

    async def shared(self, user_id: int) -> list[wire.GroupRef]:
        api = self._session.api
        assert api is not None
        raw = await api.call("GET", f"/users/{user_id}/shared-groups")
        return msgspec.convert(raw, wire.SharedGroups).items

    async def open(self, group_id: int) -> None:
        group = self.groups.get(group_id)
        if group is not None:
            await self._chats.open_chat(group.chat_id)

    async def candidates(self, query: str, limit: int = CANDIDATES_SHOWN) -> list[Candidate]:
        """Colleagues (but me), then users of the current line whose name, login, e-mail or
        company matches `query` (е = ё, any case), then of my other lines; at most `limit`."""
        api = self._session.api
        me = self._session.me
        assert api is not None
        folded = query.strip().lower().replace("ё", "е")
        out: list[Candidate] = []
        colleagues = await api.colleagues()
        for c in colleagues:
            if me is not None and c.id == me.id:
                continue
            if folded in c.full_name.lower().replace("ё", "е"):
                out.append(Candidate(AccountKind.SPECIALIST, c.id, c.full_name, ""))
        users = self._line.users
        ids = users.matching(folded)[:limit]
        here = {i: row for i in ids if (row := users.get(i)) is not None}
        missing = [i for i in ids if i not in here]
        if missing and users.line_id is not None:
            here.update((row.id, row) for row in await api.user_rows(users.line_id, missing))
        rows = [here[i] for i in ids if i in here]
        if folded and not users.complete and users.line_id is not None and len(rows) < limit:
            # the line's users are still on their way (the cache's first rows, a streaming
            # line's active ones): the server finds the rest
            found, _next = await api.users_page(users.line_id, limit=limit, q=query.strip())
            rows.extend(found)
        if folded:  # and the users of my other lines, found by the server
            for line in self._line.lines:
                if line.id != users.line_id and len(rows) < limit:
                    found, _next = await api.users_page(line.id, limit=limit, q=query.strip())
                    rows.extend(found)
        seen: set[int] = set()
        for row in rows:
            if row.colleague or row.id in seen:
                continue  # a colleague's user row (listed as the colleague above), or again
            seen.add(row.id)
            company = row.company.name if row.company is not None else ""
            out.append(Candidate(AccountKind.CLIENT, row.id, row.full_name, company))
        return out[:limit]
