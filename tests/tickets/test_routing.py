"""Routing on the real server: 100 tickets opened at once across five specialists in
different statuses and capacities (on PostgreSQL through two server processes racing each
other), the responsible specialist first, Do not disturb moving an open ticket on, a place
freed while a ticket is being queued or while its user writes again, the decisions of a
line side by side (but waiting for a responsible specialist)."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from server.core.db import Database, parse_url
from server.core.models import ClientUser, CompanyResponsible, Line, Specialist
from server.core.models import SpecialistStatus as Status
from server.tickets.loads import TicketLoad
from server.tickets.models import RoutingSettings
from server.tickets.routing import ANYONE, NEVER
from server.tickets.wake import with_room
from tests.conftest import ServerProcess
from tests.server.api import Api
from tests.server.conftest import Deployment
from tests.tickets.conftest import ACCOUNTING, Admin
from tests.tickets.helpers import (
    at_once,
    chat_of,
    holding,
    line_id,
    load,
    open_of,
    queue,
    rows,
    set_status,
    specialist_lock,
    waiting_on_locks,
    write,
)
from tests.tickets.test_comments import frames_until

pytestmark = pytest.mark.tickets


@pytest.fixture
def servers(deployment: Deployment) -> list[ServerProcess]:
    """As tests/tickets/conftest.py's, with no sweep turning meanwhile: the queue's sweep
    (server/tickets/wake.py) would give a ticket left beside a free place too, later, and
    the lost wake-up below is about what happens without it."""
    count = 2 if deployment.backend == "postgres" else 1
    return [deployment.start("--sweep-every", "3600") for _ in range(count)]


# The accounting line's specialists: (login, full name, status, capacity)
TEAM = [
    ("demo", "Демидова Анна Сергеевна", "free", 5),
    ("o.smirnova", "Смирнова Ольга Викторовна", "free", 3),
    ("m.lebedeva", "Лебедева Марина Олеговна", "free", 8),
    ("d.kuznetsov", "Кузнецов Дмитрий Андреевич", "busy_new", 5),
    ("e.volkova", "Волкова Екатерина Игоревна", "away", 4),
    ("n.pavlova", "Павлова Наталья Михайловна", "dnd", 5),
]


async def test_a_hundred_tickets_at_once_fill_capacities_and_queue_the_rest(
    api: Api, admin: Admin, servers: list[ServerProcess]
) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    for login, _name, _status, capacity in TEAM:
        await admin.specialist(login, capacity)
        await set_status(api, login, "away")  # nobody takes the queue while it is set up
    before = open_of(await load(demo, line))
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    assert len(quiet) >= 100
    users = await asyncio.gather(*(api.as_user(r["login"]) for r in quiet[:100]))
    chats = await asyncio.gather(*(chat_of(u, line) for u in users))
    for login, _name, status, _capacity in TEAM:
        await set_status(api, login, status)

    # The hundred at once, through every server process.
    await asyncio.gather(
        *(
            write(u.at(servers[k % len(servers)].url), c, f"вопрос {k}")
            for k, (u, c) in enumerate(zip(users, chats, strict=True))
        )
    )

    after = open_of(await load(demo, line))
    for _login, name, status, capacity in TEAM:
        if status == "free":
            assert after[name] == capacity, name  # filled exactly
        else:
            assert after[name] == before[name], name  # got nothing new
    queued = await queue(admin, line)
    given = sum(after.values()) - sum(before.values())
    assert given + len(queued) >= 100  # every new ticket is held or queued
    assert given == sum(cap - before[n] for _l, n, s, cap in TEAM if s == "free")

    # A freed place takes the oldest queued ticket.
    lebedeva = await api.as_user("m.lebedeva")
    mine = [
        r["open_ticket"]["id"]
        for r in await rows(demo, line)
        if r["open_ticket"] and r["open_ticket"]["specialist_id"] == await _id(lebedeva)
    ]
    finished = await lebedeva.call("POST", f"/tickets/{mine[0]}/finish")
    assert finished.status == 200, finished.body
    now_queued = await queue(admin, line)
    assert now_queued == queued[1:]
    taken = await lebedeva.get(f"/lines/{line}/users/{await _user_of(demo, line, queued[0])}")
    assert taken["open_ticket"]["specialist_id"] == await _id(lebedeva)

    # Busy for new → Free: the oldest ones, up to capacity.
    await set_status(api, "d.kuznetsov", "free")
    assert await queue(admin, line) == now_queued[5 - before["Кузнецов Дмитрий Андреевич"] :]


async def _id(who: Api) -> int:
    return int((await who.get("/me"))["id"])


async def _user_of(demo: Api, line: int, ticket_id: int) -> int:
    for r in await rows(demo, line):
        if r["open_ticket"] and r["open_ticket"]["id"] == ticket_id:
            return int(r["id"])
    raise AssertionError(f"no row has ticket {ticket_id}")


async def test_the_responsible_specialist_first(api: Api, admin: Admin) -> None:
    demo, line, user_row, responsible = await _responsible_case(api, admin)
    user = await api.as_user(user_row["login"])
    await write(user, await chat_of(user, line), "здравствуйте")
    card = await demo.get(f"/lines/{line}/users/{user_row['id']}")
    assert card["open_ticket"]["specialist_id"] == responsible


async def test_a_decision_waits_for_the_responsible_specialist(
    api: Api, admin: Admin, deployment: Deployment
) -> None:
    """Other colleagues a decision passes over while another transaction holds them; the
    responsible specialist it waits for: the user's company has the first right to them."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: there are no row locks to pass over")
    demo, line, user_row, responsible = await _responsible_case(api, admin)
    user = await api.as_user(user_row["login"])
    chat = await chat_of(user, line)
    async with holding(deployment, specialist_lock(responsible)):
        writing = asyncio.create_task(write(user, chat, "здравствуйте"))
        await waiting_on_locks(admin, 1)
    await writing
    card = await demo.get(f"/lines/{line}/users/{user_row['id']}")
    assert card["open_ticket"]["specialist_id"] == responsible


