"""Routing decision time (server/tickets/routing.py) with 1 000 Free specialists on one line
and 10 000 open tickets among them: the line lock, the candidates with their open counts,
the responsible specialists, the chosen one locked and counted again — as one new ticket's
routing runs inside its transaction (rolled back after each, so every decision sees the
same load). SQLite file, in process; one JSON line per figure (tests/benchmarks/common.py)."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

import server.models  # noqa: F401  (every table on Base)
from server.core.models import (
    Base,
    Chat,
    ClientUser,
    Company,
    Line,
    LineSpecialist,
    Specialist,
    SpecialistStatus,
    Ticket,
    TicketState,
    utcnow,
)
from server.tickets import routing
from server.tickets.models import RoutingSettings
from tests.benchmarks.common import emit, note, percentile

SPECIALISTS = 1_000
OPEN_TICKETS = 10_000
DECISIONS = 300
WARM_UP = 30  # the first decisions fill SQLite's page cache: not counted
GOAL_P99_MS = 5.0


def build(path: Path) -> tuple[str, list[int]]:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    rng = random.Random(9)
    now = utcnow()
    with Session(engine) as s, s.begin():
        s.execute(insert(Company), [{"id": 1, "name": "serving", "serving": True}])
        s.execute(insert(Company), [{"id": 2, "name": "client"}])
        s.execute(insert(Line), [{"id": 1, "company_id": 1, "name": "L", "public_name": "L"}])
        s.execute(
            insert(Specialist),
            [
                {"id": i, "company_id": 1, "login": f"s{i}", "status": SpecialistStatus.FREE}
                for i in range(1, SPECIALISTS + 1)
            ],
        )
        s.execute(
            insert(LineSpecialist),
            [{"line_id": 1, "specialist_id": i} for i in range(1, SPECIALISTS + 1)],
        )
        s.execute(
            insert(RoutingSettings),
            [
                {"specialist_id": i, "capacity": 12, "supervisor": False, "last_assigned_at": now}
                for i in range(1, SPECIALISTS + 1)
            ],
        )
        users = OPEN_TICKETS + DECISIONS
        s.execute(
            insert(ClientUser),
            [{"id": u, "company_id": 2, "login": f"u{u}"} for u in range(1, users + 1)],
        )
        s.execute(
            insert(Chat), [{"id": u, "line_id": 1, "user_id": u} for u in range(1, users + 1)]
        )
        s.execute(
            insert(Ticket),
            [
                {
                    "id": t,
                    "chat_id": t,
                    "line_id": 1,
                    "user_id": t,
                    "specialist_id": rng.randint(1, SPECIALISTS),
                    "state": TicketState.OPEN,
                    "opened_at": now,
                }
                for t in range(1, OPEN_TICKETS + 1)
            ],
        )
    engine.dispose()
    return url, list(range(OPEN_TICKETS + 1, OPEN_TICKETS + DECISIONS + 1))


def measure(url: str, chats: list[int]) -> list[float]:
    engine = create_engine(url)
    times: list[float] = []
    try:
        for chat_id in chats:
            with Session(engine) as s:
                s.begin()
                ticket = Ticket(chat_id=chat_id, line_id=1, user_id=chat_id, opened_at=utcnow())
                s.add(ticket)
                s.flush()
                start = time.perf_counter()
                routing.lock_line(s, 1)
                chosen = routing.choose(s, ticket)
                times.append((time.perf_counter() - start) * 1000)
                assert chosen is not None
                s.rollback()
    finally:
        engine.dispose()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, chats = build(Path(tmp) / "routing.db")
        note(f"routing: {SPECIALISTS} specialists, {OPEN_TICKETS} open tickets, SQLite")
        times = measure(url, chats)[WARM_UP:]
    emit("tickets.routing_decision_p50", percentile(times, 50), "ms", None)
    emit(
        "tickets.routing_decision_p99",
        percentile(times, 99),
        "ms",
        GOAL_P99_MS,
        specialists=SPECIALISTS,
        open_tickets=OPEN_TICKETS,
        decisions=len(times),
    )


if __name__ == "__main__":
    main()
