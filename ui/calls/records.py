"""A call's record on the server, kept by one task per call: ringing when it starts,
answered when it connects, ended with its result, then the specialist's comment.

The SIP side never waits for the server: a record that cannot be written (no connection, the
server says no) is logged and the call goes on. A record the server ends because the user was
disconnected from the line (server/calls/ending.py) hangs the call up. Once the record
has ended, the call's recording is handed to the core (app/calls/recordings.py), which keeps
it until the server has it: the record is written first, whatever becomes of the recording.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from contract import calls as wire
from contract.disconnections import GONE
from telephony.call import Call
from telephony.problems import EndReason

log = logging.getLogger("linedesk.ui.calls")

_RESULTS = {
    EndReason.BUSY: wire.CallResult.BUSY,
    EndReason.DECLINED: wire.CallResult.DECLINED,
    EndReason.CANCELLED: wire.CallResult.MISSED,
    EndReason.MISSED: wire.CallResult.MISSED,
    EndReason.NO_ANSWER: wire.CallResult.MISSED,
}


def result_of(call: Call) -> tuple[wire.CallResult, str | None]:
    talked = (EndReason.HUNG_UP, EndReason.REMOTE_HUNG_UP, EndReason.TRANSFERRED)
    if call.connected.is_set() and call.reason in talked:
        return wire.CallResult.ANSWERED, None
    if call.reason in _RESULTS:
        return _RESULTS[call.reason], None
    return wire.CallResult.FAILED, str(call.reason.value if call.reason else "failed")


async def keep_record(book: Any, call: Call, line_id: int, user_id: int) -> int | None:
    """Write the call's record as it goes; its id once it has ended (None if unwritten).
    Then the call's recording goes to the record (kept until the server has it)."""
    record_id = await _write_record(book, call, line_id, user_id)
    await keep_recording(book, call, record_id)
    return record_id


async def keep_recording(book: Any, call: Call, record_id: int | None) -> None:
    """The ended call's recording handed to `book.recordings` for its record; a call with no
    record, or never answered, has nowhere for it: its file is removed."""
    recording = call.recording
    if recording is None or recording.done is None:
        return
    path = await recording.done
    if path is None:
        return
    if record_id is None or not call.connected.is_set():
        log.info("the recording of call %s has no record: removed", call.call_id)
        path.unlink(missing_ok=True)
        return
    try:
        book.recordings.keep(record_id, path)
    except OSError:
        log.exception("the recording of call %s could not be kept", call.call_id)


async def _write_record(book: Any, call: Call, line_id: int, user_id: int) -> int | None:
    try:
        direction = (
            wire.CallDirection.OUTGOING
            if call.direction == "out"
            else (wire.CallDirection.INCOMING)
        )
        record = await book.begin(line_id, user_id, direction, call.call_id)
        closed = book.closed(record.id)
        closed.add_done_callback(lambda done: _hang_up_if_gone(call, done))
        call.listeners.append(lambda c: _disarm_when_over(c, closed))
        waiters = [
            asyncio.ensure_future(call.connected.wait()),
            asyncio.ensure_future(call.ended.wait()),
        ]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        if call.connected.is_set() and not _ended_there(closed):
            await book.answered(record.id)
        await call.ended.wait()
        if not _ended_there(closed):  # (ended on the server: nothing more to say)
            result, reason = result_of(call)
            await book.ended(record.id, result, reason)
        return int(record.id)
    except Exception:
        log.exception("the record of call %s was not written", call.call_id)
        return None


_HANGING_UP: set[asyncio.Task[None]] = set()


def _ended_there(closed: asyncio.Future[wire.CallRecord]) -> bool:
    """The server has the record ended already (not: the wait for it was given up)."""
    return closed.done() and not closed.cancelled()


def _disarm_when_over(call: Call, closed: asyncio.Future[wire.CallRecord]) -> None:
    """(The hang-up stays armed until the call is over, whatever becomes of its record.)"""
    if call.ended.is_set():
        closed.cancel()


def _hang_up_if_gone(call: Call, closed: asyncio.Future[wire.CallRecord]) -> None:
    """The server ended the record because the user was disconnected from the line: hang up
    (any other ending — a colleague's branch of the fork reported missed — is not ours to
    follow)."""
    if closed.cancelled() or call.ended.is_set() or closed.result().reason != GONE:
        return
    log.info("the user of call %s was disconnected from the line: hung up", call.call_id)
    task = asyncio.ensure_future(call.hang_up())
    _HANGING_UP.add(task)
    task.add_done_callback(_HANGING_UP.discard)


async def identify(
    book: Any, call: Call, line_id: int | None, *, sole: bool = False
) -> wire.CallerMatch | None:
    """The other side as a client user of my lines (the open line's first), or None;
    ``sole``: only when the number is one user's (not a company's shared office phone)."""
    try:
        matches = await book.caller(call.remote)
    except Exception:
        log.exception("the caller of %s was not looked up", call.call_id)
        return None
    if sole and len({m.user_id for m in matches}) != 1:
        return None
    return next((m for m in matches if m.line_id == line_id), matches[0] if matches else None)
