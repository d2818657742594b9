"""Call statistics of a line for its reports (seed 001: "statistics of all calls … in the
reports"): ``GET /call-stats?line_id=`` — per specialist the calls, incoming and outgoing,
each result, the time talked, and how quickly incoming calls were answered (seed 000, 4.1:
within 4–5 seconds). Incoming calls nobody answered are counted under no specialist."""

from __future__ import annotations

from collections import defaultdict

from aiohttp import web
from sqlalchemy import select

from contract import calls as wire
from contract import calls_ops as ops
from server.auth.access import served_line
from server.calls.models import CallRecord
from server.core.state import authenticate, state_of
from server.core.wire import handles, params, reply

routes = web.RouteTableDef()
IN_TIME_S = 5.0


@handles(routes, ops.STATS)
async def stats(request: web.Request) -> web.Response:
    async with state_of(request).db.read() as session:
        caller = await authenticate(request, session)
        line_id = params(request, ops.STATS, wire.CallStatsQuery).line_id
        await served_line(session, caller, line_id)
        rows = await session.execute(
            select(
                CallRecord.specialist_id,
                CallRecord.direction,
                CallRecord.result,
                CallRecord.ringing_at,
                CallRecord.answered_at,
                CallRecord.ended_at,
            ).where(CallRecord.line_id == line_id)
        )
        counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        waits: dict[int | None, list[float]] = defaultdict(list)
        for specialist_id, direction, result, ringing_at, answered_at, ended_at in rows:
            of = counts[specialist_id]
            of["calls"] += 1
            of[direction.name.lower()] += 1
            if result is not None:
                of[result.value] += 1
            if answered_at is not None:
                if ended_at is not None:  # a call still going is counted once it ends
                    of["seconds"] += max(0, round((ended_at - answered_at).total_seconds()))
                if direction is wire.CallDirection.INCOMING:
                    wait = max(0.0, (answered_at - ringing_at).total_seconds())
                    waits[specialist_id].append(wait)
                    of["in_time"] += wait <= IN_TIME_S
    items = [
        wire.SpecialistCallStats(
            specialist_id=sid,
            calls=c["calls"],
            incoming=c["incoming"],
            outgoing=c["outgoing"],
            **{result.value: c[result.value] for result in wire.CallResult},
            seconds=c["seconds"],
            answered_within_5s=c["in_time"],
            answer_seconds_avg=(
                round(sum(waits[sid]) / len(waits[sid]), 1) if waits[sid] else None
            ),
        )
        for sid, c in sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]
    return reply(wire.CallStats(line_id, items))
