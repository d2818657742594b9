"""Who sees an event: one rule, :func:`may_see`, for the replay of the log and for live
delivery alike (and for typing notices, which are not logged).

* A client user sees what concerns one of their own chats: an item of some line with their
  ``user_id``.
* A specialist sees what concerns a line they serve, and the company-wide kinds
  (``specialist.status``, ``specialist.updated``: a colleague's status, profile or photo)
  of their company's log.
* Nobody gets their own typing notice back.
* An item with an ``audience`` (a group's: its members as "kind:id") reaches those accounts
  and nobody else, whatever its lines.

An item concerns a set of lines (``lines``): mostly one, more when a change moves something
between lines (a ticket handed to another line concerns both). :class:`ViewerIndex` files
the live sockets so the tail looks at few of them per event, but it only narrows the
candidates (a superset of those the rule admits, by construction): the rule decides for each.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

SPECIALIST_WIDE_KINDS = frozenset({"specialist.status", "specialist.updated"})
"""Kinds about no line that every specialist of the company sees (never client users)."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """The account an event stream is for: a specialist with the lines they serve (as of
    the stream's start), or a client user (``client_id``)."""

    author: str  # "kind:id", as typing notices name their typist
    lines: frozenset[int] = frozenset()
    client_id: int | None = None


class Concerning(Protocol):
    """What the rule reads of a logged event or a typing notice."""

    @property
    def kind(self) -> str: ...

    @property
    def lines(self) -> frozenset[int]: ...

    @property
    def user_id(self) -> int | None: ...

    @property
    def hidden_from(self) -> str | None:
        """The author who does not get the item back (a typist), if any."""

    @property
    def audience(self) -> frozenset[str] | None:
        """The only accounts ("kind:id") that see the item, if it names them (a group's)."""


def may_see(viewer: Viewer, item: Concerning) -> bool:
    """The one rule: may ``viewer``'s event stream carry ``item``?"""
    if item.hidden_from is not None and item.hidden_from == viewer.author:
        return False
    if item.audience is not None:
        return viewer.author in item.audience
    lines = item.lines
    if viewer.client_id is not None:
        return item.user_id == viewer.client_id and bool(lines)
    if not lines:
        return item.kind in SPECIALIST_WIDE_KINDS
    return not viewer.lines.isdisjoint(lines)


class Watching(Protocol):
    @property
    def viewer(self) -> Viewer: ...


W = TypeVar("W", bound=Watching)
K = TypeVar("K", int, str)


class ViewerIndex(Generic[W]):
    """The live streams of one company log, filed by line (specialists), by user (client
    users) and by account (an item naming its audience), so an event is checked against the
    streams that could see it, not all of them."""

    def __init__(self) -> None:
        self.by_line: dict[int, set[W]] = {}
        self.by_client: dict[int, set[W]] = {}
        self.by_author: dict[str, set[W]] = {}
        self.specialists: set[W] = set()

    def add(self, watcher: W) -> None:
        viewer = watcher.viewer
        self.by_author.setdefault(viewer.author, set()).add(watcher)
        if viewer.client_id is not None:
            self.by_client.setdefault(viewer.client_id, set()).add(watcher)
            return
        self.specialists.add(watcher)
        for line_id in viewer.lines:
            self.by_line.setdefault(line_id, set()).add(watcher)

    def discard(self, watcher: W) -> None:
        viewer = watcher.viewer
        _discard(self.by_author, viewer.author, watcher)
        if viewer.client_id is not None:
            _discard(self.by_client, viewer.client_id, watcher)
            return
        self.specialists.discard(watcher)
        for line_id in viewer.lines:
            _discard(self.by_line, line_id, watcher)

    def candidates(self, item: Concerning) -> Iterable[W]:
        """Every stream the rule could admit for ``item`` (each once), and few others."""
        if item.audience is not None:  # distinct authors: distinct streams
            by_author = self.by_author
            return itertools.chain.from_iterable(by_author.get(a, ()) for a in item.audience)
        lines = item.lines
        if not lines:
            return self.specialists  # the company-wide kinds
        clients = self.by_client.get(item.user_id, ()) if item.user_id is not None else ()
        if len(lines) == 1:
            (line_id,) = lines
            return itertools.chain(self.by_line.get(line_id, ()), clients)
        specialists: set[W] = set()
        for line_id in lines:
            specialists.update(self.by_line.get(line_id, ()))
        return itertools.chain(specialists, clients)

    def audience(self, item: Concerning) -> list[W]:
        """The streams that get ``item``: the candidates the rule admits."""
        return [w for w in self.candidates(item) if may_see(w.viewer, item)]


def _discard(index: dict[K, set[W]], key: K, watcher: W) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(watcher)
        if not members:
            del index[key]


def lines_of(line_id: int | None, also: Iterable[int] | None = None) -> frozenset[int]:
    """An item's lines: its own line (if any) and the others it also concerns."""
    if not also:
        return frozenset() if line_id is None else frozenset((line_id,))
    return frozenset(also if line_id is None else (line_id, *also))
