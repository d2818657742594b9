"""CallBook: the part of the core that keeps the server's call records.

- `call.updated` events keep `records` and emit `CallChanged`;
- `begin` reports a call ringing (idempotent by its SIP Call-ID), `answered`, `ended` with
  its result, `comment` saves the one-line comment after a call;
- `of_chat` lists a chat's calls (the lines of its timeline);
- `caller` asks who is calling (a client user of my lines, by login or phone number);
- `recordings` keeps each call's recording until the server has it (app/calls/recordings.py);
- `ring_decision` asks the server who an incoming call rings, as the ticket routing
  decides (server/calls/ringing.py);
- `closed` is a record's end as the server says it (a call it ended itself — the user
  disconnected from the line: the call is then hung up, ui/calls/records.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec

from app.calls.recordings import Recordings
from app.context import Context
from app.core.changes import CallChanged
from app.net.events import Event
from contract import calls as wire
from contract.types import EventKind

log = logging.getLogger("linedesk.calls")
ENDED = wire.CallState.ENDED


class CallBook:
    def __init__(self, session: Context) -> None:
        self._session = session
        self.records: dict[int, wire.CallRecord] = {}
        self.recordings = Recordings(session, self._update)
        self._closing: dict[int, list[asyncio.Future[wire.CallRecord]]] = {}
        session.routes.register(EventKind.CALL_UPDATED, self.on_event)

    def on_event(self, ev: Event) -> None:
        if isinstance(ev.payload, wire.CallRecord):
            self._update(ev.payload)

    def _update(self, record: wire.CallRecord) -> wire.CallRecord:
        known = self.records.get(record.id)
        if known is not None and known.state is ENDED and record.state is not ENDED:
            return known  # an answer that crossed the ending's event: the ending stands
        self.records[record.id] = record
        if record.state is ENDED:
            for waiter in self._closing.pop(record.id, ()):
                if not waiter.done():
                    waiter.set_result(record)
        self._session.emit(CallChanged(record))
        return record

    def closed(self, record_id: int) -> asyncio.Future[wire.CallRecord]:
        """The record once the server has it ended (whoever ended it)."""
        waiter = asyncio.get_running_loop().create_future()
        known = self.records.get(record_id)
        if known is not None and known.state is ENDED:
            waiter.set_result(known)
            return waiter
        waiting = self._closing.setdefault(record_id, [])
        waiting.append(waiter)

        def forget(done: asyncio.Future[wire.CallRecord]) -> None:
            if done.cancelled() and done in waiting:
                waiting.remove(done)
                if not waiting:
                    self._closing.pop(record_id, None)

        waiter.add_done_callback(forget)
        return waiter

    async def _call(self, method: str, path: str, body: object = None) -> wire.CallRecord:
        api = self._session.api
        assert api is not None
        raw = await api.call(method, path, json=msgspec.to_builtins(body) if body else None)
        return self._update(msgspec.convert(raw, wire.CallRecord))

    async def begin(
        self, line_id: int, user_id: int, direction: wire.CallDirection, sip_call_id: str
    ) -> wire.CallRecord:
        new = wire.NewCall(line_id, user_id, direction, sip_call_id)
        return await self._call("POST", "/calls", new)

    async def answered(self, call_id: int) -> wire.CallRecord:
        return await self._call("POST", f"/calls/{call_id}/report", wire.CallAnswered())

    async def ended(
        self, call_id: int, result: wire.CallResult, reason: str | None = None
    ) -> wire.CallRecord:
        report = wire.CallEnded(result, msgspec.UNSET if reason is None else reason)
        return await self._call("POST", f"/calls/{call_id}/report", report)

    async def comment(self, call_id: int, text: str) -> wire.CallRecord:
        return await self._call("PUT", f"/calls/{call_id}/comment", wire.CallComment(text))

    async def of_chat(self, chat_id: int) -> list[wire.CallRecord]:
        """The chat's calls, oldest first (kept in `records` too)."""
        api = self._session.api
        assert api is not None
        raw = await api.call("GET", f"/chats/{chat_id}/calls")
        found = msgspec.convert(raw, wire.CallRecords).items
        self.records.update((r.id, r) for r in found)
        return list(found)

    async def caller(self, address: str) -> list[wire.CallerMatch]:
        """The client users of my lines with the caller's login or phone number."""
        api = self._session.api
        assert api is not None
        raw = await api.call("GET", "/call-caller", params={"address": address[:300]})
        return list(msgspec.convert(raw, wire.CallerMatches).items)

    async def ring_decision(self, address: str, sip_call_id: str = "") -> list[int] | None:
        """The specialists the ticket routing says an incoming call from ``address`` rings
        (decided once for the call's ``sip_call_id``: every client of the PBX's fork is told
        the same); None when it names nobody in particular (an unknown caller, a number
        several users share, a user of several of my lines, nobody Free)."""
        found = await self.caller(address)
        if len({(m.user_id, m.line_id) for m in found}) != 1:
            return None  # nobody known, or which line they called is not sure
        api = self._session.api
        assert api is not None
        params = {"line_id": str(found[0].line_id), "address": address[:300]}
        with contextlib.suppress(msgspec.ValidationError):  # one the contract refuses: left out
            params["call_id"] = msgspec.convert(sip_call_id, wire.SipCallId)
        raw = await api.call("GET", "/call-ring", params=params)
        return list(msgspec.convert(raw, wire.RingTargets).specialist_ids) or None
