"""A call_records row as the contract's CallRecord."""

from __future__ import annotations

from contract import calls as wire
from server.calls.models import CallRecord
from server.core.present import ms, opt_ms


def record(row: CallRecord) -> wire.CallRecord:
    duration = None
    if row.answered_at is not None and row.ended_at is not None:
        duration = max(0, round((row.ended_at - row.answered_at).total_seconds()))
    return wire.CallRecord(
        id=row.id,
        line_id=row.line_id,
        user_id=row.user_id,
        chat_id=row.chat_id,
        ticket_id=row.ticket_id,
        specialist_id=row.specialist_id,
        direction=row.direction,
        state=row.state,
        result=row.result,
        reason=row.reason,
        ringing_at=ms(row.ringing_at),
        answered_at=opt_ms(row.answered_at),
        ended_at=opt_ms(row.ended_at),
        duration=duration,
        comment=row.comment,
        recording=None if row.recording_name is None else recording_url(row.id),
        recording_size=row.recording_size if row.recording_name is not None else None,
    )


def recording_url(call_id: int) -> str:
    return f"/api/v1/calls/{call_id}/recording"