async def test_a_responsible_specialist_with_no_room_once_waited_for_leaves_it_to_a_colleague(
    api: Api, admin: Admin, deployment: Deployment
) -> None:
    """The responsible specialist, held by another transaction, has no room once it lets
    them go (here they went Away in it): the decision goes on to a Free colleague with room
    at once, so the ticket opens with a holder, not queued to be given by the look after its
    commit."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: there are no row locks to wait for")
    demo, line, user_row, responsible = await _responsible_case(api, admin)
    user = await api.as_user(user_row["login"])
    chat = await chat_of(user, line)
    gone = update(Specialist).where(Specialist.id == responsible).values(status=Status.AWAY)
    async with demo.events() as window:
        await window.receive()  # hello
        async with holding(deployment, gone, commit=True):
            writing = asyncio.create_task(write(user, chat, "здравствуйте"))
            await waiting_on_locks(admin, 1)
        written = await writing
        frames = await frames_until(
            window,
            lambda f: (
                f.get("kind") == "ticket.opened"
                and (f.get("data") or {}).get("id") == written["ticket_id"]
            ),
        )
    assert frames[-1]["data"]["specialist_id"] not in (None, responsible)


async def _responsible_case(api: Api, admin: Admin) -> tuple[Api, int, dict[str, Any], int]:
    """A quiet user of the accounting line whose company's responsible specialist serves
    it; everyone on the line Free with room, the responsible one the busiest."""
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    user_row = quiet[0]
    company = await admin.scalar(
        ClientUser.__table__.select()
        .with_only_columns(ClientUser.company_id)
        .where(ClientUser.id == user_row["id"])
    )
    responsible = await admin.scalar(
        CompanyResponsible.__table__.select()
        .with_only_columns(CompanyResponsible.specialist_id)
        .join(Specialist.__table__, Specialist.id == CompanyResponsible.specialist_id)
        .where(CompanyResponsible.company_id == company)
        .order_by(CompanyResponsible.specialist_id)
    )
    serving = {s["id"] for s in (await load(demo, line))["specialists"]}
    if responsible not in serving:  # make them serve the line: their company's usual case
        pytest.skip("the seeded responsible does not serve the accounting line")
    # Everyone Free and empty-handed but the responsible one is the busiest of the line.
    for s in (await load(demo, line))["specialists"]:
        await set_status(api, (await _login(admin, s["id"])), "free")
        await admin.specialist(await _login(admin, s["id"]), 50)
    return demo, line, user_row, int(responsible)


async def _login(admin: Admin, specialist_id: int) -> str:
    return str(
        await admin.scalar(
            Specialist.__table__.select()
            .with_only_columns(Specialist.login)
            .where(Specialist.id == specialist_id)
        )
    )


async def test_do_not_disturb_moves_an_open_ticket_on(api: Api, admin: Admin) -> None:
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    for login, *_ in TEAM:
        await set_status(api, login, "away")
    await set_status(api, "o.smirnova", "free")
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    user = await api.as_user(quiet[0]["login"])
    chat = await chat_of(user, line)
    await write(user, chat, "первый вопрос")
    smirnova = await api.as_user("o.smirnova")
    smirnova_id = await _id(smirnova)
    card = await demo.get(f"/lines/{line}/users/{quiet[0]['id']}")
    assert card["open_ticket"]["specialist_id"] == smirnova_id
    ticket_id = card["open_ticket"]["id"]

    await set_status(api, "o.smirnova", "dnd")
    await set_status(api, "m.lebedeva", "free")
    async with demo.events() as ws:
        await ws.receive()  # hello
        await write(user, chat, "вы здесь?")
        async with asyncio.timeout(20):
            while True:
                frame = json.loads((await ws.receive()).data)
                if frame.get("kind") == "ticket.updated" and frame["data"]["id"] == ticket_id:
                    break
    lebedeva_id = await _id(await api.as_user("m.lebedeva"))
    assert frame["data"]["specialist_id"] == lebedeva_id  # the event names the new holder
    card = await demo.get(f"/lines/{line}/users/{quiet[0]['id']}")
    assert (card["open_ticket"]["id"], card["open_ticket"]["specialist_id"]) == (
        ticket_id,
        lebedeva_id,
    )

    # Nobody Free: the next DND move goes to the queue.
    await set_status(api, "m.lebedeva", "dnd")
    await write(user, chat, "ау")
    assert ticket_id in await queue(admin, line)


async def test_a_place_freed_while_a_ticket_is_being_queued_takes_it(
    api: Api, admin: Admin, servers: list[ServerProcess], deployment: Deployment
) -> None:
    """The lost wake-up: a user writes while the only Free specialist is full, and that
    specialist finishes a ticket at the same moment. The finish drains the queue before the
    new ticket is committed, so it must wait for it: otherwise it drains nothing, and the
    new ticket waits in the queue beside a free place until something else happens.

    The two transactions are held at the same point by a lock the test takes on the
    company's event counter (each one appends its events last), so the interleaving is the
    harmful one every time, not by luck of timing."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: the two transactions cannot interleave")
    demo, line, quiet, lebedeva, held = await _her_last_place_taken(api, admin)
    second = await api.as_user(quiet[1]["login"])
    second_chat = await chat_of(second, line)
    her = await _id(lebedeva)

    async with lebedeva.events() as her_window:
        await her_window.receive()  # hello
        writing = write(second.at(servers[0].url), second_chat, "второй вопрос")
        finishing = lebedeva.at(servers[-1].url).call("POST", f"/tickets/{held['id']}/finish")
        written, finished = await at_once(admin, deployment, line, writing, finishing)
        assert finished.status == 200
        # the queued ticket reaches her: at once, or by the check after its commit
        await frames_until(her_window, _given(written["ticket_id"], her))

    card = await demo.get(f"/lines/{line}/users/{quiet[1]['id']}")
    assert card["open_ticket"]["specialist_id"] == her
    assert await queue(admin, line) == []


