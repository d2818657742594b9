"""Routes: what the parts of the core registered — the event kinds each handles and the
intents each offers. The Workplace only routes: an event from the stream goes to the
handlers registered for its kind, an intent by name to the part that registered it. A new
capability (calls, remote sessions, transfers) is a new package that registers here, not an
edit of the Workplace's dispatch.

The event type is the stream's (`app.net.events.Event`); the core only needs its `kind`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar


class Routed(Protocol):
    @property
    def kind(self) -> str: ...


E = TypeVar("E", bound=Routed)
Intent = Callable[..., Awaitable[Any]]


class EventRoutes(Generic[E]):
    """Event kind → the handlers registered for it, in the order registered."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Callable[[E], None]]] = {}

    def register(self, kind: str, handler: Callable[[E], None]) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def dispatch(self, event: E) -> bool:
        """Hand `event` to its kind's handlers; False: no part handles this kind. A handler's
        exception propagates (the caller decides what a malformed event costs)."""
        handlers = self._handlers.get(event.kind)
        if not handlers:
            return False
        for handler in handlers:
            handler(event)
        return True


class Intents:
    """Intent name → the coroutine function a part registered for it (one per name)."""

    def __init__(self) -> None:
        self._intents: dict[str, Intent] = {}

    def register(self, name: str, intent: Intent) -> None:
        if name in self._intents:
            raise ValueError(f"intent {name!r} is registered already")
        self._intents[name] = intent

    def names(self) -> frozenset[str]:
        return frozenset(self._intents)

    def get(self, name: str) -> Intent:
        """The registered intent; KeyError for a name no part registered."""
        return self._intents[name]
