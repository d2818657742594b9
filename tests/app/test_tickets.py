"""Tickets (app/tickets) against the real server: the part registers its event kinds and
its intent, a row's ticket follows ticket.opened/updated/closed, and finishing one works
through the Workplace's entry."""

from __future__ import annotations

from typing import Any

import pytest

from app.core import changes as ch
from app.core.domain import ConnectionState, Status
from app.core.problems import ProblemCode
from app.net.errors import Unreachable
from app.tickets import part as tickets
from app.workplace import Workplace
from contract.types import EventKind
from tests.app.workplaces import (
    Recorder,
    client_api,
    last_user,
    make_workplace,
    until,
    user_writes,
)

pytestmark = pytest.mark.core


def test_the_tickets_part_registers_its_kinds_and_intent(tmp_path: Any) -> None:
    wp = make_workplace(tmp_path)
    assert set(tickets.EVENT_KINDS) <= wp._session.routes.kinds()
    assert tickets.FINISH in wp._session.intents.names()
    # and the other parts theirs: every kind the contract's stream tells has a part
    assert {str(kind) for kind in EventKind} <= wp._session.routes.kinds()


async def test_a_rows_ticket_follows_the_events_and_finishing_it(
    live: Any, signed_in: tuple[Workplace, Recorder]
) -> None:
    wp, rec = signed_in
    user_id, row = await last_user(wp)
    assert wp.me is not None
    if row.open_ticket is not None:  # the demo left one open: finish it first
        await wp.finish_ticket(user_id)
        assert wp.users.row(user_id).open_ticket is None
    # nobody takes new tickets (routing would give it to a Free one): it waits unheld
    for login in ("demo", "o.smirnova", "m.lebedeva", "s.orlov"):
        colleague = await client_api(live.url, login)
        try:
            await colleague.set_status(Status.BUSY_NEW)
        finally:
            await colleague.close()
    # the user writes: a ticket opens, nobody holds it yet
    await user_writes(live.url, row, "У меня новый вопрос")
    await until(lambda: wp.users.row(user_id).open_ticket is not None, what="ticket.opened")
    opened = wp.users.row(user_id).open_ticket
    assert opened is not None and opened.specialist_id is None
    # the specialist answers: the ticket is theirs
    await wp.open_chat(user_id)
    wp.send(row.chat_id, "Сейчас посмотрю")
    await until(
        lambda: (
            (t := wp.users.row(user_id).open_ticket) is not None and t.specialist_id == wp.me.id
        ),  # type: ignore[union-attr]
        what="ticket.updated",
    )
    # finished from the window's entry: the row shows none at once, the event agrees
    problems = len(rec.of(ch.Problem))
    await wp.finish_ticket(user_id)
    assert wp.users.row(user_id).open_ticket is None
    assert ch.UserChanged(wp.users.row(user_id)) in rec.changes
    assert wp.api is not None
    cursor = wp.events.cursor if wp.events is not None else None
    await user_writes(live.url, row, "Спасибо!")  # a later event: the close came before it
    await until(
        lambda: (t := wp.users.row(user_id).open_ticket) is not None and t.id != opened.id,
        what="a new ticket after the closed one",
    )
    assert wp.events is not None and cursor is not None and wp.events.cursor > cursor
    assert len(rec.of(ch.Problem)) == problems
    assert wp.connection == ConnectionState.CONNECTED


async def test_an_action_whose_reply_is_lost_is_done_not_failed(
    signed_in: tuple[Workplace, Recorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start and Finish whose reply the network lost after the server did them (the
    connection cut on the way back): the row shows what the server did and no problem is
    said (before: "server unreachable" for a ticket that was finished). One the server
    never got is still a problem."""
    wp, rec = signed_in
    assert wp.api is not None and wp.me is not None
    api = wp.api
    user_id, row = await last_user(wp)
    if row.open_ticket is not None:
        await wp.finish_ticket(user_id)

    def reply_lost(real: Any) -> Any:
        async def done_then_cut(*args: Any) -> Any:
            await real(*args)  # the server has it and does it …
            raise Unreachable(detail="ServerDisconnected")  # … its reply never comes

        return done_then_cut

    problems = len(rec.of(ch.Problem))
    monkeypatch.setattr(api, "start_ticket", reply_lost(api.start_ticket))
    await wp.act(tickets.START, user_id)
    started = wp.users.row(user_id).open_ticket
    assert started is not None and started.specialist_id == wp.me.id
    monkeypatch.setattr(api, "finish_ticket", reply_lost(api.finish_ticket))
    await wp.act(tickets.FINISH, user_id)
    assert wp.users.row(user_id).open_ticket is None
    assert len(rec.of(ch.Problem)) == problems
    # never got there: still open on the server, and the specialist is told
    await wp.act(tickets.START, user_id)
    monkeypatch.undo()

    async def never_sent(*_args: Any) -> Any:
        raise Unreachable(detail="ConnectionRefused")

    monkeypatch.setattr(api, "finish_ticket", never_sent)
    await wp.act(tickets.FINISH, user_id)
    assert wp.users.row(user_id).open_ticket is not None
    assert [p.code for p in rec.of(ch.Problem)[problems:]] == [ProblemCode.UNREACHABLE]
