"""The core's rooms without a server: Tasks (the one task owner) and the registries the
parts fill (EventRoutes, Intents)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import pytest

from app.core.routes import EventRoutes, Intents
from app.core.tasks import Tasks

pytestmark = pytest.mark.core


async def test_tasks_keep_report_and_cancel_what_they_own(caplog: pytest.LogCaptureFixture) -> None:
    tasks = Tasks()
    forever = asyncio.Event()
    ended: list[str] = []

    async def waits(name: str) -> None:
        try:
            await forever.wait()
        finally:
            ended.append(name)

    async def fails() -> None:
        raise RuntimeError("boom")

    a = tasks.spawn(waits("a"), "a")
    tasks.spawn(waits("b"), "b")
    with caplog.at_level(logging.ERROR, "linedesk.tasks"):
        failing = tasks.spawn(fails(), "failing")
        await asyncio.wait([failing])
        await asyncio.sleep(0)  # its done-callback runs on the next turn
    assert "task failing failed" in caplog.text and "boom" in caplog.text
    assert len(tasks) == 2 and tasks.running("a") and not tasks.running("failing")
    assert a.get_name() == "a"
    await tasks.cancel_all()
    assert sorted(ended) == ["a", "b"] and len(tasks) == 0
    assert a.cancelled()


async def test_cancel_all_waits_for_what_is_spawned_while_cancelling() -> None:
    tasks = Tasks()
    late_ended = asyncio.Event()

    async def late() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            late_ended.set()

    async def spawns_on_cancel() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            tasks.spawn(late(), "late")

    tasks.spawn(spawns_on_cancel(), "first")
    await asyncio.sleep(0)
    await tasks.cancel_all()
    assert late_ended.is_set() and len(tasks) == 0


async def test_a_task_may_cancel_its_siblings_and_go_on() -> None:
    tasks = Tasks()
    sibling = tasks.spawn(asyncio.Event().wait(), "sibling")

    async def stopper() -> str:
        await tasks.cancel_all()  # not itself: that would wait for itself forever
        return "went on"

    me = tasks.spawn(stopper(), "stopper")
    assert await asyncio.wait_for(me, 5) == "went on"
    assert sibling.cancelled()


async def test_failures_go_to_on_error_when_given() -> None:
    seen: list[tuple[str, str]] = []
    tasks = Tasks(on_error=lambda task, exc: seen.append((task.get_name(), str(exc))))

    async def fails() -> None:
        raise ValueError("bad")

    await asyncio.wait([tasks.spawn(fails(), "x")])
    await asyncio.sleep(0)
    assert seen == [("x", "bad")]


async def test_join_waits_without_cancelling() -> None:
    tasks = Tasks()
    gate = asyncio.Event()
    t = tasks.spawn(gate.wait(), "w")
    asyncio.get_running_loop().call_soon(gate.set)
    await tasks.join()
    assert t.done() and not t.cancelled()


@dataclass(frozen=True)
class Ev:
    kind: str
    n: int = 0


def test_event_routes_hand_each_kind_to_its_handlers() -> None:
    routes: EventRoutes[Ev] = EventRoutes()
    got: list[tuple[str, int]] = []
    routes.register("a", lambda e: got.append(("first", e.n)))
    routes.register("a", lambda e: got.append(("second", e.n)))
    routes.register("b", lambda e: got.append(("b", e.n)))
    assert routes.dispatch(Ev("a", 1)) and routes.dispatch(Ev("b", 2))
    assert not routes.dispatch(Ev("nobody", 3))
    assert got == [("first", 1), ("second", 1), ("b", 2)]
    assert routes.kinds() == {"a", "b"}


async def test_intents_are_registered_once_by_name() -> None:
    intents = Intents()

    async def finish(user_id: int) -> Any:
        return user_id * 2

    intents.register("ticket.finish", finish)
    with pytest.raises(ValueError):
        intents.register("ticket.finish", finish)
    assert await intents.get("ticket.finish")(21) == 42
    assert intents.names() == {"ticket.finish"}
    with pytest.raises(KeyError):
        intents.get("call.start")
