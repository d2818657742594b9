"""Ending a user's calls on a line from the server's side: when the user is disconnected from
the line (server/clients/disconnect.py) a call still ringing or talking ends there and then,
its ``call.updated`` event tells the specialist's client, which hangs up (app/calls/audio.py).
A talked call keeps its result ``answered``; one still ringing ends ``failed``; both say why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from contract import calls as wire
from server.calls import present
from server.calls.models import CallRecord
from server.core import present as core_present
from server.events import log as eventlog


def end_calls_of(
    session: Session,
    line_id: int,
    user_id: int,
    company_id: int,
    reason: str,
    now: dt.datetime,
) -> int:
    """End the user's unfinished calls on the line (locked), each with its event; how many."""
    rows = session.scalars(
        select(CallRecord)
        .where(
            CallRecord.line_id == line_id,
            CallRecord.user_id == user_id,
            CallRecord.state != wire.CallState.ENDED,
        )
        .order_by(CallRecord.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for row in rows:
        talked = row.state is wire.CallState.ANSWERED
        row.result = wire.CallResult.ANSWERED if talked else wire.CallResult.FAILED
        row.state, row.ended_at, row.reason = wire.CallState.ENDED, now, reason
        told(session, row, company_id)
    return len(rows)


def told(session: Session, row: CallRecord, company_id: int) -> wire.CallRecord:
    """The record as the API gives it, and its ``call.updated`` event on the call's line."""
    session.flush()
    answer = present.record(row)
    eventlog.append_sync(
        session,
        company_id,
        "call.updated",
        core_present.data(answer),
        line_id=row.line_id,
        chat_id=row.chat_id,
        user_id=row.user_id,
    )
    return answer
