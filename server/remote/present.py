"""A remote_sessions row as the contract's RemoteSession."""

from __future__ import annotations

from contract import remote as wire
from server.core.present import ms, opt_ms
from server.remote.models import RemoteSession


def session(row: RemoteSession) -> wire.RemoteSession:
    reach: wire.Reach | None = None
    if row.reach_via is wire.Via.REVERSE:
        reach = wire.ReverseReach(row.reach_host, row.reach_port)
    elif row.reach_via is not None and row.reach_host and row.reach_port:
        if row.reach_via is wire.Via.REPEATER and row.repeater_id:
            reach = wire.RepeaterReach(row.reach_host, row.reach_port, row.repeater_id)
        elif row.reach_via is wire.Via.DIRECT:
            reach = wire.DirectReach(row.reach_host, row.reach_port)
    duration = None
    if row.connected_at is not None and row.ended_at is not None:
        duration = max(0, round((row.ended_at - row.connected_at).total_seconds()))
    return wire.RemoteSession(
        id=row.id,
        line_id=row.line_id,
        user_id=row.user_id,
        ticket_id=row.ticket_id,
        specialist_id=row.specialist_id,
        mode=row.mode,
        state=row.state,
        reason=row.reason,
        reach=reach,
        requested_at=ms(row.requested_at),
        connected_at=opt_ms(row.connected_at),
        ended_at=opt_ms(row.ended_at),
        duration=duration,
        comment=row.comment,
    )
