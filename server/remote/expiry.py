"""A remote-desktop request nobody answers: timed out after ``REQUEST_TIMEOUT`` seconds; a
session accepted that never connects: timed out ``CONNECT_TIMEOUT`` seconds after that.

The second is for a session nobody follows: the specialist's reply to the request was lost
(the connection cut after the server took it), so no viewer was started for it and nothing
would ever report on it — it stayed "accepted" for good. A viewer that was started reports
connected or its own time-out well within that time (the launcher's, 120 s).

Two ways, one outcome: whoever touches the request after its deadline finds it timed out
(routes.py), and the sweep (server/core/sweeps.py) times out the ones nobody touches, so
the specialist's window, the user's side and a colleague watching the user all learn of it
by the ``remote.updated`` event when it happens, not when someone next asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from contract import remote as wire
from server.core import present as core_present
from server.core.db import Database
from server.core.models import Line, utcnow
from server.core.sweeps import Sweep
from server.events import log as eventlog
from server.remote import present
from server.remote.models import RemoteSession

S = wire.RemoteState
TIMEOUT = dt.timedelta(seconds=wire.REQUEST_TIMEOUT)
# from the request: its answer's time, then the connection's
CONNECTING = TIMEOUT + dt.timedelta(seconds=wire.CONNECT_TIMEOUT)
NO_ANSWER = "no answer"
NOT_CONNECTED = "not connected"


def why_expired(row: RemoteSession, now: dt.datetime) -> str | None:
    """The reason a session is timed out by now; None while it may go on."""
    if row.state is S.REQUESTED and now - row.requested_at > TIMEOUT:
        return NO_ANSWER
    if row.state is S.ACCEPTED and now - row.requested_at > CONNECTING:
        return NOT_CONNECTED
    return None


def expired(row: RemoteSession, now: dt.datetime) -> bool:
    return why_expired(row, now) is not None


def time_out(row: RemoteSession, now: dt.datetime) -> None:
    end(row, S.TIMED_OUT, why_expired(row, now), now)


def end(row: RemoteSession, state: S, reason: str | None, now: dt.datetime) -> None:
    row.state, row.reason = state, reason
    row.ended_at = now


def sweep(session: Session, now: dt.datetime | None = None) -> int:
    """Time out the requests and the accepted sessions past their deadlines, each with its
    event; how many."""
    now = now or utcnow()
    rows = session.execute(
        select(RemoteSession, Line.company_id)
        .join(Line, Line.id == RemoteSession.line_id)
        .where(
            or_(
                and_(
                    RemoteSession.state == S.REQUESTED,
                    RemoteSession.requested_at < now - TIMEOUT,
                ),
                and_(
                    RemoteSession.state == S.ACCEPTED,
                    RemoteSession.requested_at < now - CONNECTING,
                ),
            )
        )
        .order_by(RemoteSession.id)
        .with_for_update(of=RemoteSession, skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    for row, company_id in rows:
        ended(session, row, S.TIMED_OUT, why_expired(row, now), int(company_id), now)
    return len(rows)


def ended(
    session: Session,
    row: RemoteSession,
    state: S,
    reason: str | None,
    company_id: int,
    now: dt.datetime,
) -> None:
    """End a locked session with its event (``remote.updated``) in this transaction."""
    end(row, state, reason, now)
    eventlog.append_sync(
        session,
        company_id,
        "remote.updated",
        core_present.data(present.session(row)),
        line_id=row.line_id,
        chat_id=row.chat_id,
        user_id=row.user_id,
    )


def unfinished_of(session: Session, line_id: int, user_id: int) -> list[RemoteSession]:
    """The user's sessions on the line not yet over (asked, accepted, connected), locked."""
    return list(
        session.scalars(
            select(RemoteSession)
            .where(
                RemoteSession.line_id == line_id,
                RemoteSession.user_id == user_id,
                RemoteSession.state.not_in(wire.FINAL_STATES),
            )
            .order_by(RemoteSession.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


async def _run(db: Database) -> int:
    return await db.transact(sweep)


SWEEP = Sweep("remote requests' time-out", _run)