def _given(ticket_id: int, specialist_id: int) -> Callable[[dict[str, Any]], bool]:
    def done(frame: dict[str, Any]) -> bool:
        data = frame.get("data") or {}
        return (
            frame.get("kind") in ("ticket.opened", "ticket.updated")
            and data.get("id") == ticket_id
            and data.get("specialist_id") == specialist_id
        )

    return done


async def test_a_user_writing_again_while_queued_does_not_hide_the_ticket_from_the_queue(
    api: Api, admin: Admin, servers: list[ServerProcess], deployment: Deployment
) -> None:
    """A queued user writes again just as the only Free specialist frees a place. The
    finish gives the queue's oldest to that place while the message is being written: the
    message must not hide its ticket from the queue (before: it locked the ticket FOR UPDATE,
    the queue passed it over, and it stayed queued beside the free place). Both transactions
    are held where they append their events, as in the test above."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: the two transactions cannot interleave")
    demo, line, quiet, lebedeva, held = await _her_last_place_taken(api, admin)
    second = await api.as_user(quiet[1]["login"])
    second_chat = await chat_of(second, line)
    await write(second, second_chat, "второй вопрос")
    queued = (await demo.get(f"/lines/{line}/users/{quiet[1]['id']}"))["open_ticket"]
    assert queued["specialist_id"] is None and await queue(admin, line) == [queued["id"]]

    writing = write(second.at(servers[0].url), second_chat, "ау?")
    finishing = lebedeva.at(servers[-1].url).call("POST", f"/tickets/{held['id']}/finish")
    finished = (await at_once(admin, deployment, line, writing, finishing))[1]
    assert finished.status == 200

    card = await demo.get(f"/lines/{line}/users/{quiet[1]['id']}")
    assert card["open_ticket"]["id"] == queued["id"]
    assert card["open_ticket"]["specialist_id"] == await _id(lebedeva)
    assert await queue(admin, line) == []


async def test_decisions_of_a_line_run_side_by_side(
    api: Api, admin: Admin, deployment: Deployment
) -> None:
    """A new ticket's decision waits neither for the line (held by a transfer, a Start work
    or a decision that found nobody with room) nor for a colleague another transaction is
    giving a ticket to: it passes over that one and takes the next with room. The test holds
    both locks itself, as those transactions would."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: there are no row locks to pass over")
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    await _all_away_but(api, "m.lebedeva", "o.smirnova")
    for login in ("m.lebedeva", "o.smirnova"):
        await admin.specialist(login, 50)
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    user = await api.as_user(quiet[0]["login"])
    chat = await chat_of(user, line)
    two = [await _id(await api.as_user(login)) for login in ("m.lebedeva", "o.smirnova")]
    # the one the decision tries first is held, as a decision beside it would hold them
    first, second = sorted(two, key=await _routing_order(admin, two))

    line_lock = select(Line.id).where(Line.id == line).with_for_update(key_share=True)
    async with holding(deployment, line_lock, specialist_lock(first)):
        async with asyncio.timeout(20):  # before: it waited for the line until the end
            await write(user, chat, "здравствуйте")
    card = await demo.get(f"/lines/{line}/users/{quiet[0]['id']}")
    assert card["open_ticket"]["specialist_id"] == second


async def test_queued_decisions_of_a_line_run_side_by_side(
    api: Api, admin: Admin, deployment: Deployment, servers: list[ServerProcess]
) -> None:
    """A ticket that finds nobody with room is queued without waiting for the line or its
    colleagues (held here by the test, as a transfer or a decision beside it holds them):
    the queued decisions of a burst no longer go one after another."""
    if deployment.backend != "postgres":
        pytest.skip("SQLite has one writer: there are no row locks to wait for")
    _demo, line, quiet, lebedeva, _held = await _her_last_place_taken(api, admin)
    second = await api.as_user(quiet[1]["login"])
    chat = await chat_of(second, line)
    line_lock = select(Line.id).where(Line.id == line).with_for_update(key_share=True)
    async with holding(deployment, line_lock, specialist_lock(await _id(lebedeva))):
        async with asyncio.timeout(20):  # before: it waited for the line until the end
            written = await write(second.at(servers[-1].url), chat, "вопрос")
        assert await queue(admin, line) == [written["ticket_id"]]


async def test_a_look_goes_only_where_a_queue_waits(api: Api, admin: Admin) -> None:
    """The look after a commit (and the sweep) names nobody on a line with no queue, and
    after a freed place only the specialist whose place it was: a finish with an empty
    queue costs one read, not a drain for every Free colleague with room. (No sweep turns
    here: the fixture above.)"""
    demo = await api.as_user("demo")
    line = await admin.line(ACCOUNTING)
    for login in ("o.smirnova", "m.lebedeva"):
        await admin.specialist(login, 50)
    await _all_away_but(api, "m.lebedeva")  # she takes what the seed had queued
    await set_status(api, "m.lebedeva", "away")
    db = Database(parse_url(admin.db_url))

    async def look(*who: int) -> list[int]:
        return await db.query(functools.partial(with_room, line_id=line, who=frozenset(who)))

    try:
        assert await queue(admin, line) == []
        await set_status(api, "o.smirnova", "free")
        assert await look(ANYONE) == []  # Free with room, but nothing waits
        await set_status(api, "o.smirnova", "away")
        row = next(
            r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]
        )
        user = await api.as_user(row["login"])
        await write(user, await chat_of(user, line), "вопрос")  # nobody Free: queued
        ids = {
            login: await admin.scalar(select(Specialist.id).where(Specialist.login == login))
            for login in ("demo", "o.smirnova", "m.lebedeva")
        }
        for login in ("o.smirnova", "m.lebedeva"):  # Free behind the server's back: no drain
            await admin.run(
                update(Specialist).where(Specialist.id == ids[login]).values(status="free")
            )
        both = {ids["o.smirnova"], ids["m.lebedeva"]}
        assert set(await look(ANYONE)) == both
        assert await look(ids["o.smirnova"]) == [ids["o.smirnova"]]  # her place freed
        assert await look(ids["demo"]) == []  # away: nothing of hers to give
    finally:
        await db.close()


async def _routing_order(admin: Admin, ids: list[int]) -> Callable[[int], tuple[Any, ...]]:
    """The order :func:`server.tickets.routing.candidates` puts these specialists in: the
    fewest open tickets, then never given one, then given one longest ago, then the id."""
    order = {}
    for sid in ids:
        open_now = await admin.scalar(
            select(TicketLoad.open_tickets).where(TicketLoad.specialist_id == sid)
        )
        last = await admin.scalar(
            select(RoutingSettings.last_assigned_at).where(RoutingSettings.specialist_id == sid)
        )
        order[sid] = (open_now or 0, last is not None, last or NEVER, sid)
    return order.__getitem__


async def _her_last_place_taken(
    api: Api, admin: Admin
) -> tuple[Api, int, list[dict[str, Any]], Api, dict[str, Any]]:
    """Only m.lebedeva Free on the accounting line, her last place just taken by the first
    quiet user's question: (demo, the line, its quiet users, her, that ticket)."""
    demo = await api.as_user("demo")
    line = await line_id(demo, ACCOUNTING)
    await _all_away_but(api, "m.lebedeva")  # she takes what the seed had queued
    already = open_of(await load(demo, line))["Лебедева Марина Олеговна"]
    await admin.specialist("m.lebedeva", already + 1)
    quiet = [r for r in await rows(demo, line) if r["open_ticket"] is None and not r["colleague"]]
    first = await api.as_user(quiet[0]["login"])
    await write(first, await chat_of(first, line), "первый вопрос")
    lebedeva = await api.as_user("m.lebedeva")
    held = (await demo.get(f"/lines/{line}/users/{quiet[0]['id']}"))["open_ticket"]
    assert held["specialist_id"] == await _id(lebedeva)  # her last place is taken
    return demo, line, quiet, lebedeva, held


async def _all_away_but(api: Api, *free: str) -> None:
    for login, *_ in TEAM:
        await set_status(api, login, "away")
    for login in free:
        await set_status(api, login, "free")
